package dev.qrauth.tokenserver.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A callback written while a slot is free is sent under it at once, without a claim. */
@QuarkusTest
class CallbackOutboxTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    /** As many as a client may have in flight on a node, so a slot lost per rollback would show. */
    @ConfigProperty(name = "tokenserver.callback.max-in-flight-per-client")
    int perClient;

    @Inject
    CallbackOutbox outbox;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aCommittedCallbackIsSentUnderTheLeaseItWasWrittenWith() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
            UUID transactionId = UUID.randomUUID();

            QuarkusTransaction.requiringNew().run(() -> outbox.enqueue(transactionId, portal.client.clientId(),
                    receiver.uri(), TransactionStatus.CONFIRMED));

            assertThat(receiver.await(transactionId, "CONFIRMED", WAIT)).isPresent();
            Row row = awaitDelivered(transactionId);
            assertThat(row.attempts()).as("one attempt, and no claim counted another").isEqualTo(1);
            assertThat(row.leasedFromCreation()).as("the lease written with the row is the one it was sent under").isTrue();
        }
    }

    @Test
    void aRolledBackWriteSendsNothingAndFreesItsSlot() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
            UUID rolledBack = UUID.randomUUID();
            for (int i = 0; i < perClient; i++) {
                assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    outbox.enqueue(rolledBack, portal.client.clientId(), receiver.uri(), TransactionStatus.CONFIRMED);
                    throw new IllegalStateException("the state change fails after its callback was written");
                })).isInstanceOf(IllegalStateException.class);
            }
            assertThat(rowCount(rolledBack)).isZero();

            // Had a rollback kept its slot, the client would have none free now, and this row would
            // wait for the poll unleased instead of being written leased.
            UUID committed = UUID.randomUUID();
            QuarkusTransaction.requiringNew().run(() -> outbox.enqueue(committed, portal.client.clientId(),
                    receiver.uri(), TransactionStatus.CONFIRMED));
            assertThat(receiver.await(committed, "CONFIRMED", WAIT)).isPresent();
            assertThat(awaitDelivered(committed).leasedFromCreation()).isTrue();
            assertThat(receiver.all(rolledBack)).as("nothing is sent for the rollbacks").isEmpty();
        }
    }

    record Row(int attempts, boolean leasedFromCreation, boolean delivered) {
    }

    private Row awaitDelivered(UUID transactionId) throws Exception {
        return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> row(transactionId), row -> row != null && row.delivered());
    }

    private Row row(UUID transactionId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT attempts, "
                     + "next_attempt_at = created_at + interval '30 seconds', delivered_at IS NOT NULL "
                     + "FROM callback_outbox WHERE transaction_id = ?")) {
            query.setObject(1, transactionId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? new Row(rows.getInt(1), rows.getBoolean(2), rows.getBoolean(3)) : null;
            }
        }
    }

    private int rowCount(UUID transactionId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM callback_outbox WHERE transaction_id = ?")) {
            query.setObject(1, transactionId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
