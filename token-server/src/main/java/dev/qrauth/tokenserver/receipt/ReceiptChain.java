package dev.qrauth.tokenserver.receipt;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.receipt.ChainEntry;
import dev.qrauth.protocol.receipt.ReceiptPage;
import dev.qrauth.protocol.receipt.ReceiptRecord;
import dev.qrauth.tokenserver.enrollment.ServerKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Each user's chain of receipts ({@code docs/PROTOCOL.md}, "Receipt chain"): appended in the
 * database transaction that applies an answer, on the full path (JPA) or the hot path (a
 * connection of the reactive pool in a transaction), and read by the portal and the phone.
 *
 * <p>Appends of one user are serialised by the row of {@code receipt_head}, created or locked by
 * the first statement of an append. The entry is signed while that lock is held, since the
 * signature covers the previous entry's hash; an Ed25519 signature costs well under a
 * millisecond, and only answers of the same user wait for it. Concurrent answers of one user
 * thus get seq 1, 2, 3... with each linking to the one before: no gap, no fork.
 */
@ApplicationScoped
public class ReceiptChain {

    /** What one append records; {@code deviceSignature} and {@code deviceFingerprint} null when unsigned. */
    public record Append(String userId, UUID transactionId, String clientId, byte[] statement,
                         byte[] deviceSignature, String deviceFingerprint, Instant recordedAt) {
    }

    /** The hot path's receipt named other text than the transaction's: its transaction is rolled back. */
    public static final class TextMismatch extends RuntimeException {
        TextMismatch() {
            super("the receipt shows other text than the transaction", null, false, false);
        }
    }

    private static final String LOCK_JPA = "INSERT INTO receipt_head (user_id, seq, entry_hash) VALUES (?1, 0, ?2) "
            + "ON CONFLICT (user_id) DO UPDATE SET seq = receipt_head.seq RETURNING seq, entry_hash";

    // The same, only when the transaction shows the receipt's text ($3 to $5): else no row.
    private static final String LOCK_CHECKED = "WITH shown AS (SELECT 1 FROM mobile_auth_transaction "
            + "WHERE transaction_id = $3 AND message = $4 AND secure_message IS NOT DISTINCT FROM $5) "
            + "INSERT INTO receipt_head (user_id, seq, entry_hash) SELECT $1, 0, $2 FROM shown "
            + "ON CONFLICT (user_id) DO UPDATE SET seq = receipt_head.seq RETURNING seq, entry_hash";

    private static final String WRITE = "WITH written AS (INSERT INTO receipt_entry (user_id, seq, transaction_id, "
            + "client_id, statement, device_signature, device_fingerprint, entry, entry_hash, server_signature, "
            + "recorded_at) VALUES (%1$s1, %1$s2, %1$s3, %1$s4, %1$s5, CAST(%1$s6 AS bytea), CAST(%1$s7 AS text), %1$s8, %1$s9, %1$s10, %1$s11)) "
            + "UPDATE receipt_head SET seq = %1$s2, entry_hash = %1$s9 WHERE user_id = %1$s1";

    private static final String COLUMNS = "transaction_id, seq, statement, device_signature, device_fingerprint, "
            + "entry, server_signature";

    private final EntityManager entities;
    private final OpenPgp pgp;
    private final ServerKeys serverKeys;

    ReceiptChain(EntityManager entities, OpenPgp pgp, ServerKeys serverKeys) {
        this.entities = entities;
        this.pgp = pgp;
        this.serverKeys = serverKeys;
    }

    /** The signed entry after a head at {@code headSeq} with {@code headHash}. */
    private record Signed(long seq, byte[] entry, String hash, byte[] signature) {
    }

    private Signed sign(Append append, long headSeq, String headHash) {
        ChainEntry entry = new ChainEntry(ChainEntry.VERSION, append.userId(), headSeq + 1, append.transactionId(),
                headHash, ChainEntry.sha256Hex(append.statement()),
                append.deviceSignature() == null ? null : ChainEntry.sha256Hex(append.deviceSignature()),
                append.recordedAt().truncatedTo(ChronoUnit.MILLIS));
        byte[] bytes = ProtocolJson.write(entry);
        return new Signed(headSeq + 1, bytes, ChainEntry.sha256Hex(bytes), pgp.signDetached(bytes, serverKeys.key()));
    }

