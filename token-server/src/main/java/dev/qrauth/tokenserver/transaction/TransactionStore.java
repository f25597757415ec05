package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.message.Proximity;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.portal.TransactionResult;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.authtype.DuressPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The transitions of a mobile-auth transaction on the hot path, each one SQL statement on the
 * reactive PostgreSQL client: no ORM, no JTA, no thread held while the database works.
 * {@code docs/PERFORMANCE.md}, "A lean hot path".
 *
 * <p>Every statement carries the authentication it rests on: the caller's credentials were
 * verified once and remembered ({@link KnownCredentials}), and the statement checks that what was
 * verified is still what is stored: the client enabled with the same secret hash, the device
 * with the same secret hash, the user still registered and enrolled with the same certificate,
 * the access token unexpired. A client, device or user disabled or deleted on any node is
 * therefore refused at once: the statement changes nothing and returns nothing, and the caller
 * falls back to the full path, which says why. Statuses are {@link TransactionStatus} names.
 */
@ApplicationScoped
public class TransactionStore {

    /** A client's remembered authentication, checked again by every statement. */
    record ClientGrant(String clientId, String secretHash, String[] callbackUris) {
    }

    /**
     * A device user's remembered authentication, checked again by every statement, with the
     * enrolled certificate (parsed) that the hot path seals to and verifies answers with, and
     * whether the session is under duress (fixed for the life of its access token).
     */
    record SessionGrant(UUID deviceId, String userId, long registrationId, String deviceSecretHash,
                        String certificateSha256, String accessTokenHash, PgpCertificate certificate,
                        boolean duress) {

        @Override
        public String toString() {
            return "SessionGrant[device " + deviceId + ", user " + userId + "]";
        }
    }

    /** What a fetch needs of the transaction it moved to SCANNED and of its client. */
    record Scanned(String clientId, String typeName, String message, String secureMessage, String userAgent,
                   String ipAddress, Instant expiresAt, Integer bindingCode, String callbackUri, String clientDisplayName,
                   String proximityPolicy, Long callbackId, Instant callbackCreatedAt) {
    }

    /**
     * What an answer changed: the new status and what its callback and audit need, and whether
     * the type's duress policy refused an approval ({@code refusedUnderDuress}), which the phone
     * is answered as it would have been without duress (so {@code reverseCodeType} too).
     */
    record Answered(TransactionStatus status, String clientId, String callbackUri, Instant createdAt, String reason,
                    boolean awaitingCode, long callbackId, Instant callbackCreatedAt, boolean duress,
                    boolean refusedUnderDuress, boolean reverseCodeType) {
    }

    /** A transaction as its result is read. */
    record Stored(UUID transactionId, TransactionStatus status, String callbackUri, Instant createdAt, Instant expiresAt,
                  String userId, String reason, String reasonDetail, String proximity, boolean awaitingCode,
                  int reverseCodeFailures, boolean duress) {
    }

    // Statuses as the column stores them: TransactionStatus names.
    private static final String PENDING = literal(TransactionStatus.PENDING);
    private static final String SCANNED = literal(TransactionStatus.SCANNED);
    private static final String CONFIRMED = literal(TransactionStatus.CONFIRMED);
    private static final String REJECTED = literal(TransactionStatus.REJECTED);
    private static final String OPEN = "(" + PENDING + ", " + SCANNED + ")";

    // The client's authentication inside a statement: enabled, and the secret that was verified
    // is still its secret, or its previous one within the rotation's overlap.
    private static final String CLIENT_STILL_VALID = "c.enabled AND (c.secret_hash = $%1$d "
            + "OR (c.previous_secret_hash = $%1$d AND c.previous_secrets_until > $%2$d))";

    // The device user's authentication inside a statement (Devices#mobileAuthSession, checked
    // against what it found): the device's secret, the registration and its enrolled
    // certificate, the access token.
    private static final String SESSION_STILL_VALID = "EXISTS (SELECT 1 FROM device d "
            + "JOIN registration r ON r.device_id = d.device_id "
            + "JOIN access_token a ON a.registration_id = r.id "
            + "WHERE d.device_id = $%1$d AND d.secret_hash = $%2$d AND r.id = $%3$d AND r.user_id = $%4$d "
            + "AND encode(sha256(convert_to(r.device_certificate, 'UTF8')), 'hex') = $%5$d "
            + "AND a.token_hash = $%6$d AND a.expires_at > $%7$d%8$s)";

