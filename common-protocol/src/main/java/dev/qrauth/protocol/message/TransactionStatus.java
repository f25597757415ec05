package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The states of a mobile-auth transaction, {@code docs/PROTOCOL.md} "Transaction state
 * machine": {@code PENDING -> SCANNED -> CONFIRMED | REJECTED}, and {@code PENDING} or
 * {@code SCANNED -> EXPIRED | CANCELLED}. Open on the wire: an unknown value parses as
 * {@link #UNRECOGNIZED}.
 */
public enum TransactionStatus {
    PENDING,
    SCANNED,
    CONFIRMED,
    REJECTED,
    EXPIRED,
    CANCELLED,
    UNRECOGNIZED;

    /** Whether no further transition can happen. */
    public boolean isTerminal() {
        return this == CONFIRMED || this == REJECTED || this == EXPIRED || this == CANCELLED;
    }

    /** Whether the state machine allows going from this state to {@code next}. */
    public boolean canMoveTo(TransactionStatus next) {
        return switch (this) {
            case PENDING -> next == SCANNED || next == EXPIRED || next == CANCELLED;
            case SCANNED -> next == CONFIRMED || next == REJECTED || next == EXPIRED || next == CANCELLED;
            default -> false;
        };
    }

    @JsonValue
    public String wireName() {
        return name();
    }

    @JsonCreator
    public static TransactionStatus fromWire(String value) {
        for (TransactionStatus status : values()) {
            if (status.name().equals(value)) {
                return status;
            }
        }
        return UNRECOGNIZED;
    }
}
