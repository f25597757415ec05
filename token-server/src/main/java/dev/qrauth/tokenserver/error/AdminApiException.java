package dev.qrauth.tokenserver.error;

import java.util.Objects;

/** A refusal on the admin API. */
public final class AdminApiException extends RuntimeException {

    /** The admin API's error codes and their statuses. */
    public enum Code {
        INVALID_REQUEST("invalid_request", 400),
        UNAUTHORIZED("unauthorized", 401),
        NOT_FOUND("not_found", 404),
        CONFLICT("conflict", 409),
        RATE_LIMITED("rate_limited", 429);

        final String wireName;
        final int status;

        Code(String wireName, int status) {
            this.wireName = wireName;
            this.status = status;
        }
    }

    private final Code code;
    private final long retryAfterSeconds;

    public AdminApiException(Code code, String message) {
        this(code, message, 0);
    }

    /** A refusal that tells the caller when to try again ({@code Retry-After}). */
    public AdminApiException(Code code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code == null");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Code code() {
        return code;
    }

    /** Seconds for {@code Retry-After}, or 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static AdminApiException notFound(String message) {
        return new AdminApiException(Code.NOT_FOUND, message);
    }

    public static AdminApiException invalid(String message) {
        return new AdminApiException(Code.INVALID_REQUEST, message);
    }

    public static AdminApiException conflict(String message) {
        return new AdminApiException(Code.CONFLICT, message);
    }
}
