package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /device/api/v1/users}: register a user on this device, optionally with a duress
 * PIN ({@code docs/PROTOCOL.md}, "Duress PIN"), which is left out of the JSON when null.
 */
public record UserRegistrationRequest(
        @JsonProperty("user_id") String userId,
        @JsonProperty("activation_code") String activationCode,
        @JsonProperty("pin") String pin,
        @JsonProperty("duress_pin") @JsonInclude(JsonInclude.Include.NON_NULL) String duressPin) {

    /** A registration without a duress PIN. */
    public UserRegistrationRequest(String userId, String activationCode, String pin) {
        this(userId, activationCode, pin, null);
    }

    @Override
    public String toString() {
        return "UserRegistrationRequest[userId=" + userId + ", activationCode=<redacted>, pin=<redacted>, duressPin=" + (duressPin == null ? "none" : "<redacted>") + "]";
    }
}
