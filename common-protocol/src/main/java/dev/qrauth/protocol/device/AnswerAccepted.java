package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.message.TransactionStatus;

/**
 * The answer to an accepted answer (flow step 9): the state the transaction reached, and for a
 * type with reverse code entry the code the user types into the browser ({@code docs/PROTOCOL.md},
 * "Reverse code entry"); the transaction then stays {@code SCANNED} until the portal submits it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnswerAccepted(@JsonProperty("status") TransactionStatus status,
                             @JsonProperty("reverse_code") String reverseCode) {

    public AnswerAccepted(TransactionStatus status) {
        this(status, null);
    }
}
