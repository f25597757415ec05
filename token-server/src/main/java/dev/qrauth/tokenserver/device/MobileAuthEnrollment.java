package dev.qrauth.tokenserver.device;

import dev.qrauth.protocol.message.EnrollmentRequest;
import dev.qrauth.protocol.message.EnrollmentResponse;

/**
 * Enrolls a registered user for mobile authentication, for the device API's enrollment call
 * ({@code docs/PROTOCOL.md}, "Enrollment"). Enrollment is built on registrations, so the
 * enrollment package provides this to the device API rather than the other way round.
 */
public interface MobileAuthEnrollment {

    /** Enrolls (or re-enrolls, replacing the key) the user of the registration {@code registrationId}. */
    EnrollmentResponse enroll(Long registrationId, EnrollmentRequest request);
}
