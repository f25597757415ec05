package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A device enrolling a user for mobile authentication sends its public OpenPGP certificate,
 * ASCII-armored. {@code docs/PROTOCOL.md}, "Enrollment".
 */
public record EnrollmentRequest(@JsonProperty("device_certificate") String deviceCertificate) {

    public static final int MAX_CERTIFICATE_LENGTH = 16 * 1024;

    public EnrollmentRequest {
        deviceCertificate = Fields.required(deviceCertificate, "device_certificate", MAX_CERTIFICATE_LENGTH);
    }
}
