package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to a user registration. */
public record UserRegistrationResponse(@JsonProperty("user_id") String userId) {
}
