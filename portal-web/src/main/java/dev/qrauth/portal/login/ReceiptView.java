package dev.qrauth.portal.login;

import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.receipt.ChainEntry;
import dev.qrauth.protocol.receipt.ReceiptRecord;
import dev.qrauth.protocol.receipt.ReceiptStatement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * A receipt as the account page shows it ({@code docs/PROTOCOL.md}, "Receipts"): what the phone
 * showed and decided, when, with which key, and its place in the user's chain. The portal has
 * no certificate of the token server to check the countersignature with; it checks that the
 * statement is the one the chain entry hashes, and says so.
 */
public record ReceiptView(String heading, long seq, String decision, String text, String portal, String answeredAt,
                          String answeredAtIso, String deviceKey, boolean intact) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    /** The view of {@code record}, or empty when its parts do not parse. */
    static Optional<ReceiptView> of(String heading, ReceiptRecord record) {
        try {
            ReceiptStatement statement = record.parsedStatement();
            ChainEntry entry = record.parsedEntry();
            boolean intact = entry.statementSha256().equals(ChainEntry.sha256Hex(record.statementBytes()))
                    && entry.transactionId().equals(statement.transactionId());
            return Optional.of(new ReceiptView(heading, entry.seq(),
                    statement.decision() == AnswerDecision.CONFIRMED ? "approved"
                            : statement.decision() == AnswerDecision.DENIED ? "denied" : "answered",
                    statement.text(), statement.portal(),
                    TIME.format(statement.answeredAt().atOffset(ZoneOffset.UTC)), statement.answeredAt().toString(),
                    record.deviceCertificateFingerprint() == null ? "none: the phone sent no receipt"
                            : record.deviceCertificateFingerprint(), intact));
        } catch (ProtocolFormatException e) {
            return Optional.empty();
        }
    }
}
