package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@link MobileAuthMessage} or {@link MobileAuthAnswer} on the wire: the transaction id in
 * clear (for routing) and the encrypted, signed OpenPGP message in standard base64. The
 * transaction id inside the sealed payload is the one that counts; both must agree.
 * {@code docs/PROTOCOL.md}, "Fetch" and "Answer".
 */
public record SealedMessage(
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("message") String message) {

    /** Base64 of at most 48 KiB of OpenPGP data. */
    public static final int MAX_MESSAGE_LENGTH = 64 * 1024;

    public SealedMessage {
        Objects.requireNonNull(transactionId, "transactionId == null");
        message = Fields.required(message, "message", MAX_MESSAGE_LENGTH);
    }
}
