package dev.qrauth.tokenserver.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.tokenserver.TestApi;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Old finished rows go, in batches; open and recent ones stay. */
@QuarkusTest
class RetentionPurgeTest {

    @Inject
    RetentionPurge purge;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void finishedRowsOlderThanTheCutoffAreRemovedAndNothingElse() throws Exception {
        String clientId = TestApi.createClient().clientId();
        Instant now = Instant.now();
        Instant cutoff = now.minus(Duration.ofDays(30));
        Instant old = now.minus(Duration.ofDays(40));
        // More old rows than one batch (1,000 in the test profile too), to cross a batch boundary.
        UUID[] oldFinished = new UUID[1_203];
        for (int i = 0; i < oldFinished.length; i++) {
            oldFinished[i] = insertTransaction(clientId, i % 2 == 0 ? "EXPIRED" : "CONFIRMED", old);
        }
        UUID recentFinished = insertTransaction(clientId, "REJECTED", now.minus(Duration.ofDays(1)));
        UUID oldButOpen = insertTransaction(clientId, "PENDING", null);
        long deliveredOld = insertCallback(clientId, old, true);
        long pendingOld = insertCallback(clientId, old, false);
        long deliveredRecent = insertCallback(clientId, now, true);

        long removed = purge.purgeOlderThan(cutoff);

        assertThat(removed).isGreaterThanOrEqualTo(oldFinished.length + 1);
        assertThat(transactionExists(oldFinished[0])).isFalse();
        assertThat(transactionExists(oldFinished[oldFinished.length - 1])).isFalse();
        assertThat(transactionExists(recentFinished)).isTrue();
        assertThat(transactionExists(oldButOpen)).isTrue();
        assertThat(callbackExists(deliveredOld)).isFalse();
        assertThat(callbackExists(pendingOld)).as("a callback still being delivered").isTrue();
        assertThat(callbackExists(deliveredRecent)).isTrue();
    }

    @Test
    void devicesThatNeverGotAUserGoOnceOlderThanTheCutoff() throws Exception {
        Instant cutoff = Instant.now().minus(Duration.ofDays(1));
        Instant old = cutoff.minus(Duration.ofHours(1));
        String oldUnused = TestApi.registerDevice().deviceId();
        String recentUnused = TestApi.registerDevice().deviceId();
        TestApi.Registered withUser = TestApi.registerUser();
        TestApi.Registered userLeft = TestApi.registerUser();
        TestApi.admin().delete("/admin/api/v1/users/{u}/devices/{d}", userLeft.userId(), userLeft.device().deviceId())
                .then().statusCode(204);
        for (String deviceId : new String[] {oldUnused, withUser.device().deviceId(), userLeft.device().deviceId()}) {
            backdateDevice(deviceId, old);
        }

        purge.purgeUnusedDevicesOlderThan(cutoff);

        assertThat(deviceExists(oldUnused)).isFalse();
        assertThat(deviceExists(recentUnused)).isTrue();
        assertThat(deviceExists(withUser.device().deviceId())).isTrue();
        assertThat(deviceExists(userLeft.device().deviceId())).as("a device that once had a user").isTrue();
        withUser.login();
    }

    private void backdateDevice(String deviceId, Instant createdAt) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE device SET created_at = ? WHERE device_id = ?")) {
            update.setTimestamp(1, Timestamp.from(createdAt));
            update.setObject(2, UUID.fromString(deviceId));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private boolean deviceExists(String deviceId) throws Exception {
        return exists("SELECT 1 FROM device WHERE device_id = ?", UUID.fromString(deviceId));
    }

    private UUID insertTransaction(String clientId, String status, Instant finishedAt) throws Exception {
        UUID id = UUID.randomUUID();
        Instant created = finishedAt == null ? Instant.now().minus(Duration.ofDays(40)) : finishedAt.minusSeconds(60);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO mobile_auth_transaction "
                     + "(transaction_id, client_id, type_name, status, code_hash, callback_uri, message, created_at, "
                     + "expires_at, finished_at) VALUES (?, ?, 'login', ?, 'x', 'http://127.0.0.1:9/cb', 'm', ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, clientId);
            insert.setString(3, status);
            insert.setTimestamp(4, Timestamp.from(created));
            // An open one is not yet due: past its expiry, the expiry sweep (a background job that
            // runs beside the test) would finish it, as of its expiry 40 days ago, before the purge.
            insert.setTimestamp(5, Timestamp.from(finishedAt == null ? Instant.now().plus(Duration.ofDays(1))
                    : created.plusSeconds(120)));
            insert.setTimestamp(6, finishedAt == null ? null : Timestamp.from(finishedAt));
            insert.executeUpdate();
        }
        return id;
    }

    private long insertCallback(String clientId, Instant created, boolean delivered) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO callback_outbox "
                     + "(transaction_id, client_id, callback_uri, status, created_at, next_attempt_at, delivered_at) "
                     + "VALUES (?, ?, 'http://127.0.0.1:9/cb', 'CONFIRMED', ?, ?, ?) RETURNING id")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, clientId);
            insert.setTimestamp(3, Timestamp.from(created));
            // Not due for a long time, so the delivery worker leaves it alone during the test.
            insert.setTimestamp(4, Timestamp.from(Instant.now().plus(Duration.ofDays(1))));
            insert.setTimestamp(5, delivered ? Timestamp.from(created.plusSeconds(1)) : null);
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }

    private boolean transactionExists(UUID id) throws Exception {
        return exists("SELECT 1 FROM mobile_auth_transaction WHERE transaction_id = ?", id);
    }

    private boolean callbackExists(long id) throws Exception {
        return exists("SELECT 1 FROM callback_outbox WHERE id = ?", id);
    }

    private boolean exists(String sql, Object id) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }
}
