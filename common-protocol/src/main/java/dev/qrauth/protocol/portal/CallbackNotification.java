package dev.qrauth.protocol.portal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.message.TransactionStatus;
import java.util.UUID;

/**
 * The body the token server posts to a portal's callback URI. It says which transaction changed;
 * the portal reads the result with {@code GET .../transaction/{transaction_id}}. {@code status} is
 * this server's addition, and so is {@code duress: true} for an answer given under a duress PIN
 * (absent otherwise, so the body of any other callback is unchanged).
 */
public record CallbackNotification(
        @JsonProperty("callback_uri") String callbackUri,
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("status") TransactionStatus status,
        @JsonProperty("duress") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean duress) {

    /** A callback that says nothing of duress. */
    public CallbackNotification(String callbackUri, UUID transactionId, TransactionStatus status) {
        this(callbackUri, transactionId, status, null);
    }

    /** Whether the answer was given under a duress PIN. */
    public boolean isDuress() {
        return Boolean.TRUE.equals(duress);
    }
}
