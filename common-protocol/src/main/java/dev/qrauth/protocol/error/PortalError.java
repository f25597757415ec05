package dev.qrauth.protocol.error;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The portal-facing error body, in the Onegini shape {@code {"error_code": "1003", "description":
 * "..."}} ({@code docs/PROTOCOL.md}, "Portal API errors"). The code is written as a string, as
 * Onegini does, and read from a string or a number, so that a code from a newer server still
 * parses. {@code error_message} (the same text) is kept beside {@code description} for portals
 * written against earlier qrauth versions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PortalError(
        @JsonProperty("error_code") @JsonFormat(shape = JsonFormat.Shape.STRING) int errorCode,
        @JsonProperty("description") String description,
        @JsonProperty("error_message") String errorMessage) {

    public PortalError {
        if (description == null && errorMessage == null) {
            throw new NullPointerException("description == null");
        }
        if (description == null) {
            description = errorMessage;
        }
        if (errorMessage == null) {
            errorMessage = description;
        }
    }

    public PortalError(int errorCode, String description) {
        this(errorCode, description, description);
    }

    public static PortalError of(PortalErrorCode code, String message) {
        Objects.requireNonNull(code, "code == null");
        return new PortalError(code.code(), message == null ? code.defaultMessage() : message);
    }

    public static PortalError of(PortalErrorCode code) {
        return of(code, null);
    }
}
