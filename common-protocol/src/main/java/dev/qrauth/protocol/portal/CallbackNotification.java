package dev.qrauth.protocol.portal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.message.TransactionStatus;
import java.util.UUID;

/**
 * The body the token server posts to a portal's callback URI. It says which transaction changed;
 * the portal reads the result with {@code GET .../transaction/{transaction_id}}. {@code status} is
 * this server's addition.
 */
public record CallbackNotification(
        @JsonProperty("callback_uri") String callbackUri,
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("status") TransactionStatus status) {
}
