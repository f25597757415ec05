package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * An activation code as the admin API returns it, once: after creating a user or issuing the user
 * another code. The user registers a device with it before {@code expiresAt}.
 */
public record IssuedActivationCode(
        @JsonProperty("user_id") String userId,
        @JsonProperty("activation_code") String activationCode,
        @JsonProperty("expires_at") Instant expiresAt) {

    @Override
    public String toString() {
        return "IssuedActivationCode[userId=" + userId + ", activationCode=<redacted>, expiresAt=" + expiresAt + "]";
    }
}
