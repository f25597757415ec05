package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MobileAuthAnswer(
        @JsonProperty("version") int version,
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("nonce") String nonce,
        @JsonProperty("decision") AnswerDecision decision,
        @JsonProperty("deny_reason") DenyReason denyReason,
        @JsonProperty("chosen_number") Integer chosenNumber) {

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

    public static MobileAuthAnswer confirm(MobileAuthMessage message, Integer chosenNumber) {
        return new MobileAuthAnswer(VERSION, message.transactionId(), message.nonce(),
                AnswerDecision.CONFIRMED, null, chosenNumber);
    }

    public static MobileAuthAnswer deny(MobileAuthMessage message, DenyReason reason) {
        return new MobileAuthAnswer(VERSION, message.transactionId(), message.nonce(),
                AnswerDecision.DENIED, reason, null);
    }
}
