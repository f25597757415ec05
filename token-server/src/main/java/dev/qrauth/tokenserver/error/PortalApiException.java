package dev.qrauth.tokenserver.error;

import dev.qrauth.protocol.error.PortalErrorCode;
import java.util.Objects;

/** A refusal on the portal API, answered with the Onegini-style body and the code's status. */
public final class PortalApiException extends RuntimeException {

    private final PortalErrorCode code;
    private final long retryAfterSeconds;

    public PortalApiException(PortalErrorCode code, String message) {
        this(code, message, 0);
    }

    /** A refusal that tells the portal when to try again ({@code Retry-After}). */
    public PortalApiException(PortalErrorCode code, String message, long retryAfterSeconds) {
        super(message == null ? code.defaultMessage() : message, null, false, false);
        this.code = Objects.requireNonNull(code, "code == null");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds for {@code Retry-After}, or 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public PortalErrorCode code() {
        return code;
    }
}
