package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as the admin API shows it ({@code GET /admin/api/v1/users/{user_id}}). */
public record UserView(
        @JsonProperty("user_id") String userId,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("devices") List<DeviceView> devices) {

    /** One device the user is registered on. */
    public record DeviceView(
            @JsonProperty("device_id") UUID deviceId,
            @JsonProperty("name") String name,
            @JsonProperty("registered_at") Instant registeredAt,
            @JsonProperty("mobile_auth_enrolled") boolean mobileAuthEnrolled,
            @JsonProperty("device_key_fingerprint") String deviceKeyFingerprint,
            @JsonProperty("failed_pin_attempts") int failedPinAttempts) {
    }
}
