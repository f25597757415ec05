package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /device/api/v1/users}: register a user on this device. */
public record UserRegistrationRequest(
        @JsonProperty("user_id") String userId,
        @JsonProperty("activation_code") String activationCode,
        @JsonProperty("pin") String pin) {

    @Override
    public String toString() {
        return "UserRegistrationRequest[userId=" + userId + ", activationCode=<redacted>, pin=<redacted>]";
    }
}
