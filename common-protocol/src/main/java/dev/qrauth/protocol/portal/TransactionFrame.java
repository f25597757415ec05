package dev.qrauth.protocol.portal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.message.TransactionStatus;

/**
 * The answer to {@code GET /oauth/api/v4/authenticate/transaction/{transaction_id}/frame}, our
 * addition ({@code docs/PROTOCOL.md}, "GET .../frame"): the current frame of a rotating code.
 * {@code otp} is the OTP to show now, present only while the transaction is {@code PENDING};
 * {@code frame} counts the codes, 0 being the initiation's; {@code status} tells a portal whose
 * transaction has moved on (scanned, answered, expired, cancelled) to stop asking.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransactionFrame(
        @JsonProperty("otp") String otp,
        @JsonProperty("frame") int frame,
        @JsonProperty("rotation_seconds") int rotationSeconds,
        @JsonProperty("status") TransactionStatus status) {

    /** Whether the code may still be shown: the transaction is still waiting for a phone. */
    public boolean isPending() {
        return status == TransactionStatus.PENDING && otp != null;
    }

    @Override
    public String toString() {
        // Never the OTP: it is a secret of the browser that started the transaction.
        return "TransactionFrame[frame=" + frame + ", rotationSeconds=" + rotationSeconds + ", status=" + status + "]";
    }
}
