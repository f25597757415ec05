package dev.qrauth.tokenserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a heartbeat counts: nodes heard from within the member timeout, by the database's clock. */
@QuarkusTest
class ClusterMembershipTest {

    @Inject
    ClusterMembership membership;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aNodeHeardFromRecentlyCountsAndOneSilentPastTheTimeoutDoesNotAndIsRemoved() throws SQLException {
        UUID live = UUID.randomUUID();
        UUID silent = UUID.randomUUID();
        execute("INSERT INTO cluster_member VALUES (?, now(), now())", live);
        execute("INSERT INTO cluster_member VALUES (?, now() - interval '1 hour', now() - interval '1 hour')", silent);
        try {
            membership.heartbeat();
            assertThat(membership.members()).as("this node and the live one").isEqualTo(2);
            assertThat(rows(silent)).as("the silent node's row is removed").isZero();
            assertThat(rows(live)).isOne();

            execute("DELETE FROM cluster_member WHERE node_id = ?", live);
            membership.heartbeat();
            assertThat(membership.members()).as("a node that left no longer counts").isOne();
        } finally {
            execute("DELETE FROM cluster_member WHERE node_id = ? OR node_id = ?", live, silent);
            membership.heartbeat();
        }
    }

    private void execute(String sql, UUID... ids) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < ids.length; i++) {
                statement.setObject(i + 1, ids[i]);
            }
            statement.executeUpdate();
        }
    }

    private int rows(UUID nodeId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM cluster_member WHERE node_id = ?")) {
            statement.setObject(1, nodeId);
            try (ResultSet count = statement.executeQuery()) {
                count.next();
                return count.getInt(1);
            }
        }
    }
}
