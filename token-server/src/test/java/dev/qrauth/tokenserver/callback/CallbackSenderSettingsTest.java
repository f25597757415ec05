package dev.qrauth.tokenserver.callback;

import static dev.qrauth.tokenserver.TestApi.admin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.tokenserver.CallbackReceiver;
import dev.qrauth.tokenserver.TestPortal;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A callback written already leased takes its client's settings from what this node remembers;
 * a change through the admin API holds for the very next callback all the same.
 */
@QuarkusTest
class CallbackSenderSettingsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    CallbackOutbox outbox;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aClientDisabledThroughTheAdminApiGetsNoFurtherCallback() throws Exception {
        try (CallbackReceiver receiver = CallbackReceiver.start()) {
            TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
            sentOnce(portal, receiver);

            admin().body(Map.of("enabled", false)).patch("/admin/api/v1/clients/{id}", portal.client.clientId())
                    .then().statusCode(200);
            UUID after = enqueue(portal, receiver.uri());

            assertThat(awaitAbandoned(after)).isEqualTo("the client is disabled");
            assertThat(receiver.unclaimed()).as("requests that reached the receiver").isZero();
        }
    }

    @Test
    void aUriTakenOffTheAllowListGetsNoFurtherCallback() throws Exception {
        try (CallbackReceiver receiver = CallbackReceiver.start()) {
            TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
            sentOnce(portal, receiver);

            admin().body(Map.of("callback_uris", List.of(TestPortal.CALLBACK)))
                    .patch("/admin/api/v1/clients/{id}", portal.client.clientId()).then().statusCode(200);
            UUID after = enqueue(portal, receiver.uri());

            assertThat(awaitAbandoned(after)).isEqualTo("the callback URI is no longer in the client's allow-list");
            assertThat(receiver.unclaimed()).as("requests that reached the receiver").isZero();
        }
    }

    /** One callback delivered, so this node knows the client's settings as they were. */
    private void sentOnce(TestPortal portal, CallbackReceiver receiver) throws Exception {
        UUID before = enqueue(portal, receiver.uri());
        receiver.await(before.toString(), WAIT);
    }

    private UUID enqueue(TestPortal portal, String uri) {
        UUID transactionId = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> outbox.enqueue(transactionId, portal.client.clientId(), uri,
                TransactionStatus.CONFIRMED));
        return transactionId;
    }

    /** The error the callback of {@code transactionId} was abandoned with, once it is. */
    private String awaitAbandoned(UUID transactionId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement query = connection.prepareStatement("SELECT last_error FROM callback_outbox "
                         + "WHERE transaction_id = ? AND abandoned_at IS NOT NULL")) {
                query.setObject(1, transactionId);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return rows.getString(1);
                    }
                }
            }
        }
        throw new AssertionError("the callback of " + transactionId + " was not abandoned within " + WAIT);
    }
}
