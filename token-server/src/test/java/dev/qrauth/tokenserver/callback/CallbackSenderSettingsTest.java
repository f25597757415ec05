package dev.qrauth.tokenserver.callback;

import static dev.qrauth.tokenserver.TestApi.admin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.testkit.CallbackInbox;
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
import java.util.Objects;
import java.util.UUID;
import org.awaitility.Awaitility;
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
        try (CallbackInbox receiver = CallbackInbox.start()) {
            TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
            sentOnce(portal, receiver);

            admin().body(Map.of("enabled", false)).patch("/admin/api/v1/clients/{id}", portal.client.clientId())
                    .then().statusCode(200);
            UUID after = enqueue(portal, receiver.uri());

            assertThat(awaitAbandoned(after)).isEqualTo("the client is disabled");
            assertThat(receiver.all(after)).as("requests that reached the receiver").isEmpty();
        }
    }

    @Test
    void aUriTakenOffTheAllowListGetsNoFurtherCallback() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
            sentOnce(portal, receiver);

            admin().body(Map.of("callback_uris", List.of(TestPortal.CALLBACK)))
                    .patch("/admin/api/v1/clients/{id}", portal.client.clientId()).then().statusCode(200);
            UUID after = enqueue(portal, receiver.uri());

            assertThat(awaitAbandoned(after)).isEqualTo("the callback URI is no longer in the client's allow-list");
            assertThat(receiver.all(after)).as("requests that reached the receiver").isEmpty();
        }
    }

    /** One callback delivered, so this node knows the client's settings as they were. */
    private void sentOnce(TestPortal portal, CallbackInbox receiver) {
        UUID before = enqueue(portal, receiver.uri());
        assertThat(receiver.await(before, "CONFIRMED", WAIT)).isPresent();
    }

    private UUID enqueue(TestPortal portal, String uri) {
        UUID transactionId = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> outbox.enqueue(transactionId, portal.client.clientId(), uri,
                TransactionStatus.CONFIRMED));
        return transactionId;
    }

    /** The error the callback of {@code transactionId} was abandoned with, once it is. */
    private String awaitAbandoned(UUID transactionId) {
        return Awaitility.await("the callback of " + transactionId + " abandoned").atMost(WAIT)
                .pollInterval(Duration.ofMillis(50)).until(() -> abandonedWith(transactionId), Objects::nonNull);
    }

    private String abandonedWith(UUID transactionId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT last_error FROM callback_outbox "
                     + "WHERE transaction_id = ? AND abandoned_at IS NOT NULL")) {
            query.setObject(1, transactionId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}
