package dev.qrauth.protocol.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The token server's link of one receipt into its user's chain, which the server signs
 * (countersigns the phone's statement). {@code docs/PROTOCOL.md}, "Receipt chain". Its hash,
 * the SHA-256 of the signed bytes, is the next entry's {@code previous_hash}.
 *
 * @param version               {@value #VERSION}
 * @param userId                whose chain
 * @param seq                   1, 2, 3... without gaps
 * @param transactionId         the transaction answered
 * @param previousHash          the previous entry's hash, {@link #GENESIS} for the first
 * @param statementSha256       SHA-256 of the statement's bytes
 * @param deviceSignatureSha256 SHA-256 of the phone's signature, or null when the phone sent no
 *                              receipt and the server wrote the statement (unsigned)
 * @param recordedAt            when the server applied the answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainEntry(
        @JsonProperty("version") int version,
        @JsonProperty("user_id") String userId,
        @JsonProperty("seq") long seq,
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("previous_hash") String previousHash,
        @JsonProperty("statement_sha256") String statementSha256,
        @JsonProperty("device_signature_sha256") String deviceSignatureSha256,
        @JsonProperty("recorded_at") Instant recordedAt) {

    public static final int VERSION = 1;
    /** The previous hash of a chain's first entry. */
    public static final String GENESIS = "0".repeat(64);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ChainEntry {
        if (version < 1) {
            throw new IllegalArgumentException("version < 1");
        }
        Objects.requireNonNull(userId, "userId == null");
        if (seq < 1) {
            throw new IllegalArgumentException("seq < 1");
        }
        Objects.requireNonNull(transactionId, "transactionId == null");
        previousHash = sha256(previousHash, "previous_hash");
        statementSha256 = sha256(statementSha256, "statement_sha256");
        if (deviceSignatureSha256 != null) {
            deviceSignatureSha256 = sha256(deviceSignatureSha256, "device_signature_sha256");
        }
        Objects.requireNonNull(recordedAt, "recordedAt == null");
    }

    /** Whether the phone signed the statement. */
    public boolean deviceSigned() {
        return deviceSignatureSha256 != null;
    }

    /** Lowercase hex SHA-256 of {@code bytes}, as entries name hashes. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String sha256(String value, String name) {
        Objects.requireNonNull(value, name + " == null");
        if (!SHA256.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " is not 64 lowercase hex digits");
        }
        return value;
    }
}
