package dev.qrauth.protocol.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The device-facing error body: {@code {"error": "INVALID_PIN", "error_message": "...",
 * "remaining_attempts": 2}}. {@code remaining_attempts} is present only with
 * {@link DeviceErrorCode#INVALID_PIN}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceError(
        @JsonProperty("error") DeviceErrorCode error,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("remaining_attempts") Integer remainingAttempts) {

    public DeviceError {
        Objects.requireNonNull(error, "error == null");
        Objects.requireNonNull(errorMessage, "errorMessage == null");
        if (remainingAttempts != null && remainingAttempts < 0) {
            throw new IllegalArgumentException("remaining_attempts < 0");
        }
    }

    public static DeviceError of(DeviceErrorCode error, String message) {
        return new DeviceError(error, message, null);
    }

    public static DeviceError invalidPin(int remainingAttempts) {
        return new DeviceError(DeviceErrorCode.INVALID_PIN, "Wrong PIN", remainingAttempts);
    }
}