    // The answering user, key-share locked to the end of the transaction: a deletion of the user
    // at the same time either went first (no row, so no answer) or waits until the answer and
    // the rows it adds for the user (client_user) are committed, and then removes them with it.
    static final String USER_KEPT = "EXISTS (SELECT 1 FROM app_user u WHERE u.user_id = %s FOR KEY SHARE)";

    // The code a fetch showed: the current one or, of a rotating code, the one the current frame
    // replaced while it is still valid for a scan in flight ($2 the hash, $6 now). A transaction
    // that never rotated has no previous code, so this is the plain comparison for it.
    static final String CODE_MATCHES = "(t.code_hash = $2 OR (t.previous_code_hash = $2 AND t.previous_code_until > $6))";

    private static final String INSERT = "WITH started AS (INSERT INTO mobile_auth_transaction (transaction_id, "
            + "client_id, type_name, status, code_hash, callback_uri, message, secure_message, language_code, ip_address, "
            + "user_agent, binding_code, created_at, expires_at, expected_user_id, proximity_policy, reverse_code, "
            + "short_code_hash, duress_policy, rotation_seconds, frame_code_sealed) "
            + "SELECT CAST($1 AS uuid), c.client_id, ty.name, " + PENDING + ", CAST($4 AS text), $5, CAST($6 AS text), "
            + "CAST($7 AS text), CAST($8 AS text), CAST($9 AS text), CAST($10 AS text), CAST($11 AS integer), "
            + "CAST($12 AS timestamptz), CAST($13 AS timestamptz), CAST($14 AS text), ty.proximity, "
            + "ty.reverse_code, CAST($18 AS text), ty.duress, ty.rotation_seconds, "
            // The sealed code only where the type rotates (the caller seals it when the snapshot does).
            + "CASE WHEN ty.rotation_seconds IS NULL THEN NULL ELSE CAST($19 AS bytea) END "
            + "FROM api_client c, mobile_auth_type ty "
            + "WHERE c.client_id = $2 AND " + String.format(CLIENT_STILL_VALID, 15, 12)
            + " AND (cardinality(c.callback_uris) = 0 OR $5 = ANY (c.callback_uris)) "
            + "AND ty.name = $3 AND ty.version = $16 AND ty.required_approvals = 1 "
            // The cap of open transactions, in the same statement (like a separate count it does
            // not lock: two initiations at the cap may both pass, which the cap tolerates).
            + "AND (SELECT count(*) FROM mobile_auth_transaction WHERE client_id = $2 "
            + "AND status IN " + OPEN + " AND expires_at > $12) < $17 "
            // A short code already pending writes nothing; the full path then draws another.
            + "ON CONFLICT (short_code_hash) WHERE status = " + PENDING + " DO NOTHING "
            + "RETURNING transaction_id, client_id, type_name, expected_user_id) "
            + "INSERT INTO audit_event (occurred_at, event_type, actor, user_id, transaction_id, client_id, details) "
            + "SELECT $12, '" + AuditType.TRANSACTION_INITIATED.name() + "', 'client:' || client_id, expected_user_id, "
            + "transaction_id, client_id, 'type ' || type_name FROM started";

    private static final String SCAN = "WITH scanned AS (UPDATE mobile_auth_transaction t SET status = " + SCANNED + ", "
            + "user_id = $3, device_id = $4, nonce = $5, scanned_at = $6, frame_code_sealed = NULL FROM api_client c "
            + "WHERE t.transaction_id = $1 AND " + CODE_MATCHES + " AND t.status = " + PENDING + " AND t.expires_at > $6 "
            + "AND (t.expected_user_id IS NULL OR t.expected_user_id = $3) AND t.required_approvals = 1 "
            + "AND c.client_id = t.client_id AND c.enabled "
            + "AND " + String.format(SESSION_STILL_VALID, 4, 7, 8, 3, 9, 10, 6,
                    // The device's budget of failed fetches (Transactions#checkFetchBudget).
                    " AND (d.failed_fetch_window_start IS NULL OR d.failed_fetches < $11 "
                            + "OR d.failed_fetch_window_start <= $12)")
            + " RETURNING t.client_id, t.type_name, t.message, t.secure_message, t.user_agent, t.ip_address, "
            + "t.expires_at, t.binding_code, t.callback_uri, c.display_name, c.callback_on_scan, t.proximity_policy), "
            + "audited AS (INSERT INTO audit_event (occurred_at, event_type, actor, user_id, device_id, transaction_id, "
            + "client_id) SELECT $6, '" + AuditType.TRANSACTION_SCANNED.name() + "', 'device:' || CAST($4 AS text), $3, $4, $1, "
            + "client_id FROM scanned), "
            // The portal asked to hear of scans: its callback is written with the change.
            + "queued AS (INSERT INTO callback_outbox (transaction_id, client_id, callback_uri, status, created_at, "
            + "next_attempt_at, attempts) SELECT $1, client_id, callback_uri, " + SCANNED + ", $6, CAST($13 AS timestamptz), CAST($14 AS integer) FROM scanned "
            + "WHERE callback_on_scan RETURNING id) "
            + "SELECT s.*, (SELECT id FROM queued) AS callback_id FROM scanned s";

