package dev.qrauth.tokenserver.error;

import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.protocol.error.DeviceErrorCode;
import java.util.Objects;

/** A refusal on the device API, answered with the device error body. */
public final class DeviceApiException extends RuntimeException {

    private final transient DeviceError body;

    public DeviceApiException(DeviceErrorCode code, String message) {
        this(DeviceError.of(code, message));
    }

    public DeviceApiException(DeviceError body) {
        super(body.error() + ": " + body.errorMessage(), null, false, false);
        this.body = Objects.requireNonNull(body, "body == null");
    }

    public DeviceError body() {
        return body;
    }
}
