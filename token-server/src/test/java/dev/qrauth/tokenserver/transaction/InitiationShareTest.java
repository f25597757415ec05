package dev.qrauth.tokenserver.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.tokenserver.cluster.ClusterMembership;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With another node in the cluster, this node admits its half of the initiation burst (100 by default). */
@QuarkusTest
class InitiationShareTest {

    @Inject
    InitiationRateLimiter limiter;

    @Inject
    ClusterMembership membership;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void withASecondNodeAClientGetsHalfTheBurstHere() throws SQLException {
        UUID other = UUID.randomUUID();
        execute("INSERT INTO cluster_member VALUES (?, now(), now())", other);
        try {
            awaitMembers(2);
            String clientId = "share-" + UUID.randomUUID();
            int granted = 0;
            while (granted < 1_000 && limiter.tryAcquire(clientId) == 0) {
                granted++;
            }
            // 50 at once; the rate's share (25 per second) may add one while the loop runs.
            assertThat(granted).isBetween(50, 51);
        } finally {
            execute("DELETE FROM cluster_member WHERE node_id = ?", other);
            awaitMembers(1);
        }
    }

    /** Waits for the scheduled heartbeat (every 5 s) to count {@code expected} nodes. */
    private void awaitMembers(int expected) {
        org.awaitility.Awaitility.await(expected + " members counted").atMost(Duration.ofSeconds(30))
                .until(() -> membership.members() == expected);
    }

    private void execute(String sql, UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.executeUpdate();
        }
    }
}
