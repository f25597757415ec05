package dev.qrauth.protocol.error;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The error body of the admin API and of anything outside the three APIs:
 * {@code {"error": "not_found", "error_message": "..."}}.
 */
public record AdminError(@JsonProperty("error") String error, @JsonProperty("error_message") String errorMessage) {
}
