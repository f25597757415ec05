package dev.qrauth.portal.challenge;

import java.time.Duration;

/** The browser's address asked for more new codes than the portal hands out per minute. */
public final class TooManyCodesException extends RuntimeException {

    private final Duration retryAfter;

    TooManyCodesException(Duration retryAfter) {
        super("too many new codes from one address");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
