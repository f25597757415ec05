package dev.qrauth.portal.challenge;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * New codes per browser address: a token bucket each, so one address cannot spend the portal's
 * whole initiation budget at the token server (and so lock everyone else out). Renewals of a
 * code a page is showing do not count.
 */
final class NewCodeLimiter {

    /** Beyond this many remembered addresses the quiet ones are forgotten at once. */
    private static final int MAX_ADDRESSES = 100_000;
    private static final Duration IDLE = Duration.ofMinutes(10);

    private final int perMinute;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    NewCodeLimiter(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("portal.new-codes-per-minute must be at least 1");
        }
        this.perMinute = perMinute;
    }

    private static final class Bucket {
        double tokens;
        Instant updated;

        Bucket(double tokens, Instant updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    /** Takes one code for {@code address}, or throws with the time until the next one. */
    void take(String address, Instant now) {
        if (buckets.size() >= MAX_ADDRESSES) {
            forgetIdle(now);
        }
        Bucket bucket = buckets.computeIfAbsent(address == null ? "" : address, a -> new Bucket(perMinute, now));
        synchronized (bucket) {
            double refill = Duration.between(bucket.updated, now).toMillis() * perMinute / 60_000.0;
            bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, refill));
            bucket.updated = now;
            if (bucket.tokens < 1) {
                long waitMillis = (long) Math.ceil((1 - bucket.tokens) * 60_000.0 / perMinute);
                throw new TooManyCodesException(Duration.ofMillis(waitMillis));
            }
            bucket.tokens -= 1;
        }
    }

    void forgetIdle(Instant now) {
        buckets.values().removeIf(b -> {
            synchronized (b) {
                return b.updated.plus(IDLE).isBefore(now);
            }
        });
    }
}
