package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The server's reply to an enrollment: its public OpenPGP certificate (ASCII-armored), which
 * the device uses to verify messages and to encrypt answers, and the fingerprint of the device
 * key the server recorded. {@code docs/PROTOCOL.md}, "Enrollment".
 */
public record EnrollmentResponse(
        @JsonProperty("server_certificate") String serverCertificate,
        @JsonProperty("device_key_fingerprint") String deviceKeyFingerprint) {

    public EnrollmentResponse {
        serverCertificate = Fields.required(serverCertificate, "server_certificate",
                EnrollmentRequest.MAX_CERTIFICATE_LENGTH);
        deviceKeyFingerprint = Fields.required(deviceKeyFingerprint, "device_key_fingerprint", 128);
    }
}
