package dev.qrauth.tokenserver.device;

import java.time.Instant;
import java.util.UUID;

/**
 * What a fetch or an answer needs to know about the device and user behind it, read with the
 * device's and the session's authentication in one statement ({@link Devices#mobileAuthSession}).
 *
 * @param deviceCertificate      the enrolled certificate as stored, or null when not enrolled
 * @param disenrolledAt          when the server removed the enrollment, or null
 * @param failedFetches          failed fetches counted in the current window
 * @param failedFetchWindowStart start of that window, or null when none was counted
 * @param deviceSecretHash       the device's stored secret hash the request's secret matched
 * @param duress                 whether the session was opened with the duress PIN
 */
public record MobileAuthSession(UUID deviceId, String userId, long registrationId, String deviceCertificate,
                                Instant disenrolledAt, int failedFetches, Instant failedFetchWindowStart,
                                String deviceSecretHash, boolean duress) {

    @Override
    public String toString() {
        return "MobileAuthSession[device " + deviceId + ", user " + userId + "]";
    }
}
