package dev.qrauth.tokenserver.transaction;

import dev.qrauth.tokenserver.TokenServerConfig;
import dev.qrauth.tokenserver.cluster.ClusterMembership;
import dev.qrauth.tokenserver.cluster.ClusterShare;
import dev.qrauth.tokenserver.ratelimit.TokenBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * A token bucket per API client for initiations: {@code tokenserver.initiation.rate} per second,
 * bursts up to {@code tokenserver.initiation.burst}, for the whole cluster. Each node keeps its
 * buckets in memory and takes its {@link ClusterShare} of the rate and the burst by the number of
 * nodes its last heartbeat counted ({@link ClusterMembership}), so no initiation waits for the
 * database because of the limit. The limit holds for the cluster when the load balancer spreads a
 * client's requests over the nodes; a client whose requests all reach one node of N gets 1/N of
 * it (docs/SCALING.md).
 */
@ApplicationScoped
public class InitiationRateLimiter {

    /** More clients than any deployment has: the bound only keeps memory finite. */
    private static final long MAX_CLIENTS = 100_000;
    /** A client initiating less often than this finds its bucket full anyway. */
    private static final Duration KEPT_IDLE = Duration.ofMinutes(10);

    private final double ratePerSecond;
    private final double burst;
    private final ClusterMembership membership;
    private final TokenBuckets buckets;
    private volatile ClusterShare share;

    InitiationRateLimiter(TokenServerConfig config, ClusterMembership membership) {
        this.ratePerSecond = config.initiation().rate();
        this.burst = config.initiation().burst();
        this.share = ClusterShare.of(ratePerSecond, burst, 1);
        this.membership = membership;
        this.buckets = TokenBuckets.perSecond(share.ratePerSecond(), share.burst(), MAX_CLIENTS, KEPT_IDLE);
    }

    /**
     * Takes a token for {@code clientId}; returns 0 when granted, else the seconds until one is
     * free. When the share changed since a client's last take, the new one applies from now:
     * tokens above its burst are dropped.
     */
    long tryAcquire(String clientId) {
        followMembership();
        return buckets.take(clientId);
    }

    private void followMembership() {
        int members = membership.members();
        if (share.members() != members) {
            ClusterShare current = ClusterShare.of(ratePerSecond, burst, members);
            buckets.limit(current.ratePerSecond(), current.burst());
            share = current;
        }
    }
}
