package dev.qrauth.tokenserver.callback;

import dev.qrauth.tokenserver.callback.CallbackRecorder.Kind;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * How one attempt of a callback ended. What becomes of the row is decided from {@link #failure()}
 * alone; {@link #error()} holds the words recorded with the attempt for the people who read the
 * outbox, and nothing is ever decided by reading them.
 *
 * @param httpStatus the receiver's answer, or null when there was none
 * @param failure    why the callback was not delivered, or null when it was
 * @param error      the words recorded with the attempt: null exactly when {@code failure} is
 */
record AttemptResult(Integer httpStatus, Failure failure, String error) {

    /** Why an attempt did not deliver the callback. */
    enum Failure {
        /**
         * Not sent, and no later attempt can change that: the client no longer exists or is
         * disabled, the URI left its allow-list, or the address is one this server never calls.
         */
        REFUSED(true),
        /** Not sent: the callback's host does not resolve now, and may later. */
        UNRESOLVED(false),
        /** Not sent: preparing or starting the request failed in a way nobody planned for. */
        NOT_SENT(false),
        /** The receiver answered, with a status outside 2xx. */
        NOT_ACCEPTED(false),
        /** No connection, or no answer, within the configured timeouts. */
        TIMED_OUT(false),
        /** The connection was refused, or the address could not be reached. */
        UNREACHABLE(false),
        /** The exchange broke in some other way. */
        EXCHANGE_FAILED(false);

        private final boolean permanent;

        Failure(boolean permanent) {
            this.permanent = permanent;
        }

        /** Whether the row is abandoned at once, however young it is. */
        boolean permanent() {
            return permanent;
        }
    }

    AttemptResult {
        if ((failure == null) != (error == null)) {
            throw new IllegalArgumentException("an attempt has words recorded exactly when it failed");
        }
    }

    /** The receiver answered {@code status}: delivered when it is a 2xx. */
    static AttemptResult answered(int status) {
        return status >= 200 && status <= 299 ? new AttemptResult(status, null, null)
                : new AttemptResult(status, Failure.NOT_ACCEPTED, "HTTP " + status);
    }

    /** Nothing was sent, for {@code failure}, in the words {@code error}. */
    static AttemptResult notSent(Failure failure, String error) {
        return new AttemptResult(null, Objects.requireNonNull(failure, "failure == null"), error);
    }

    /** Preparing or starting the request threw {@code unplanned}: recorded by its type only. */
    static AttemptResult notSent(Throwable unplanned) {
        return notSent(Failure.NOT_SENT, "not sent: " + unplanned.getClass().getSimpleName());
    }

    /** The exchange ended without an answer, because of {@code cause}. */
    static AttemptResult noAnswer(Throwable cause) {
        // A connect timeout is a ConnectException too, so it is asked about first.
        if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
            return new AttemptResult(null, Failure.TIMED_OUT, "timed out");
        }
        if (cause instanceof ConnectException) {
            return new AttemptResult(null, Failure.UNREACHABLE, "connection refused or unreachable");
        }
        return new AttemptResult(null, Failure.EXCHANGE_FAILED, cause.getClass().getSimpleName());
    }

    /**
     * What becomes of the row: delivered; abandoned when no retry can help or the row is past the
     * maximum age ({@code pastMaxAge}); else retried.
     */
    Kind kind(boolean pastMaxAge) {
        if (failure == null) {
            return Kind.DELIVERED;
        }
        return failure.permanent() || pastMaxAge ? Kind.ABANDONED : Kind.RETRY;
    }
}
