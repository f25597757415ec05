package dev.qrauth.protocol.receipt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import java.util.Base64;
import java.util.Objects;

/**
 * A {@link ReceiptStatement} as signed, with the phone's detached signature: the optional
 * {@code receipt} member of a {@code MobileAuthAnswer}, and what the phone keeps of each answer.
 * {@code docs/PROTOCOL.md}, "Receipts".
 *
 * @param statement base64 of the statement's UTF-8 JSON, exactly the signed bytes
 * @param signature base64 of the detached OpenPGP signature by the enrollment key
 */
public record SignedReceipt(
        @JsonProperty("statement") String statement,
        @JsonProperty("signature") String signature) {

    /** Base64 of a statement with the longest texts a message allows, escaped. */
    public static final int MAX_STATEMENT_LENGTH = 48 * 1024;
    public static final int MAX_SIGNATURE_LENGTH = 4 * 1024;

    public SignedReceipt {
        statement = base64(statement, "statement", MAX_STATEMENT_LENGTH);
        signature = base64(signature, "signature", MAX_SIGNATURE_LENGTH);
    }

    /** Encodes {@code statementBytes} and {@code signatureBytes}. */
    public static SignedReceipt of(byte[] statementBytes, byte[] signatureBytes) {
        return new SignedReceipt(Base64.getEncoder().encodeToString(statementBytes),
                Base64.getEncoder().encodeToString(signatureBytes));
    }

    @JsonIgnore
    public byte[] statementBytes() {
        return Base64.getDecoder().decode(statement);
    }

    @JsonIgnore
    public byte[] signatureBytes() {
        return Base64.getDecoder().decode(signature);
    }

    /**
     * The statement parsed from the signed bytes.
     *
     * @throws ProtocolFormatException when they are no statement
     */
    public ReceiptStatement parsedStatement() {
        return ProtocolJson.read(statementBytes(), ReceiptStatement.class);
    }

    static String base64(String value, String name, int maxLength) {
        Objects.requireNonNull(value, name + " == null");
        if (value.isEmpty() || value.length() > maxLength) {
            throw new IllegalArgumentException(name + " must be 1 to " + maxLength + " characters");
        }
        try {
            Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not base64");
        }
        return value;
    }
}
