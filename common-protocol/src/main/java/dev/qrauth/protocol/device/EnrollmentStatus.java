package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code GET .../mobile-auth/enrollment}: whether the user is enrolled, and with which key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnrollmentStatus(
        @JsonProperty("enrolled") boolean enrolled,
        @JsonProperty("device_key_fingerprint") String deviceKeyFingerprint) {
}
