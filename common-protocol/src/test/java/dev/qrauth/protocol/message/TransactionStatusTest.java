package dev.qrauth.protocol.message;

import static dev.qrauth.protocol.message.TransactionStatus.CANCELLED;
import static dev.qrauth.protocol.message.TransactionStatus.CONFIRMED;
import static dev.qrauth.protocol.message.TransactionStatus.EXPIRED;
import static dev.qrauth.protocol.message.TransactionStatus.PENDING;
import static dev.qrauth.protocol.message.TransactionStatus.REJECTED;
import static dev.qrauth.protocol.message.TransactionStatus.SCANNED;
import static dev.qrauth.protocol.message.TransactionStatus.UNRECOGNIZED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionStatusTest {

    @Test
    void onlyTheDocumentedTransitionsAreAllowed() {
        Set<String> allowed = Set.of("PENDING>SCANNED", "PENDING>EXPIRED", "PENDING>CANCELLED",
                "SCANNED>CONFIRMED", "SCANNED>REJECTED", "SCANNED>EXPIRED", "SCANNED>CANCELLED");
        for (TransactionStatus from : TransactionStatus.values()) {
            for (TransactionStatus to : TransactionStatus.values()) {
                assertThat(from.canMoveTo(to)).as(from + ">" + to).isEqualTo(allowed.contains(from + ">" + to));
            }
        }
    }

    @Test
    void terminalStatesAreExactlyTheFourOutcomes() {
        for (TransactionStatus status : TransactionStatus.values()) {
            assertThat(status.isTerminal()).as(status.name())
                    .isEqualTo(EnumSet.of(CONFIRMED, REJECTED, EXPIRED, CANCELLED).contains(status));
        }
    }

    @Test
    void aStatusFromANewerServerIsUnrecognized() {
        assertThat(TransactionStatus.fromWire("PENDING")).isEqualTo(PENDING);
        assertThat(TransactionStatus.fromWire("ARCHIVED")).isEqualTo(UNRECOGNIZED);
        assertThat(UNRECOGNIZED.canMoveTo(SCANNED)).isFalse();
    }
}
