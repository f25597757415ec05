package dev.qrauth.protocol.receipt;

import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpVerification;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a user's receipt chain as a phone or an offline verifier holds it, against the token
 * server's certificate: {@code docs/PROTOCOL.md}, "Verifying a chain". For each receipt, in the
 * order given, and in this order:
 * <ol>
 *   <li>the entry parses, else {@link Problem#MALFORMED};</li>
 *   <li>the server's signature over the entry's bytes verifies, else {@link Problem#FORGED_SERVER_SIGNATURE};</li>
 *   <li>its seq is the one after the previous entry's, else {@link Problem#MISSING_ENTRIES} (a jump
 *       ahead) or {@link Problem#OUT_OF_ORDER} (back);</li>
 *   <li>its previous hash is the previous entry's hash, else {@link Problem#BROKEN_LINK};</li>
 *   <li>the statement and the device signature are the bytes the entry hashes, else
 *       {@link Problem#TAMPERED_STATEMENT} or {@link Problem#TAMPERED_DEVICE_SIGNATURE};</li>
 *   <li>the statement names the entry's transaction and user, else {@link Problem#MISMATCHED};</li>
 *   <li>with device certificates given, the device signature verifies with one, else
 *       {@link Problem#BAD_DEVICE_SIGNATURE};</li>
 *   <li>the phone signed it: an entry without a device signature is {@link Problem#UNSIGNED_BY_DEVICE};
 *       with the phone's own receipts given, a statement the phone does not hold is
 *       {@link Problem#NOT_SIGNED_BY_THIS_PHONE}.</li>
 * </ol>
 * Finally, with the phone's receipts given and a chain read from its start, a receipt the phone
 * holds that the chain lacks is {@link Problem#PHONE_RECEIPT_NOT_IN_CHAIN}: a warning only, since
 * the server keeps no receipt of an answer it refused (one sent after expiry, say).
 */
public final class ReceiptChainCheck {

    /** What can be wrong. {@link #fatal()} says whether it makes the chain untrustworthy. */
    public enum Problem {
        MALFORMED(true),
        FORGED_SERVER_SIGNATURE(true),
        MISSING_ENTRIES(true),
        OUT_OF_ORDER(true),
        BROKEN_LINK(true),
        TAMPERED_STATEMENT(true),
        TAMPERED_DEVICE_SIGNATURE(true),
        MISMATCHED(true),
        BAD_DEVICE_SIGNATURE(true),
        UNSIGNED_BY_DEVICE(true),
        NOT_SIGNED_BY_THIS_PHONE(true),
        PHONE_RECEIPT_NOT_IN_CHAIN(false),
        /** Older than every receipt a phone keeps after it dropped its oldest: it cannot tell. */
        OLDER_THAN_PHONE_RECEIPTS(false);

        private final boolean fatal;

        Problem(boolean fatal) {
            this.fatal = fatal;
        }

        public boolean fatal() {
            return fatal;
        }
    }

    /** One problem found, at a receipt ({@code seq} 0 and no transaction when none applies). */
    public record Finding(Problem problem, long seq, UUID transactionId, String message) {
        public Finding {
            Objects.requireNonNull(problem, "problem == null");
            Objects.requireNonNull(message, "message == null");
        }
    }

    /** A receipt that passed the checks, parsed, and whether it had findings. */
    public record Checked(ReceiptRecord record, ChainEntry entry, ReceiptStatement statement) {
    }

    /** The result: every finding, and the receipts that parsed, in the order given. */
    public record Report(List<Finding> findings, List<Checked> receipts) {
        public Report {
            findings = List.copyOf(findings);
            receipts = List.copyOf(receipts);
        }

        /** True when no finding is fatal. */
        public boolean trustworthy() {
            return findings.stream().noneMatch(f -> f.problem().fatal());
        }
    }

    private final OpenPgp pgp;
    private final PgpCertificate server;
    private final Collection<PgpCertificate> devices;
    private final Map<UUID, SignedReceipt> phoneReceipts;

    /**
     * @param pgp           the facade to verify with
     * @param server        the token server's certificate
     * @param devices       device certificates to verify device signatures with, or empty to skip that step
     * @param phoneReceipts the phone's own receipts by transaction, or null to skip the last step
     */
    public ReceiptChainCheck(OpenPgp pgp, PgpCertificate server, Collection<PgpCertificate> devices,
                             Map<UUID, SignedReceipt> phoneReceipts) {
        this(pgp, server, devices, phoneReceipts, false);
    }

    /**
     * As above, for a phone that keeps only its newest receipts: with {@code phoneDroppedOlder},
     * an entry older than the oldest receipt the phone holds is
     * {@link Problem#OLDER_THAN_PHONE_RECEIPTS}, a warning, rather than not signed by it.
     */
    public ReceiptChainCheck(OpenPgp pgp, PgpCertificate server, Collection<PgpCertificate> devices,
                             Map<UUID, SignedReceipt> phoneReceipts, boolean phoneDroppedOlder) {
        this.pgp = Objects.requireNonNull(pgp, "pgp == null");
        this.server = Objects.requireNonNull(server, "server == null");
        this.devices = List.copyOf(Objects.requireNonNull(devices, "devices == null"));
        this.phoneReceipts = phoneReceipts == null ? null : Map.copyOf(phoneReceipts);
        this.phoneDroppedOlder = phoneDroppedOlder;
    }

    private final boolean phoneDroppedOlder;

    /** Whether the phone holds exactly this statement and device signature: it made them itself. */
    private boolean phoneHolds(UUID transaction, byte[] statementBytes, byte[] signatureBytes) {
        SignedReceipt own = phoneReceipts == null ? null : phoneReceipts.get(transaction);
        return own != null && Arrays.equals(own.statementBytes(), statementBytes)
                && Arrays.equals(own.signatureBytes(), signatureBytes);
    }

    /**
     * Checks {@code receipts}, which continue the chain after {@code afterSeq} (0 for a chain
     * from its start, whose first entry must link to {@link ChainEntry#GENESIS}).
     */
    public Report check(List<ReceiptRecord> receipts, long afterSeq) {
        List<Finding> findings = new ArrayList<>();
        List<Checked> checked = new ArrayList<>();
        Set<UUID> inChain = new HashSet<>();
        long expectedSeq = afterSeq + 1;
        String previousHash = afterSeq == 0 ? ChainEntry.GENESIS : null;
        // The first entry the phone holds: before it, a phone that dropped its oldest receipts
        // cannot tell its own answers from others'.
        long oldestHeld = Long.MAX_VALUE;
        if (phoneReceipts != null) {
            for (ReceiptRecord record : receipts) {
                if (phoneReceipts.containsKey(record.transactionId())) {
                    oldestHeld = Math.min(oldestHeld, record.seq());
                }
            }
        }
        for (ReceiptRecord record : receipts) {
            inChain.add(record.transactionId());
            // 1.
            ChainEntry entry;
            try {
                entry = record.parsedEntry();
            } catch (ProtocolFormatException e) {
                findings.add(new Finding(Problem.MALFORMED, record.seq(), record.transactionId(),
                        "receipt " + record.seq() + ": the chain entry is not a chain entry"));
                previousHash = null;
                expectedSeq = record.seq() + 1;
                continue;
            }
            long seq = entry.seq();
            UUID transaction = entry.transactionId();
            // 2.
            if (!(pgp.verifyDetached(record.entryBytes(), record.serverSignatureBytes(), List.of(server))
                    instanceof PgpVerification.Verified)) {
                findings.add(new Finding(Problem.FORGED_SERVER_SIGNATURE, seq, transaction,
                        "receipt " + seq + ": the server's signature does not verify with the server certificate "
                                + server.fingerprint()));
            }
            if (record.seq() != seq || !record.transactionId().equals(transaction)) {
                findings.add(new Finding(Problem.MISMATCHED, seq, transaction,
                        "receipt " + record.seq() + ": its seq or transaction differs from its signed entry's"));
            }
            // 3.
            boolean inOrder = seq == expectedSeq;
            if (seq > expectedSeq) {
                findings.add(new Finding(Problem.MISSING_ENTRIES, seq, transaction, seq - expectedSeq == 1
                        ? "receipt " + expectedSeq + " is missing from the chain"
                        : "receipts " + expectedSeq + " to " + (seq - 1) + " are missing from the chain"));
            } else if (seq < expectedSeq) {
                findings.add(new Finding(Problem.OUT_OF_ORDER, seq, transaction,
                        "receipt " + seq + " comes after receipt " + (expectedSeq - 1) + ": the chain is out of order"));
            }
            // 4.
            if (inOrder && previousHash != null && !previousHash.equals(entry.previousHash())) {
                findings.add(new Finding(Problem.BROKEN_LINK, seq, transaction,
                        "receipt " + seq + " does not link to the receipt before it"));
            }
            // 5.
            byte[] statementBytes = record.statementBytes();
            if (!ChainEntry.sha256Hex(statementBytes).equals(entry.statementSha256())) {
                findings.add(new Finding(Problem.TAMPERED_STATEMENT, seq, transaction,
                        "receipt " + seq + ": the statement is not the one the server recorded (tampered)"));
            }
            byte[] signatureBytes = record.deviceSignatureBytes();
            if (entry.deviceSigned() && (signatureBytes == null
                    || !ChainEntry.sha256Hex(signatureBytes).equals(entry.deviceSignatureSha256()))) {
                findings.add(new Finding(Problem.TAMPERED_DEVICE_SIGNATURE, seq, transaction,
                        "receipt " + seq + ": the device signature is not the one the server recorded"));
            }
            // 6.
            ReceiptStatement statement = null;
            try {
                statement = record.parsedStatement();
                if (!statement.transactionId().equals(transaction) || !statement.userId().equals(entry.userId())) {
                    findings.add(new Finding(Problem.MISMATCHED, seq, transaction,
                            "receipt " + seq + ": the statement is about another transaction or user"));
                }
            } catch (ProtocolFormatException e) {
                findings.add(new Finding(Problem.MALFORMED, seq, transaction,
                        "receipt " + seq + ": the statement is not a receipt statement"));
            }
            // 7.
            // A statement and signature the phone holds byte for byte are its own, made with
            // whatever key it had then (an earlier enrollment's too).
            if (entry.deviceSigned() && signatureBytes != null && !devices.isEmpty()
                    && !phoneHolds(transaction, statementBytes, signatureBytes)
                    && !(pgp.verifyDetached(statementBytes, signatureBytes, devices) instanceof PgpVerification.Verified)) {
                findings.add(new Finding(Problem.BAD_DEVICE_SIGNATURE, seq, transaction,
                        "receipt " + seq + ": the device signature does not verify with the device certificate"));
            }
            // 8.
            String what = statement == null ? "answer" : describe(statement);
            if (!entry.deviceSigned()) {
                findings.add(new Finding(Problem.UNSIGNED_BY_DEVICE, seq, transaction,
                        "receipt " + seq + ": " + what + " was not signed by any phone"));
            } else if (phoneReceipts != null) {
                SignedReceipt own = phoneReceipts.get(transaction);
                if (own == null && phoneDroppedOlder && seq < oldestHeld) {
                    findings.add(new Finding(Problem.OLDER_THAN_PHONE_RECEIPTS, seq, transaction,
                            "receipt " + seq + ": " + what + " is older than every receipt this phone keeps,"
                                    + " so it cannot say whether it signed it"));
                } else if (own == null || !Arrays.equals(own.statementBytes(), statementBytes)) {
                    findings.add(new Finding(Problem.NOT_SIGNED_BY_THIS_PHONE, seq, transaction,
                            "receipt " + seq + ": " + what + " was not signed by this phone"
                                    + (record.deviceCertificateFingerprint() == null ? ""
                                    : " (signed by device key " + record.deviceCertificateFingerprint() + ")")));
                }
            }
            checked.add(new Checked(record, entry, statement));
            expectedSeq = Math.max(expectedSeq, seq + 1);
            previousHash = inOrder ? ChainEntry.sha256Hex(record.entryBytes()) : null;
        }
        if (phoneReceipts != null && afterSeq == 0) {
            phoneReceipts.keySet().stream().filter(id -> !inChain.contains(id)).sorted().forEach(id ->
                    findings.add(new Finding(Problem.PHONE_RECEIPT_NOT_IN_CHAIN, 0, id,
                            "this phone signed an answer to " + id + " that the chain does not hold"
                                    + " (the server may have refused it)")));
        }
        return new Report(findings, checked);
    }

    private static String describe(ReceiptStatement statement) {
        String decision = switch (statement.decision()) {
            case CONFIRMED -> "the approval";
            case DENIED -> "the denial";
            default -> "the answer";
        };
        return decision + " of \"" + statement.text() + "\" at " + statement.portal();
    }
}
