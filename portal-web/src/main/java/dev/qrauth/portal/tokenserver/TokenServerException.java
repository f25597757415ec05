package dev.qrauth.portal.tokenserver;

import java.time.Duration;
import java.util.Optional;

/**
 * The token server could not be used for a request: it is unreachable or slow, it refused the
 * portal's call, or it answered something the portal cannot read. The message is for the log; the
 * browser is only told that logging in with the phone is not possible right now. One refusal that
 * only an administrator can fix has a type of its own: {@link CallbackUriRefusedException}.
 */
public class TokenServerException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;

    TokenServerException(String message) {
        this(message, (Throwable) null);
    }

    TokenServerException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.retryAfter = null;
    }

    TokenServerException(String message, int status, Duration retryAfter) {
        super(message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status the token server refused with, or 0 when it gave no answer. */
    public int status() {
        return status;
    }

    /** How long the token server asked the portal to wait, when it limited the rate. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
