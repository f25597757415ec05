package dev.qrauth.protocol.receipt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.json.ProtocolJson;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * One receipt as the token server gives it out (to the portal for its transaction, to the phone
 * for its user's chain) and as a chain export holds it: every signed thing as its exact bytes.
 * {@code docs/PROTOCOL.md}, "GET .../transaction/{transaction_id}/receipt".
 *
 * @param transactionId               the transaction answered
 * @param seq                         the entry's place in the user's chain
 * @param statement                   base64 of the statement's bytes
 * @param deviceSignature             base64 of the phone's detached signature, or null (unsigned)
 * @param deviceCertificateFingerprint the fingerprint of the enrollment certificate that signed,
 *                                    or null (unsigned)
 * @param entry                       base64 of the chain entry's bytes
 * @param serverSignature             base64 of the server's detached signature over the entry
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceiptRecord(
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("seq") long seq,
        @JsonProperty("statement") String statement,
        @JsonProperty("device_signature") String deviceSignature,
        @JsonProperty("device_certificate_fingerprint") String deviceCertificateFingerprint,
        @JsonProperty("entry") String entry,
        @JsonProperty("server_signature") String serverSignature) {

    public ReceiptRecord {
        Objects.requireNonNull(transactionId, "transactionId == null");
        statement = SignedReceipt.base64(statement, "statement", SignedReceipt.MAX_STATEMENT_LENGTH);
        if (deviceSignature != null) {
            deviceSignature = SignedReceipt.base64(deviceSignature, "device_signature",
                    SignedReceipt.MAX_SIGNATURE_LENGTH);
        }
        entry = SignedReceipt.base64(entry, "entry", SignedReceipt.MAX_STATEMENT_LENGTH);
        serverSignature = SignedReceipt.base64(serverSignature, "server_signature", SignedReceipt.MAX_SIGNATURE_LENGTH);
    }

    @JsonIgnore
    public byte[] statementBytes() {
        return Base64.getDecoder().decode(statement);
    }

    @JsonIgnore
    public byte[] deviceSignatureBytes() {
        return deviceSignature == null ? null : Base64.getDecoder().decode(deviceSignature);
    }

    @JsonIgnore
    public byte[] entryBytes() {
        return Base64.getDecoder().decode(entry);
    }

    @JsonIgnore
    public byte[] serverSignatureBytes() {
        return Base64.getDecoder().decode(serverSignature);
    }

    /** The statement parsed from its bytes; throws {@code ProtocolFormatException} when it is none. */
    public ReceiptStatement parsedStatement() {
        return ProtocolJson.read(statementBytes(), ReceiptStatement.class);
    }

    /** The entry parsed from its bytes; throws {@code ProtocolFormatException} when it is none. */
    public ChainEntry parsedEntry() {
        return ProtocolJson.read(entryBytes(), ChainEntry.class);
    }
}
