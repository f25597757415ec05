package dev.qrauth.tokenserver.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.tokenserver.device.Device;
import dev.qrauth.tokenserver.device.Registration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as the admin API shows it. */
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

    static UserView of(AppUser user, List<Registration> registrations) {
        List<DeviceView> devices = registrations.stream().map(registration -> {
            Device device = Device.findById(registration.deviceId);
            return new DeviceView(registration.deviceId, device == null ? null : device.name, registration.createdAt,
                    registration.isEnrolled(), registration.deviceKeyFingerprint, registration.failedPinAttempts);
        }).toList();
        return new UserView(user.userId, user.createdAt, devices);
    }
}