    private static final String PROXIMITY = "UPDATE mobile_auth_transaction SET proximity = $2 WHERE transaction_id = $1";

    // The verdict on an answer (Transactions#answer): a confirmation counts only with the
    // browser's number where the type matches numbers, and only from a phone near the browser
    // where the type requires it; where the type asks the browser for a code, an approval leaves
    // the transaction SCANNED with the code's hash. Under duress ($19) a type whose policy is
    // refuse turns what would have been an approval into a rejection.
    private static final String VERDICT = "(CASE WHEN NOT $2 THEN 'denied' "
            + "WHEN binding_code IS NOT NULL AND binding_code <> $3 THEN 'wrong_number' "
            + "WHEN proximity_policy = 'require' AND (proximity IS NULL "
            + "OR proximity NOT IN ('" + Proximity.SAME_ADDRESS.wireName() + "', '"
            + Proximity.SAME_NETWORK.wireName() + "')) THEN 'far' "
            + "WHEN $19 AND duress_policy = '" + DuressPolicy.REFUSE.wireName + "' THEN 'refused' "
            + "WHEN reverse_code THEN 'code' ELSE 'confirmed' END)";

    // The details of a DURESS_ANSWER event: what the user chose, the type's policy, what it led to.
    static final String DURESS_DETAILS = "(CASE WHEN $2 THEN 'confirmed' ELSE 'denied' END || ', policy ' "
            + "|| duress_policy || ', status ' || status)";

    private static final String ANSWER = "WITH changed AS (UPDATE mobile_auth_transaction SET "
            + "status = CASE " + VERDICT + " WHEN 'confirmed' THEN " + CONFIRMED + " WHEN 'code' THEN " + SCANNED
            + " ELSE " + REJECTED + " END, "
            + "reason = CASE " + VERDICT + " WHEN 'denied' THEN $4 WHEN 'wrong_number' THEN $9 WHEN 'far' THEN $10 "
            + "WHEN 'refused' THEN $10 ELSE NULL END, "
            + "duress = $19, "
            + "reason_detail = CASE " + VERDICT + " WHEN 'far' THEN $11 ELSE NULL END, "
            + "reverse_code_hash = CASE " + VERDICT + " WHEN 'code' THEN $12 ELSE NULL END, "
            + "finished_at = CASE " + VERDICT + " WHEN 'code' THEN CAST(NULL AS timestamptz) ELSE $5 END "
            + "WHERE transaction_id = $1 AND user_id = $6 AND device_id = $7 AND nonce = $8 "
            + "AND status = " + SCANNED + " AND reverse_code_hash IS NULL AND expires_at > $5 "
            // Four-eyes transactions are the full path's (FourEyes).
            + "AND required_approvals = 1 "
            + "AND " + String.format(USER_KEPT, "$6") + " "
            + "AND " + String.format(SESSION_STILL_VALID, 7, 13, 14, 6, 15, 16, 5, "")
            + " RETURNING status, client_id, callback_uri, ip_address, created_at, reason, "
            + "reverse_code_hash IS NOT NULL AS awaiting_code, duress, duress_policy, reverse_code, "
            + VERDICT + " = 'refused' AS refused_under_duress), "
            // The client will see this user in a result, which is what allows it to disable the
            // user's mobile authentication (Enrollments#disable).
            + "seen AS (INSERT INTO client_user (client_id, user_id, first_seen_at) "
            + "SELECT client_id, $6, $5 FROM changed ON CONFLICT DO NOTHING), "
            // The callback, written with the change (an approval awaiting the browser's code
            // only prompts the portal to read the result).
            + "queued AS (INSERT INTO callback_outbox (transaction_id, client_id, callback_uri, status, created_at, "
            + "next_attempt_at, attempts, duress) SELECT $1, client_id, callback_uri, status, $5, CAST($17 AS timestamptz), "
            + "CAST($18 AS integer), duress FROM changed RETURNING id), "
            + "audited AS (INSERT INTO audit_event (occurred_at, event_type, actor, user_id, device_id, transaction_id, "
            + "client_id, details) "
            + "SELECT $5, CASE status WHEN " + CONFIRMED + " THEN '" + AuditType.TRANSACTION_CONFIRMED.name() + "' ELSE '"
            + AuditType.TRANSACTION_REJECTED.name() + "' END, 'device:' || CAST($7 AS text), $6, $7, $1, client_id, reason "
            + "FROM changed WHERE NOT awaiting_code "
            + "UNION ALL SELECT $5, '" + AuditType.FRAUD_REPORTED.name() + "', 'device:' || CAST($7 AS text), $6, $7, $1, "
            + "client_id, 'browser IP ' || ip_address FROM changed WHERE reason = '"
            + NotAuthenticatedReason.FRAUD_REPORTED.wireName + "' "
            + "UNION ALL SELECT $5, '" + AuditType.DURESS_ANSWER.name() + "', 'device:' || CAST($7 AS text), $6, $7, $1, "
            + "client_id, " + DURESS_DETAILS + " FROM changed WHERE duress) "
            + "SELECT c.*, (SELECT id FROM queued) AS callback_id FROM changed c";

