package dev.qrauth.protocol.error;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The OAuth error body of the portal-facing API's client authentication: {@code {"error":
 * "invalid_client", "error_description": "..."}} with 401 for a bad client, and {@code
 * invalid_request} with 400 for a request that authenticates its client in two ways at once.
 */
public record InvalidClientError(
        @JsonProperty("error") String error,
        @JsonProperty("error_description") String errorDescription) {

    public static final String INVALID_CLIENT = "invalid_client";
    /** A request that authenticates its client in more than one way (RFC 6749, section 5.2). */
    public static final String INVALID_REQUEST = "invalid_request";

    public InvalidClientError {
        Objects.requireNonNull(error, "error == null");
    }

    public static InvalidClientError invalidClient(String description) {
        return new InvalidClientError(INVALID_CLIENT, description);
    }
}
