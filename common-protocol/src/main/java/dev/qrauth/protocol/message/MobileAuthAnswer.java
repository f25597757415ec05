package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.receipt.SignedReceipt;
import java.util.Objects;
import java.util.UUID;

/**
 * The device-to-server answer of flow step 9. It travels encrypted to the server's key and
 * signed by the device's enrollment key. {@code docs/PROTOCOL.md}, "MobileAuthAnswer".
 *
 * @param version       the envelope version
 * @param transactionId the transaction answered; must match the one the message named
 * @param nonce         the nonce of the message being answered
 * @param decision      confirmed or denied
 * @param denyReason    only with a denial: why, when the user said
 * @param chosenNumber  for a number-matching request, the number the user picked
 * @param receipt       the phone's signed receipt of this answer ({@code docs/PROTOCOL.md},
 *                      "Receipts"); absent from phones that predate receipts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MobileAuthAnswer(
        @JsonProperty("version") int version,
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("nonce") String nonce,
        @JsonProperty("decision") AnswerDecision decision,
        @JsonProperty("deny_reason") DenyReason denyReason,
        @JsonProperty("chosen_number") Integer chosenNumber,
        @JsonProperty("receipt") SignedReceipt receipt) {

    public static final int VERSION = 1;

    public MobileAuthAnswer {
        if (version < 1) {
            throw new IllegalArgumentException("version < 1");
        }
        Objects.requireNonNull(transactionId, "transactionId == null");
        nonce = Nonce.check(nonce);
        Objects.requireNonNull(decision, "decision == null");
        if (denyReason != null && decision != AnswerDecision.DENIED) {
            throw new IllegalArgumentException("deny_reason only goes with a denial");
        }
        if (chosenNumber != null && !NumberChoices.isValid(chosenNumber)) {
            throw new IllegalArgumentException("chosen_number outside "
                    + NumberChoices.MIN + ".." + NumberChoices.MAX);
        }
    }

    /** An answer without a receipt, as phones sent before receipts. */
    public MobileAuthAnswer(int version, UUID transactionId, String nonce, AnswerDecision decision,
                            DenyReason denyReason, Integer chosenNumber) {
        this(version, transactionId, nonce, decision, denyReason, chosenNumber, null);
    }

    /** This answer with {@code signed} as its receipt. */
    public MobileAuthAnswer withReceipt(SignedReceipt signed) {
        return new MobileAuthAnswer(version, transactionId, nonce, decision, denyReason, chosenNumber, signed);
    }

    public static MobileAuthAnswer confirm(MobileAuthMessage message, Integer chosenNumber) {
        return new MobileAuthAnswer(VERSION, message.transactionId(), message.nonce(),
                AnswerDecision.CONFIRMED, null, chosenNumber);
    }

    public static MobileAuthAnswer deny(MobileAuthMessage message, DenyReason reason) {
        return new MobileAuthAnswer(VERSION, message.transactionId(), message.nonce(),
                AnswerDecision.DENIED, reason, null);
    }
}
