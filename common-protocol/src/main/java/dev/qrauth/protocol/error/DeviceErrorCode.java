package dev.qrauth.protocol.error;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The stable, machine-readable codes of the device API and the SDK. The first group matches the
 * SDK's error table one to one; some of those only the SDK raises (no server sends them). The
 * second group only the server sends; the SDK reports them through the code of the first group
 * named in {@code docs/PROTOCOL.md}, "Device API errors".
 *
 * <p>The enum is open on the wire: a code from a newer server parses as {@link #UNRECOGNIZED}.
 */
public enum DeviceErrorCode {
    DEVICE_DEREGISTERED(401, Origin.SERVER),
    USER_DEREGISTERED(403, Origin.SERVER),
    NETWORK_CONNECTIVITY_FAILURE(0, Origin.SDK),
    SERVER_NOT_REACHABLE(0, Origin.SDK),
    NOT_FOUND(404, Origin.SERVER),
    NOT_HANDLEABLE(0, Origin.SDK),
    USER_DISENROLLED(403, Origin.SERVER),
    NOT_ENROLLED(403, Origin.SERVER),
    USER_NOT_AUTHENTICATED(401, Origin.SERVER),
    INVALID_PIN(401, Origin.SERVER),
    ALREADY_HANDLED(409, Origin.SERVER),
    ACTION_ALREADY_IN_PROGRESS(0, Origin.SDK),
    ACTION_CANCELLED(0, Origin.SDK),

    /** The request broke the documented shape: bad JSON, a missing or malformed field. */
    INVALID_REQUEST(400, Origin.SERVER),
    /** The body is larger than the server accepts. */
    REQUEST_TOO_LARGE(413, Origin.SERVER),
    /** The activation code is unknown, used or expired. */
    INVALID_ACTIVATION_CODE(400, Origin.SERVER),
    /** The PIN is too short, all one digit, or a straight sequence. */
    PIN_NOT_ALLOWED(400, Origin.SERVER),
    /** The answer failed verification: signature, decryption, nonce, transaction or number. */
    INVALID_ANSWER(422, Origin.SERVER),
    /** Too many requests; the response carries {@code Retry-After}. */
    RATE_LIMITED(429, Origin.SERVER),
    /** The server cannot reach its database just now; the response carries {@code Retry-After}. */
    SERVICE_UNAVAILABLE(503, Origin.SERVER),

    /** A code this version does not know, from a newer peer. */
    UNRECOGNIZED(0, Origin.SDK);

    /** Who produces a code. */
    public enum Origin {
        /** Sent by the server in a device error body. */
        SERVER,
        /** Raised by the SDK itself, never sent on the wire. */
        SDK
    }

    private final int httpStatus;
    private final Origin origin;

    DeviceErrorCode(int httpStatus, Origin origin) {
        this.httpStatus = httpStatus;
        this.origin = origin;
    }

    /** The HTTP status the server answers with this code; 0 for codes only the SDK raises. */
    public int httpStatus() {
        return httpStatus;
    }

    public Origin origin() {
        return origin;
    }

    @JsonValue
    public String wireName() {
        return name();
    }

    /** Parses a wire code; an unknown or missing code is {@link #UNRECOGNIZED}, never an error. */
    @JsonCreator
    public static DeviceErrorCode fromWire(String value) {
        if (value != null) {
            for (DeviceErrorCode code : values()) {
                if (code.name().equals(value)) {
                    return code;
                }
            }
        }
        return UNRECOGNIZED;
    }
}
