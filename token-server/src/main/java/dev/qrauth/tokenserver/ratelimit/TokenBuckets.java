package dev.qrauth.tokenserver.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket per key: {@code capacity} tokens, refilled evenly at a rate, so a key may spend
 * its whole budget at once and then one token every {@code 1 / rate}.
 *
 * <p>Memory is bounded: at most {@code maxKeys} buckets are kept, and a bucket untouched for as
 * long as an empty one takes to fill (or a longer time given) is dropped, which loses nothing
 * because it would be full again by then. Under more keys than that, the least used buckets go
 * first, which forgets an idle key's spending early, never a busy attacker's. Caffeine keeps the
 * buckets and forgets them; only the arithmetic of a bucket is written here, since no library the
 * server uses refills a bucket evenly and tells how long until its next token.
 *
 * <p>The limit may change while the buckets are in use ({@link #limit(double, double)}): each
 * bucket refills at the new rate from its next use, and tokens above the new capacity are dropped
 * then.
 */
public final class TokenBuckets {

    private final Ticker ticker;
    private final Duration keptIdle;
    private final Cache<String, Bucket> buckets;
    private volatile Limit limit;

    /** {@code capacity} tokens per key, refilled over {@code refill}. */
    public TokenBuckets(int capacity, Duration refill, long maxKeys) {
        this(capacity, refill, maxKeys, Ticker.systemTicker());
    }

    TokenBuckets(int capacity, Duration refill, long maxKeys, Ticker ticker) {
        this(Limit.of(capacity, refill), maxKeys, Duration.ZERO, ticker);
    }

    private TokenBuckets(Limit limit, long maxKeys, Duration keptIdle, Ticker ticker) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1; got " + maxKeys);
        }
        this.limit = limit;
        this.keptIdle = keptIdle;
        this.ticker = Objects.requireNonNull(ticker, "ticker == null");
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(idleTime(limit)).ticker(ticker)
                .build();
    }

    /**
     * {@code burst} tokens per key, refilled at {@code ratePerSecond}; a bucket is kept for at
     * least {@code keptIdle} after its last use, so a key that comes back often but slowly finds
     * its bucket rather than making a new one each time.
     */
    public static TokenBuckets perSecond(double ratePerSecond, double burst, long maxKeys, Duration keptIdle) {
        return perSecond(ratePerSecond, burst, maxKeys, keptIdle, Ticker.systemTicker());
    }

    static TokenBuckets perSecond(double ratePerSecond, double burst, long maxKeys, Duration keptIdle, Ticker ticker) {
        return new TokenBuckets(Limit.perSecond(ratePerSecond, burst), maxKeys, keptIdle, ticker);
    }

    /**
     * Changes the limit to {@code burst} tokens refilled at {@code ratePerSecond}, for every key
     * from its next use on.
     */
    public void limit(double ratePerSecond, double burst) {
        Limit changed = Limit.perSecond(ratePerSecond, burst);
        // Set before the buckets are used under it, so none is dropped before it would be full.
        buckets.policy().expireAfterAccess().ifPresent(expiry -> expiry.setExpiresAfter(idleTime(changed)));
        limit = changed;
    }

    private Duration idleTime(Limit limit) {
        Duration fill = limit.fillTime();
        return fill.compareTo(keptIdle) >= 0 ? fill : keptIdle;
    }

    /** Takes a token for {@code key}: 0 when granted, else the seconds until one is free (nothing is taken). */
    public long take(String key) {
        Limit current = limit;
        return buckets.get(key, k -> new Bucket(current.capacity(), ticker.read())).take(ticker.read(), current);
    }

    /** Seconds until {@code key} has a token, 0 when it has one now; takes nothing. */
    public long waitFor(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        return bucket == null ? 0 : bucket.waitFor(ticker.read(), limit);
    }

    /** Returns a token taken by {@link #take} for an attempt that turned out not to count. */
    public void giveBack(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket != null) {
            bucket.giveBack(limit);
        }
    }

    /** At most {@code capacity} tokens, {@code tokensPerNano} added each nanosecond. */
    private record Limit(double capacity, double tokensPerNano) {

        static Limit of(int capacity, Duration refill) {
            if (capacity < 1 || refill.isNegative() || refill.isZero()) {
                throw new IllegalArgumentException("capacity must be at least 1 and refill positive; got "
                        + capacity + ", " + refill);
            }
            return new Limit(capacity, capacity / (double) refill.toNanos());
        }

        static Limit perSecond(double ratePerSecond, double burst) {
            if (!(ratePerSecond > 0) || !(burst >= 1)) {
                throw new IllegalArgumentException("the rate must be positive and the burst at least 1; got "
                        + ratePerSecond + " and " + burst);
            }
            return new Limit(burst, ratePerSecond / 1e9);
        }

        /** How long an empty bucket takes to fill. */
        Duration fillTime() {
            return Duration.ofNanos((long) Math.ceil(capacity / tokensPerNano));
        }
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(long now, Limit limit) {
            refill(now, limit);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return secondsUntilOne(limit);
        }

        synchronized long waitFor(long now, Limit limit) {
            refill(now, limit);
            return tokens >= 1 ? 0 : secondsUntilOne(limit);
        }

        synchronized void giveBack(Limit limit) {
            tokens = Math.min(limit.capacity(), tokens + 1);
        }

        private void refill(long now, Limit limit) {
            tokens = Math.min(limit.capacity(), tokens + (now - refilledAt) * limit.tokensPerNano());
            refilledAt = now;
        }

        private long secondsUntilOne(Limit limit) {
            return Math.max(1, (long) Math.ceil((1 - tokens) / limit.tokensPerNano() / 1e9));
        }
    }
}
