package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpPayload;
import dev.qrauth.protocol.otp.ShortCode;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.tokenserver.authtype.TypeRules;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A checked initiation about to be written: the request, the type it was checked against and
 * what was drawn for it ({@link Transactions#prepare}). The code is the secret half of the OTP;
 * only its hash is stored. The short code is what a person types instead of scanning; only its
 * keyed hash is stored ({@link Transactions#shortCodeHash}). {@code approvers} is the group of a
 * four-eyes transaction (from the initiation or the type), empty for any other.
 */
record NewTransaction(InitiateRequest request, TypeRules type, UUID transactionId, String code, String message,
                      Integer bindingCode, Instant createdAt, Instant expiresAt, String shortCode,
                      List<String> approvers) {

    /** The answer to the portal once the row is written. */
    AuthenticationStarted started() {
        String otp = OtpCodec.encode(new OtpPayload(transactionId, code));
        return new AuthenticationStarted(transactionId, AuthenticationStarted.AUTH_METHOD_OTP,
                type.timeToLiveSeconds() * 1000L, otp, expiresAt, bindingCode, type.reverseCode() ? Boolean.TRUE : null,
                shortCode == null ? null : ShortCode.grouped(shortCode), type.rotationSeconds());
    }

    @Override
    public String toString() {
        // Never the code: a record's generated toString would print it into any log it reaches.
        return "NewTransaction[" + transactionId + ", type " + type.name() + "]";
    }
}