    /** Appends on the full path, in the caller's JTA transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(Append append) {
        Object[] head = (Object[]) entities.createNativeQuery(LOCK_JPA)
                .setParameter(1, append.userId()).setParameter(2, ChainEntry.GENESIS).getSingleResult();
        Signed signed = sign(append, ((Number) head[0]).longValue(), (String) head[1]);
        entities.createNativeQuery(String.format(WRITE, "?"))
                .setParameter(1, append.userId()).setParameter(2, signed.seq())
                .setParameter(3, append.transactionId()).setParameter(4, append.clientId())
                .setParameter(5, append.statement()).setParameter(6, append.deviceSignature())
                .setParameter(7, append.deviceFingerprint()).setParameter(8, signed.entry())
                .setParameter(9, signed.hash()).setParameter(10, signed.signature())
                .setParameter(11, append.recordedAt())
                .executeUpdate();
    }

    /**
     * Appends on the hot path, on {@code connection} inside its transaction, after checking that
     * the transaction shows the statement's text; fails with {@link TextMismatch} otherwise, so
     * that the caller's transaction rolls back. The signature is made on {@code signing} (the hot
     * path's crypto threads), never on the event loop.
     */
    public Uni<Void> append(SqlClient connection, Append append, String text, String secureText,
                            java.util.concurrent.Executor signing) {
        Tuple lock = Tuple.of(append.userId(), ChainEntry.GENESIS, append.transactionId(), text, secureText);
        return connection.preparedQuery(LOCK_CHECKED).execute(lock).onItem().transformToUni(rows -> {
            var iterator = rows.iterator();
            if (!iterator.hasNext()) {
                return Uni.createFrom().failure(new TextMismatch());
            }
            Row head = iterator.next();
            long headSeq = head.getLong("seq");
            String headHash = head.getString("entry_hash");
            return Uni.createFrom().item(() -> sign(append, headSeq, headHash)).runSubscriptionOn(signing).onItem().transformToUni(signed ->
                    connection.preparedQuery(String.format(WRITE, "$")).execute(Tuple.tuple()
                            .addString(append.userId()).addLong(signed.seq()).addUUID(append.transactionId())
                            .addString(append.clientId()).addValue(Buffer.buffer(append.statement()))
                            .addValue(append.deviceSignature() == null ? null : Buffer.buffer(append.deviceSignature()))
                            .addString(append.deviceFingerprint()).addValue(Buffer.buffer(signed.entry()))
                            .addString(signed.hash()).addValue(Buffer.buffer(signed.signature()))
                            .addOffsetDateTime(OffsetDateTime.ofInstant(append.recordedAt(), ZoneOffset.UTC))))
                    .replaceWithVoid();
        });
    }

    /**
     * The receipt of {@code transactionId} when {@code clientId} started it, of the answer by
     * {@code userId} (null: the first answer, the only one but for four-eyes transactions); null
     * otherwise or when there is none.
     */
    @Transactional
    public ReceiptRecord ofTransaction(String clientId, UUID transactionId, String userId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("SELECT " + COLUMNS + " FROM receipt_entry "
                        + "WHERE transaction_id = ?1 AND client_id = ?2 AND (CAST(?3 AS text) IS NULL OR user_id = ?3) "
                        + "ORDER BY recorded_at, user_id LIMIT 1")
                .setParameter(1, transactionId).setParameter(2, clientId).setParameter(3, userId).getResultList();
        return rows.isEmpty() ? null : record(rows.get(0));
    }

    /** Up to {@code limit} entries of {@code userId}'s chain after {@code afterSeq}, in order. */
    @Transactional
    public ReceiptPage page(String userId, long afterSeq, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("SELECT " + COLUMNS + " FROM receipt_entry "
                        + "WHERE user_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3")
                .setParameter(1, userId).setParameter(2, afterSeq).setParameter(3, limit + 1).getResultList();
        List<ReceiptRecord> records = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, rows.size()); i++) {
            records.add(record(rows.get(i)));
        }
        return new ReceiptPage(records, rows.size() > limit);
    }

    private static ReceiptRecord record(Object[] row) {
        Base64.Encoder b64 = Base64.getEncoder();
        return new ReceiptRecord((UUID) row[0], ((Number) row[1]).longValue(), b64.encodeToString((byte[]) row[2]),
                row[3] == null ? null : b64.encodeToString((byte[]) row[3]), (String) row[4],
                b64.encodeToString((byte[]) row[5]), b64.encodeToString((byte[]) row[6]));
    }
}
