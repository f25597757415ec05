package dev.qrauth.portal.operator;

import java.time.Duration;
import java.time.Instant;

/**
 * Failed logins to the operator's pages, from whatever address: a token bucket of
 * {@link #BURST} that refills {@link #PER_MINUTE} a minute. With it empty, every request waits
 * (the right password too), so a guesser gets about ten tries a minute in all however many
 * addresses it uses. The price is that such a guesser can keep the operator out while it goes
 * on; the page is a tool for after the fact, and the wait ends a few seconds after the guessing.
 * Successful logins take nothing. Each portal node counts for itself, so N nodes behind one
 * address allow N times the rate.
 */
final class GuessThrottle {

    static final int BURST = 10;
    static final int PER_MINUTE = 10;

    private double tokens = BURST;
    private Instant updated;

    /**
     * Takes a try for one attempt, or tells how long to wait for one (zero: taken). The try is
     * taken before the password is checked, so any number of attempts sent at once still get
     * only the tries there are; {@link #succeeded} gives it back.
     */
    synchronized Duration acquire(Instant now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        // Less a microsecond, so that the rounding of the refill does not add a millisecond.
        return Duration.ofMillis((long) Math.ceil((1 - tokens) * 60_000.0 / PER_MINUTE - 1e-3));
    }

    /** Gives back the try of an attempt that had the right password: only failures count. */
    synchronized void succeeded() {
        tokens = Math.min(BURST, tokens + 1);
    }

    private void refill(Instant now) {
        if (updated != null) {
            double refill = Duration.between(updated, now).toMillis() * PER_MINUTE / 60_000.0;
            tokens = Math.min(BURST, tokens + Math.max(0, refill));
        }
        updated = now;
    }
}
