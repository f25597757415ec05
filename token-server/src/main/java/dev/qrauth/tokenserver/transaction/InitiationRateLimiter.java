package dev.qrauth.tokenserver.transaction;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A token bucket per API client for initiations: {@code tokenserver.initiation.rate} per second,
 * bursts up to {@code tokenserver.initiation.burst}. Each node keeps its own buckets, so N nodes
 * allow N times the rate; the pending-transaction cap, kept in the database, bounds all of them.
 */
@ApplicationScoped
public class InitiationRateLimiter {

    private final double ratePerSecond;
    private final double burst;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    InitiationRateLimiter(@ConfigProperty(name = "tokenserver.initiation.rate") double ratePerSecond,
                          @ConfigProperty(name = "tokenserver.initiation.burst") double burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    /** Takes a token for {@code clientId}; returns 0 when granted, else the seconds until one is free. */
    long tryAcquire(String clientId) {
        return buckets.computeIfAbsent(clientId, id -> new Bucket(burst)).take(ratePerSecond, burst, System.nanoTime());
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(double tokens) {
            this.tokens = tokens;
        }

        synchronized long take(double ratePerSecond, double burst, long now) {
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * ratePerSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerSecond));
        }
    }
}
