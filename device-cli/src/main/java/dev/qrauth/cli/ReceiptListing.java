package dev.qrauth.cli;

import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.receipt.ReceiptChainCheck;
import dev.qrauth.protocol.receipt.ReceiptStatement;
import dev.qrauth.protocol.text.DisplayText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked receipt chain as {@code history} and {@code verify-chain} print it: one line per
 * receipt, then every finding, then the verdict. Text from the receipts is shown escaped: it came
 * from a portal through the server.
 */
final class ReceiptListing {

    private ReceiptListing() {
    }

    /** The sentences for people. */
    static String text(String heading, ReceiptChainCheck.Report report) {
        StringBuilder text = new StringBuilder(heading).append(System.lineSeparator());
        for (ReceiptChainCheck.Checked receipt : report.receipts()) {
            ReceiptStatement statement = receipt.statement();
            text.append(String.format("  %4d  %s  %-8s  %s%n", receipt.entry().seq(), receipt.entry().recordedAt(),
                    statement == null ? "?" : decision(statement.decision()),
                    statement == null ? "(unreadable statement)" : DisplayText.escaped("\"" + statement.text()
                            + "\" at " + statement.portal() + context(statement))));
        }
        for (ReceiptChainCheck.Finding finding : report.findings()) {
            text.append(finding.problem().fatal() ? "PROBLEM: " : "Note: ")
                    .append(DisplayText.escaped(finding.message())).append(System.lineSeparator());
        }
        long problems = report.findings().stream().filter(f -> f.problem().fatal()).count();
        text.append(problems == 0
                ? "The chain verifies: every receipt is intact, in order, countersigned by the server and signed by the phone."
                : "The chain does NOT verify: " + problems + (problems == 1 ? " problem" : " problems") + " found.");
        return text.toString();
    }

    /** The same for scripts. */
    static Map<String, Object> json(ReceiptChainCheck.Report report) {
        List<Map<String, Object>> receipts = new ArrayList<>();
        for (ReceiptChainCheck.Checked receipt : report.receipts()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seq", receipt.entry().seq());
            row.put("transaction_id", receipt.entry().transactionId().toString());
            row.put("recorded_at", receipt.entry().recordedAt().toString());
            row.put("device_signed", receipt.entry().deviceSigned());
            if (receipt.statement() != null) {
                row.put("decision", receipt.statement().decision().wireName());
                row.put("text", receipt.statement().text());
                row.put("portal", receipt.statement().portal());
            }
            receipts.add(row);
        }
        List<Map<String, Object>> findings = new ArrayList<>();
        for (ReceiptChainCheck.Finding finding : report.findings()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("problem", finding.problem().name());
            row.put("fatal", finding.problem().fatal());
            row.put("seq", finding.seq());
            row.put("transaction_id", finding.transactionId() == null ? null : finding.transactionId().toString());
            row.put("message", finding.message());
            findings.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("verified", report.trustworthy());
        body.put("receipts", receipts);
        body.put("findings", findings);
        return body;
    }

    private static String decision(AnswerDecision decision) {
        return switch (decision) {
            case CONFIRMED -> "approved";
            case DENIED -> "denied";
            default -> "unknown";
        };
    }

    private static String context(ReceiptStatement statement) {
        List<String> parts = new ArrayList<>();
        if (statement.context().browser() != null) {
            parts.add(statement.context().browser()
                    + (statement.context().operatingSystem() == null ? "" : " on " + statement.context().operatingSystem()));
        }
        if (statement.context().ipAddress() != null) {
            parts.add(statement.context().ipAddress());
        }
        if (statement.context().location() != null) {
            parts.add(statement.context().location());
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }
}
