package dev.qrauth.tokenserver.cluster;

import dev.qrauth.tokenserver.BackgroundJob;
import dev.qrauth.tokenserver.TokenServerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * This node's membership of the cluster of token servers sharing one PostgreSQL.
 *
 * <p>The node takes a random id at start, writes a heartbeat row every
 * {@code tokenserver.cluster.heartbeat-interval} and, in the same statement, counts the other
 * nodes whose heartbeat is younger than {@code tokenserver.cluster.member-timeout} (by the
 * database's clock, so the nodes' clocks need not agree). It deletes its row when it stops, so
 * the others see it gone at their next heartbeat; a node that dies without stopping is gone for
 * them after the timeout. {@link #members()} is the count of the last heartbeat, read from memory:
 * requests never wait for the database because of it.
 *
 * <p>When the database cannot be reached, the last count stays. That is safe for the limits
 * divided by it: a node that cannot reach the database cannot start a transaction either.
 */
@ApplicationScoped
public class ClusterMembership {

    private static final Logger LOG = Logger.getLogger(ClusterMembership.class);

    /**
     * One statement: the upsert of this node's row, the removal of rows whose nodes timed out
     * (skipping rows another node is writing, so heartbeats never wait on each other), and the
     * count of the other live nodes. The count reads the snapshot from before the two changes,
     * which is why it counts the others and adds this node itself.
     */
    private static final String HEARTBEAT = "WITH beat AS ("
            + "INSERT INTO cluster_member (node_id, started_at, heartbeat_at) VALUES (?, now(), now()) "
            + "ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()), "
            + "gone AS (DELETE FROM cluster_member WHERE node_id IN (SELECT node_id FROM cluster_member "
            + "WHERE node_id <> ? AND heartbeat_at < now() - ? * interval '1 millisecond' FOR UPDATE SKIP LOCKED)) "
            + "SELECT count(*) FROM cluster_member WHERE node_id <> ? AND heartbeat_at >= now() - ? * interval '1 millisecond'";

    private final UUID nodeId = UUID.randomUUID();
    private final DataSource dataSource;
    private final long memberTimeoutMillis;
    private volatile int members = 1;
    private boolean reachable = true;
    private boolean stopped;

    ClusterMembership(DataSource dataSource, TokenServerConfig config, MeterRegistry registry) {
        ClusterSettings settings = config.cluster();
        if (settings.heartbeatInterval().isNegative() || settings.heartbeatInterval().isZero()
                || settings.memberTimeout().compareTo(settings.heartbeatInterval().multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("tokenserver.cluster.member-timeout (" + settings.memberTimeout()
                    + ") must be at least twice tokenserver.cluster.heartbeat-interval (" + settings.heartbeatInterval()
                    + "), or nodes that are alive would count as gone");
        }
        this.dataSource = dataSource;
        this.memberTimeoutMillis = settings.memberTimeout().toMillis();
        Gauge.builder("qrauth.cluster.members", this, ClusterMembership::members)
                .description("Token-server nodes sharing this node's database, this node included, at the last heartbeat")
                .register(registry);
    }

    /** The live nodes, this one included, as of the last heartbeat; at least 1. */
    public int members() {
        return members;
    }

    void join(@Observes StartupEvent start) {
        heartbeat();
        LOG.infof("cluster: node %s joined; %d node(s) share the database", nodeId, members);
    }

    @BackgroundJob
    @Scheduled(every = "${tokenserver.cluster.heartbeat-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void heartbeat() {
        if (stopped) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(HEARTBEAT)) {
            statement.setObject(1, nodeId);
            statement.setObject(2, nodeId);
            statement.setLong(3, memberTimeoutMillis);
            statement.setObject(4, nodeId);
            statement.setLong(5, memberTimeoutMillis);
            try (ResultSet count = statement.executeQuery()) {
                count.next();
                int counted = 1 + count.getInt(1);
                if (counted != members) {
                    LOG.infof("cluster: %d node(s) share the database (were %d)", counted, members);
                }
                members = counted;
            }
            if (!reachable) {
                LOG.info("cluster: heartbeats reach the database again");
                reachable = true;
            }
        } catch (SQLException | RuntimeException e) {
            if (reachable) {
                LOG.warnf("cluster: heartbeat failed, keeping the count of %d node(s) until the database answers: %s",
                        members, e.getMessage());
                reachable = false;
            }
        }
    }

    synchronized void leave(@Observes ShutdownEvent stop) {
        stopped = true;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("DELETE FROM cluster_member WHERE node_id = ?")) {
            statement.setObject(1, nodeId);
            statement.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.infof("cluster: could not remove this node's row (the others drop it after the member timeout): %s",
                    e.getMessage());
        }
    }
}
