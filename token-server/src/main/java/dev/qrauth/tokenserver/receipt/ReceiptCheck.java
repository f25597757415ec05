package dev.qrauth.tokenserver.receipt;

import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpVerification;
import dev.qrauth.protocol.receipt.ReceiptStatement;
import dev.qrauth.protocol.receipt.SignedReceipt;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The check of the receipt in an answer ({@code docs/PROTOCOL.md}, "Receipts", server steps 1-4),
 * apart from the text it names, which the caller compares with the stored transaction
 * ({@link #matchesText}). Pure apart from one signature verification; thread-safe.
 */
public final class ReceiptCheck {

    /** A receipt that passed: its bytes, parsed statement and the signer's fingerprint. */
    public record Accepted(byte[] statementBytes, byte[] signature, ReceiptStatement statement,
                           String deviceFingerprint) {
    }

    /** Why a receipt was refused: the answer is then refused as invalid. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private ReceiptCheck() {
    }

    /**
     * Steps: 1. the device's detached signature over the statement's bytes verifies with its
     * enrolled certificate; 2. the bytes are a statement; 3. it names this transaction, user and
     * device; 4. it records the answer's decision and deny reason.
     */
    public static Accepted check(OpenPgp pgp, MobileAuthAnswer answer, PgpCertificate device, UUID transactionId,
                                 String userId, UUID deviceId) throws Refused {
        SignedReceipt receipt = Objects.requireNonNull(answer.receipt(), "answer without a receipt");
        byte[] statementBytes = receipt.statementBytes();
        byte[] signature = receipt.signatureBytes();
        PgpVerification verification = pgp.verifyDetached(statementBytes, signature, List.of(device));
        if (verification instanceof PgpVerification.Failed failed) {
            throw new Refused("the receipt's signature failed verification: " + failed.reason());
        }
        ReceiptStatement statement;
        try {
            statement = receipt.parsedStatement();
        } catch (ProtocolFormatException e) {
            throw new Refused("the receipt is not a receipt statement");
        }
        if (!statement.transactionId().equals(transactionId) || !statement.userId().equals(userId)
                || !statement.deviceId().equals(deviceId)) {
            throw new Refused("the receipt names another transaction, user or device");
        }
        if (statement.decision() != answer.decision() || statement.denyReason() != answer.denyReason()) {
            throw new Refused("the receipt records another decision than the answer");
        }
        return new Accepted(statementBytes, signature, statement,
                ((PgpVerification.Verified) verification).signerFingerprint());
    }

    /** Step 5: the statement shows the transaction's own text. */
    public static boolean matchesText(ReceiptStatement statement, String message, String secureMessage) {
        return statement.text().equals(message) && Objects.equals(statement.secureText(), secureMessage);
    }
}
