package dev.qrauth.portalclient;

import java.time.Duration;
import java.util.Optional;

/**
 * A call to the token server did not give the portal its answer. The subtype says why: the
 * server {@linkplain TokenServerRefusedException refused} (with its error code), it
 * {@linkplain TokenServerUnreachableException could not be reached or did not answer in time}, or
 * it {@linkplain UnexpectedAnswerException answered something the portal cannot use}. The message
 * is for the log; it never holds the client secret.
 */
public abstract sealed class TokenServerException extends RuntimeException
        permits TokenServerRefusedException, TokenServerUnreachableException, UnexpectedAnswerException {

    private final int status;

    TokenServerException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status the token server answered with, or 0 when it gave no answer. */
    public int status() {
        return status;
    }

    /**
     * How long the token server asked the portal to wait before sending the same request again
     * ({@code Retry-After} with {@code 429} or {@code 503}); empty otherwise.
     */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }
}
