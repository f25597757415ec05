package dev.qrauth.portalclient;

import dev.qrauth.protocol.portal.CallbackNotification;
import java.util.Objects;

/**
 * What {@link CallbackVerifier#verify} found: the callback it accepted, or the reason it refused
 * one. A refused callback must change nothing; answer it with {@link #httpStatus()}.
 *
 * @param verdict      accepted, or why not
 * @param notification the parsed body, only when accepted
 */
public record CallbackVerification(Verdict verdict, CallbackNotification notification) {

    /** The outcome of the checks, in the order they are made. */
    public enum Verdict {
        /** Credentials (when configured) and signature hold, and the body is a callback. */
        ACCEPTED,
        /** The callback's Basic credentials are missing or wrong. */
        WRONG_CREDENTIALS,
        /** No {@code X-Signature} header. */
        SIGNATURE_MISSING,
        /** An {@code X-Signature} that is not {@code t=<seconds>,v1=<64 hex digits>}. */
        SIGNATURE_MALFORMED,
        /** The signature's time lies outside the tolerance: an old callback replayed, or a wrong clock. */
        SIGNATURE_STALE,
        /** No {@code v1} matches the body under the signing secret. */
        SIGNATURE_MISMATCH,
        /** Authentic, but the body is not a callback notification. */
        UNREADABLE_BODY
    }

    public CallbackVerification {
        Objects.requireNonNull(verdict, "verdict == null");
        if ((verdict == Verdict.ACCEPTED) != (notification != null)) {
            throw new IllegalArgumentException("a notification exactly when accepted");
        }
    }

    /** Whether the callback may be acted on: read its transaction's result. */
    public boolean isAccepted() {
        return verdict == Verdict.ACCEPTED;
    }

    /**
     * What to answer the token server: {@code 204} for an accepted callback, {@code 401} for a
     * failed credential or signature check, {@code 400} for an unreadable body.
     */
    public int httpStatus() {
        return switch (verdict) {
            case ACCEPTED -> 204;
            case UNREADABLE_BODY -> 400;
            default -> 401;
        };
    }
}
