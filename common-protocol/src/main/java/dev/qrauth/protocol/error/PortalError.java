package dev.qrauth.protocol.error;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The portal-facing error body: {@code {"error_code": 1003, "error_message": "..."}}. The code
 * is kept as a number so that a code from a newer server still parses.
 */
public record PortalError(
        @JsonProperty("error_code") int errorCode,
        @JsonProperty("error_message") String errorMessage) {

    public PortalError {
        Objects.requireNonNull(errorMessage, "errorMessage == null");
    }

    public static PortalError of(PortalErrorCode code, String message) {
        Objects.requireNonNull(code, "code == null");
        return new PortalError(code.code(), message == null ? code.defaultMessage() : message);
    }

    public static PortalError of(PortalErrorCode code) {
        return of(code, null);
    }
}
