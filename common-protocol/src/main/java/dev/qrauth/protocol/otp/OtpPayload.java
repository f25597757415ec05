package dev.qrauth.protocol.otp;

import java.util.Objects;
import java.util.UUID;

/**
 * What an OTP carries: the transaction it belongs to and the one-time code that proves the
 * holder saw the QR. See {@code docs/PROTOCOL.md}, section "The OTP".
 *
 * @param transactionId the mobile-auth transaction
 * @param code          the one-time code, {@link OtpCode#isWellFormed(String) well formed}
 */
public record OtpPayload(UUID transactionId, String code) {

    public OtpPayload {
        Objects.requireNonNull(transactionId, "transactionId == null");
        Objects.requireNonNull(code, "code == null");
        if (!OtpCode.isWellFormed(code)) {
            throw new IllegalArgumentException(
                    "code must be " + OtpCode.MIN_LENGTH + ".." + OtpCode.MAX_LENGTH
                            + " characters of the base64url alphabet");
        }
    }

    /** The code is a secret: never let it reach a log line through {@code toString}. */
    @Override
    public String toString() {
        return "OtpPayload[transactionId=" + transactionId + ", code=<redacted>]";
    }
}