    private static final String RESULT = "SELECT t.transaction_id, t.status, t.callback_uri, t.created_at, t.expires_at, "
            + "t.user_id, t.reason, t.reason_detail, t.proximity, t.reverse_code_hash IS NOT NULL AS awaiting_code, "
            + "t.reverse_code_failures, t.duress FROM mobile_auth_transaction t JOIN api_client c ON c.client_id = t.client_id "
            + "WHERE t.transaction_id = $1 AND t.client_id = $2 AND t.required_approvals = 1 AND "
            + String.format(CLIENT_STILL_VALID, 3, 4);

    private final Pool pool;

    TransactionStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * PENDING: writes the transaction and its audit event; false when nothing was written (also
     * when its short code is already pending).
     */
    Uni<Boolean> start(NewTransaction start, ClientGrant client, String codeHash, String shortCodeHash, int pendingCap,
                       byte[] frameCodeSealed) {
        var request = start.request();
        Tuple args = Tuple.tuple()
                .addUUID(start.transactionId()).addString(client.clientId()).addString(start.type().name())
                .addString(codeHash).addString(request.callbackUri()).addString(start.message())
                .addString(request.secureMessage()).addString(request.languageCode())
                .addString(request.ipAddress()).addString(request.userAgent()).addInteger(start.bindingCode())
                .addOffsetDateTime(time(start.createdAt())).addOffsetDateTime(time(start.expiresAt()))
                .addString(request.expectedUserId()).addString(client.secretHash())
                .addLong(start.type().version()).addLong((long) pendingCap).addString(shortCodeHash)
                .addValue(frameCodeSealed == null ? null : io.vertx.core.buffer.Buffer.buffer(frameCodeSealed));
        return pool.preparedQuery(INSERT).execute(args).map(rows -> rows.rowCount() == 1);
    }

    /**
     * PENDING -> SCANNED for the device user of {@code session}, with its audit event and, where
     * the client asked for it, its callback ({@code callbackLease} as in {@link #answer}); null
     * when nothing changed.
     */
    Uni<Scanned> scan(UUID transactionId, String codeHash, SessionGrant session, String nonce, Instant now,
                      int maxFailedFetches, Instant failureWindowStart, Instant callbackLease) {
        Tuple args = Tuple.tuple()
                .addUUID(transactionId).addString(codeHash).addString(session.userId()).addUUID(session.deviceId())
                .addString(nonce).addOffsetDateTime(time(now)).addString(session.deviceSecretHash())
                .addLong(session.registrationId()).addString(session.certificateSha256())
                .addString(session.accessTokenHash()).addInteger(maxFailedFetches)
                .addOffsetDateTime(time(failureWindowStart))
                .addOffsetDateTime(time(callbackLease == null ? now : callbackLease))
                .addInteger(callbackLease == null ? 0 : 1);
        return pool.preparedQuery(SCAN).execute(args).map(rows -> single(rows, row -> new Scanned(
                row.getString("client_id"), row.getString("type_name"), row.getString("message"),
                row.getString("secure_message"), row.getString("user_agent"), row.getString("ip_address"),
                instant(row, "expires_at"), row.getInteger("binding_code"), row.getString("callback_uri"),
                row.getString("display_name"), row.getString("proximity_policy"), row.getLong("callback_id"), now)));
    }

