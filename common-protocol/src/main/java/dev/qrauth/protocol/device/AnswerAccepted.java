package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.message.TransactionStatus;

/** The answer to an accepted answer (flow step 9): the state the transaction reached. */
public record AnswerAccepted(@JsonProperty("status") TransactionStatus status) {
}
