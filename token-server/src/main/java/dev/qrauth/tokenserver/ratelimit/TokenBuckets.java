package dev.qrauth.tokenserver.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket per key: {@code capacity} tokens, refilled evenly over {@code refill}, so a
 * key may spend its whole budget at once and then one token every {@code refill / capacity}.
 *
 * <p>Memory is bounded: at most {@code maxKeys} buckets are kept, and a bucket untouched for
 * {@code refill} is dropped, which loses nothing because it would be full again by then. Under
 * more keys than that, the least recently used buckets go first, which forgets an idle key's
 * spending early, never a busy attacker's.
 */
public final class TokenBuckets {

    private final double capacity;
    private final double tokensPerNano;
    private final Ticker ticker;
    private final Cache<String, Bucket> buckets;

    public TokenBuckets(int capacity, Duration refill, long maxKeys) {
        this(capacity, refill, maxKeys, Ticker.systemTicker());
    }

    TokenBuckets(int capacity, Duration refill, long maxKeys, Ticker ticker) {
        if (capacity < 1 || refill.isNegative() || refill.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("capacity and maxKeys must be at least 1 and refill positive; got "
                    + capacity + ", " + refill + ", " + maxKeys);
        }
        this.capacity = capacity;
        this.tokensPerNano = capacity / (double) refill.toNanos();
        this.ticker = Objects.requireNonNull(ticker, "ticker == null");
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(refill).ticker(ticker).build();
    }

    /** Takes a token for {@code key}: 0 when granted, else the seconds until one is free (nothing is taken). */
    public long take(String key) {
        return bucket(key).take(ticker.read());
    }

    /** Seconds until {@code key} has a token, 0 when it has one now; takes nothing. */
    public long waitFor(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        return bucket == null ? 0 : bucket.waitFor(ticker.read());
    }

    /** Returns a token taken by {@link #take} for an attempt that turned out not to count. */
    public void giveBack(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket != null) {
            bucket.giveBack();
        }
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> new Bucket(capacity, ticker.read()));
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return secondsUntilOne();
        }

        synchronized long waitFor(long now) {
            refill(now);
            return tokens >= 1 ? 0 : secondsUntilOne();
        }

        synchronized void giveBack() {
            tokens = Math.min(capacity, tokens + 1);
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
            refilledAt = now;
        }

        private long secondsUntilOne() {
            return Math.max(1, (long) Math.ceil((1 - tokens) / tokensPerNano / 1e9));
        }
    }
}
