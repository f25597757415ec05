package dev.qrauth.tokenserver.transaction;

import dev.qrauth.tokenserver.TokenServerConfig;
import dev.qrauth.tokenserver.cluster.ClusterMembership;
import dev.qrauth.tokenserver.cluster.ClusterShare;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

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

    private final double ratePerSecond;
    private final double burst;
    private final ClusterMembership membership;
    private volatile ClusterShare share;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    InitiationRateLimiter(TokenServerConfig config, ClusterMembership membership) {
        this.ratePerSecond = config.initiation().rate();
        this.burst = config.initiation().burst();
        this.share = ClusterShare.of(ratePerSecond, burst, 1);
        this.membership = membership;
    }

    /** Takes a token for {@code clientId}; returns 0 when granted, else the seconds until one is free. */
    long tryAcquire(String clientId) {
        ClusterShare current = share();
        return buckets.computeIfAbsent(clientId, id -> new Bucket(current.burst())).take(current, System.nanoTime());
    }

    private ClusterShare share() {
        ClusterShare current = share;
        int members = membership.members();
        if (current.members() != members) {
            current = ClusterShare.of(ratePerSecond, burst, members);
            share = current;
        }
        return current;
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(double tokens) {
            this.tokens = tokens;
        }

        /** When the share changed since the last take, the new one applies from now: tokens above its burst are dropped. */
        synchronized long take(ClusterShare share, long now) {
            tokens = Math.min(share.burst(), tokens + (now - refilledAt) / 1e9 * share.ratePerSecond());
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / share.ratePerSecond()));
        }
    }
}
