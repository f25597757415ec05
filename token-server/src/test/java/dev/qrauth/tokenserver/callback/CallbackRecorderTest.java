package dev.qrauth.tokenserver.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.tokenserver.TestApi;
import dev.qrauth.tokenserver.callback.CallbackRecorder.Kind;
import dev.qrauth.tokenserver.callback.CallbackRecorder.Outcome;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Finished attempts recorded together: each row gets its own outcome, only under the lease it was
 * sent under, and a row that cannot be recorded costs the others nothing.
 */
@QuarkusTest
class CallbackRecorderTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aBatchRecordsEachOutcomeUnderItsLeaseAndABadRowCostsTheOthersNothing() throws Exception {
        String clientId = TestApi.createClient().clientId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant lease = CallbackDelivery.leaseFrom(now);
        CallbackDelivery.Claimed delivered = leasedRow(clientId, now, lease);
        CallbackDelivery.Claimed retried = leasedRow(clientId, now, lease);
        CallbackDelivery.Claimed abandoned = leasedRow(clientId, now, lease);
        CallbackDelivery.Claimed leaseLost = leasedRow(clientId, now, lease);
        CallbackDelivery.Claimed deleted = leasedRow(clientId, now, lease);
        execute("UPDATE callback_outbox SET next_attempt_at = next_attempt_at + interval '1 minute' WHERE id = "
                + leaseLost.id());
        execute("DELETE FROM callback_outbox WHERE id = " + deleted.id());

        Map<Long, Boolean> written = new ConcurrentHashMap<>();
        CountDownLatch told = new CountDownLatch(5);
        Instant retryAt = now.plusSeconds(7);
        // A long interval, so that all five are in one batch.
        try (CallbackRecorder recorder = new CallbackRecorder(dataSource, Duration.ofMillis(500), (outcome, ok) -> {
            written.put(outcome.row().id(), ok);
            told.countDown();
        })) {
            recorder.add(new Outcome(delivered, now, 12, 204, null, Kind.DELIVERED, null));
            recorder.add(new Outcome(retried, now, 13, 500, "HTTP 500", Kind.RETRY, retryAt));
            recorder.add(new Outcome(abandoned, now, 14, null, "the client is disabled", Kind.ABANDONED, null));
            recorder.add(new Outcome(leaseLost, now, 15, 204, null, Kind.DELIVERED, null));
            recorder.add(new Outcome(deleted, now, 16, 204, null, Kind.DELIVERED, null));
            assertThat(told.await(15, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(written).containsEntry(delivered.id(), true).containsEntry(retried.id(), true)
                .containsEntry(abandoned.id(), true).containsEntry(leaseLost.id(), true)
                .containsEntry(deleted.id(), false);
        assertThat(row(delivered)).isEqualTo("delivered " + now + " | - | " + lease);
        assertThat(row(retried)).isEqualTo("open | HTTP 500 | " + retryAt);
        assertThat(row(abandoned)).isEqualTo("abandoned " + now + " | the client is disabled | " + lease);
        assertThat(row(leaseLost)).as("claimed again since: not this attempt's to change")
                .isEqualTo("open | - | " + lease.plus(Duration.ofMinutes(1)));
        for (CallbackDelivery.Claimed row : new CallbackDelivery.Claimed[] {delivered, retried, abandoned, leaseLost}) {
            assertThat(query("SELECT count(*) FROM callback_attempt WHERE outbox_id = " + row.id()))
                    .as("every attempt is on record").isEqualTo("1");
        }
        assertThat(query("SELECT details FROM audit_event WHERE event_type = 'CALLBACK_ABANDONED' AND transaction_id = '"
                + abandoned.transactionId() + "'"))
                .isEqualTo("CONFIRMED callback abandoned after 1 attempts: the client is disabled");
        // Nothing for the poll to send to port 9 later.
        execute("UPDATE callback_outbox SET delivered_at = now() WHERE id IN (" + retried.id() + ", " + leaseLost.id()
                + ")");
    }

    private CallbackDelivery.Claimed leasedRow(String clientId, Instant now, Instant lease) throws Exception {
        UUID transactionId = UUID.randomUUID();
        String uri = "http://127.0.0.1:9/unreachable";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO callback_outbox (transaction_id, "
                     + "client_id, callback_uri, status, created_at, next_attempt_at, attempts) "
                     + "VALUES (?, ?, ?, 'CONFIRMED', ?, ?, 1) RETURNING id")) {
            insert.setObject(1, transactionId);
            insert.setString(2, clientId);
            insert.setString(3, uri);
            insert.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            insert.setObject(5, OffsetDateTime.ofInstant(lease, ZoneOffset.UTC));
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return new CallbackDelivery.Claimed(id.getLong(1), transactionId, clientId, uri,
                        TransactionStatus.CONFIRMED, now, 1, lease);
            }
        }
    }

    /** The row's state, its last error and its next attempt, as one line. */
    private String row(CallbackDelivery.Claimed row) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT delivered_at, abandoned_at, last_error, "
                     + "next_attempt_at FROM callback_outbox WHERE id = ?")) {
            query.setLong(1, row.id());
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                OffsetDateTime deliveredAt = rows.getObject(1, OffsetDateTime.class);
                OffsetDateTime abandonedAt = rows.getObject(2, OffsetDateTime.class);
                String state = deliveredAt != null ? "delivered " + deliveredAt.toInstant()
                        : abandonedAt != null ? "abandoned " + abandonedAt.toInstant() : "open";
                String error = rows.getString(3);
                return state + " | " + (error == null ? "-" : error) + " | "
                        + rows.getObject(4, OffsetDateTime.class).toInstant();
            }
        }
    }

    private String query(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }
}
