package dev.qrauth.tokenserver.error;

import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.protocol.error.DeviceErrorCode;
import java.util.Objects;

/** A refusal on the device API, answered with the device error body. */
public final class DeviceApiException extends RuntimeException {

    private final transient DeviceError body;
    private final long retryAfterSeconds;

    public DeviceApiException(DeviceErrorCode code, String message) {
        this(DeviceError.of(code, message));
    }

    public DeviceApiException(DeviceError body) {
        this(body, 0);
    }

    /** A refusal that tells the device when to try again ({@code Retry-After}). */
    public DeviceApiException(DeviceError body, long retryAfterSeconds) {
        super(body.error() + ": " + body.errorMessage(), null, false, false);
        this.body = Objects.requireNonNull(body, "body == null");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds for {@code Retry-After}, or 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public DeviceError body() {
        return body;
    }
}
