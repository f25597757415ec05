package dev.qrauth.protocol.pgp;

import java.util.Objects;

/** An armored key or certificate that cannot be read, or that the {@link PgpPolicy} refuses. */
public final class PgpFormatException extends RuntimeException {

    private final PgpFailure reason;

    PgpFormatException(PgpFailure reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason == null");
    }

    /** {@link PgpFailure#MALFORMED} or {@link PgpFailure#REFUSED_BY_POLICY}. */
    public PgpFailure reason() {
        return reason;
    }
}
