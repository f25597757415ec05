package dev.qrauth.protocol.error;

/**
 * The numeric error codes of the portal-facing API. The codes below 9000 are the same numbers
 * with the same HTTP statuses as the Onegini Token Server v4 mobile-authentication API; the
 * 9000 range is this server's addition for cases that API does not name. See
 * {@code docs/PROTOCOL.md}, "Portal API errors".
 */
public enum PortalErrorCode {
    MOBILE_AUTH_DISABLED(1000, 404, "Mobile authentication is disabled"),
    NO_MOBILE_AUTH_POSSIBILITIES(1001, 404, "No mobile authentication possibilities"),
    INVALID_PARAMETER(1003, 400, "Invalid or missing parameter"),
    MESSAGE_TOO_LONG(1005, 400, "Message too long"),
    AUTHENTICATION_MESSAGE_NOT_FETCHED(1006, 404, "Failed to fetch authentication message"),
    /** No transaction with that id that this client created (Onegini: "invalid transaction id"). */
    TRANSACTION_NOT_FOUND(3004, 404, "Invalid transaction id"),
    TYPE_NOT_FOUND(3005, 404, "Mobile authentication type not found"),

    /** The transaction has already ended; it can no longer be cancelled. */
    TRANSACTION_NOT_PENDING(9001, 409, "Transaction is no longer pending"),
    /** Initiation rate or pending-transaction cap reached; the response carries {@code Retry-After}. */
    RATE_LIMITED(9002, 429, "Too many requests"),
    /** The request body is larger than the server accepts. */
    REQUEST_TOO_LARGE(9003, 413, "Request too large"),
    /** No such resource, such as an unknown user or device. */
    NOT_FOUND(9004, 404, "Not found"),
    /** The server cannot reach its database just now; the response carries {@code Retry-After}. */
    SERVICE_UNAVAILABLE(9005, 503, "Service temporarily unavailable");

    private final int code;
    private final int httpStatus;
    private final String defaultMessage;

    PortalErrorCode(int code, int httpStatus, String defaultMessage) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    /** The number sent (as a string) in {@code error_code}. */
    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    /** The constant for a wire number, or {@code null} for a number this version does not know. */
    public static PortalErrorCode fromCode(int code) {
        for (PortalErrorCode value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return null;
    }
}