    /** Records the proximity found at the fetch, which the answer's verdict reads. */
    Uni<Void> recordProximity(UUID transactionId, Proximity proximity) {
        return pool.preparedQuery(PROXIMITY).execute(Tuple.of(transactionId, proximity.wireName())).replaceWithVoid();
    }

    /**
     * SCANNED -> CONFIRMED, REJECTED, or SCANNED awaiting the browser's code, with the callback,
     * the audit events and the client's sight of the user, in one statement; null when the
     * answer changed nothing. {@code callbackLease}: the callback is written leased to this node
     * until then (a slot was reserved for it), or due now when null.
     */
    Uni<Answered> answer(UUID transactionId, SessionGrant session, boolean confirmed, Integer chosenNumber,
                         String denialReason, String nonce, String reverseCodeHash, Instant now, Instant callbackLease,
                         java.util.function.BiFunction<SqlClient, Answered, Uni<Void>> inSameTransaction) {
        Tuple args = Tuple.tuple()
                .addUUID(transactionId).addBoolean(confirmed).addInteger(chosenNumber == null ? -1 : chosenNumber)
                .addString(denialReason).addOffsetDateTime(time(now)).addString(session.userId())
                .addUUID(session.deviceId()).addString(nonce)
                .addString(NotAuthenticatedReason.INVALID_ANSWER.wireName)
                .addString(NotAuthenticatedReason.NOT_ACCEPTED.wireName)
                .addString(TransactionResult.Reason.DETAIL_PROXIMITY).addString(reverseCodeHash)
                .addString(session.deviceSecretHash()).addLong(session.registrationId())
                .addString(session.certificateSha256()).addString(session.accessTokenHash())
                .addOffsetDateTime(time(callbackLease == null ? now : callbackLease))
                .addInteger(callbackLease == null ? 0 : 1).addBoolean(session.duress());
        // The change and what must be written with it (the receipt) commit together or not at all.
        return pool.withTransaction(connection -> connection.preparedQuery(ANSWER).execute(args)
                .map(rows -> single(rows, row -> new Answered(
                        TransactionStatus.valueOf(row.getString("status")), row.getString("client_id"),
                        row.getString("callback_uri"), instant(row, "created_at"), row.getString("reason"),
                        row.getBoolean("awaiting_code"), row.getLong("callback_id"), now, row.getBoolean("duress"),
                        row.getBoolean("refused_under_duress"), row.getBoolean("reverse_code"))))
                .onItem().ifNotNull().transformToUni(answered ->
                        inSameTransaction.apply(connection, answered).replaceWith(answered)));
    }

    /** The transaction, when it is {@code client}'s and the client is still as authenticated; else null. */
    Uni<Stored> read(UUID transactionId, ClientGrant client, Instant now) {
        Tuple args = Tuple.of(transactionId, client.clientId(), client.secretHash(), time(now));
        return pool.preparedQuery(RESULT).execute(args).map(rows -> single(rows, row -> new Stored(
                row.getUUID("transaction_id"), TransactionStatus.valueOf(row.getString("status")),
                row.getString("callback_uri"), instant(row, "created_at"), instant(row, "expires_at"),
                row.getString("user_id"), row.getString("reason"), row.getString("reason_detail"),
                row.getString("proximity"), row.getBoolean("awaiting_code"), row.getInteger("reverse_code_failures"),
                row.getBoolean("duress"))));
    }

    private static String literal(TransactionStatus status) {
        return "'" + status.name() + "'";
    }

    private static <T> T single(RowSet<Row> rows, java.util.function.Function<Row, T> read) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? read.apply(iterator.next()) : null;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
