package dev.qrauth.protocol.error;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The body of a 401 on the portal-facing API: {@code {"error": "invalid_client",
 * "error_description": "..."}}, as an OAuth token endpoint answers a bad client.
 */
public record InvalidClientError(
        @JsonProperty("error") String error,
        @JsonProperty("error_description") String errorDescription) {

    public static final String INVALID_CLIENT = "invalid_client";

    public InvalidClientError {
        Objects.requireNonNull(error, "error == null");
    }

    public static InvalidClientError invalidClient(String description) {
        return new InvalidClientError(INVALID_CLIENT, description);
    }
}
