package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.message.Approvals;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.portal.TransactionResult;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.authtype.ApproverGroup;
import dev.qrauth.tokenserver.authtype.DuressPolicy;
import dev.qrauth.tokenserver.authtype.TypeRules;
import dev.qrauth.tokenserver.callback.CallbackOutbox;
import dev.qrauth.tokenserver.device.MobileAuthSession;
import dev.qrauth.tokenserver.error.DeviceApiException;
import dev.qrauth.tokenserver.error.PortalApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Four-eyes approval ({@code docs/PROTOCOL.md}, "Four-eyes approval"): a transaction that becomes
 * CONFIRMED only when {@code required_approvals} distinct users of its approver group have
 * confirmed from their phones, and REJECTED at the first denial.
 *
 * <p>Such transactions never take the hot path: its statements require {@code required_approvals
 * = 1}, and the full path ({@link Transactions}) hands them here when its own statement did not
 * match. Each approver's fetch records that user's device and nonce ({@code transaction_approver});
 * each answer is one conditional update of the transaction's row that appends the user to
 * {@code approved_by} only if the user is not there yet and the transaction is still open, and
 * that completes the transaction when the count is reached. PostgreSQL evaluates that condition
 * again on the newest version of the row when two answers race, so no transaction is confirmed
 * with fewer distinct approvers than required, and none lists a user twice.
 */
@ApplicationScoped
public class FourEyes {

    /** How user ids travel in and out of a statement's text arrays: no user id holds a control character. */
    private static final String SEPARATOR = "\n";

    /** What a fetch by an approver changed and what its message needs. */
    record Scanned(String clientId, String typeName, String message, String secureMessage, String userAgent,
                   String ipAddress, Instant expiresAt, String callbackUri, String clientDisplayName,
                   boolean callbackOnScan, Approvals approvals) {
    }

    private final EntityManager entities;
    private final CallbackOutbox outbox;
    private final AuditLog audit;
    private final TransactionMetrics metrics;

    FourEyes(EntityManager entities, CallbackOutbox outbox, AuditLog audit, TransactionMetrics metrics) {
        this.entities = entities;
        this.outbox = outbox;
        this.audit = audit;
        this.metrics = metrics;
    }

    // ---- Initiation ---------------------------------------------------------------------------

    /**
     * The approver group of an initiation: its {@code approvers} parameter, else the type's group;
     * empty for a type one phone approves. Refuses the parameter on such a type, a four-eyes
     * transaction without a group big enough, and options four-eyes cannot be combined with.
     */
    static List<String> group(InitiateRequest request, TypeRules type) {
        if (!type.fourEyes()) {
            if (request.approvers() != null) {
                throw invalidParameter("approvers is only for a type with required_approvals of 2 or more");
            }
            return List.of();
        }
        if (request.expectedUserId() != null) {
            throw invalidParameter("expected_user_id cannot be combined with a four-eyes type: name the approvers");
        }
        List<String> group;
        try {
            group = request.approvers() == null ? type.approvers() : ApproverGroup.parse(request.approvers());
        } catch (IllegalArgumentException e) {
            throw invalidParameter(e.getMessage());
        }
        if (group.isEmpty()) {
            throw invalidParameter("approvers is required: the type requires " + type.requiredApprovals()
                    + " approvals and names no approver group");
        }
        if (group.size() < type.requiredApprovals()) {
            throw invalidParameter("approvers must name at least " + type.requiredApprovals()
                    + " users: the type requires that many approvals");
        }
        return group;
    }

    /** Makes the transaction just written four-eyes, in the initiation's database transaction. */
    void started(NewTransaction start) {
        if (!start.type().fourEyes()) {
            return;
        }
        entities.createNativeQuery("UPDATE mobile_auth_transaction SET required_approvals = ?2, "
                        + "approvers = string_to_array(CAST(?3 AS text), chr(10)) WHERE transaction_id = ?1")
                .setParameter(1, start.transactionId()).setParameter(2, start.type().requiredApprovals())
                .setParameter(3, String.join(SEPARATOR, start.approvers()))
                .executeUpdate();
    }

    // ---- Fetch --------------------------------------------------------------------------------

    /**
     * An approver's fetch: while the transaction is open and the user has not answered, records
     * (or refreshes) the user's device and nonce and moves a PENDING transaction to SCANNED. A
     * user outside the group is told what an unknown code tells; one who already approved, or a
     * transaction already decided, ALREADY_HANDLED.
     */
    Scanned scan(MobileAuthSession session, UUID transactionId, String codeHash, String nonce, Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("WITH scanned AS (UPDATE mobile_auth_transaction t "
                        + "SET status = 'SCANNED', scanned_at = COALESCE(t.scanned_at, ?5) FROM api_client c "
                        + "WHERE t.transaction_id = ?1 AND t.code_hash = ?2 AND t.status IN ('PENDING', 'SCANNED') "
                        + "AND t.expires_at > ?5 AND t.required_approvals > 1 AND ?3 = ANY (t.approvers) "
                        + "AND NOT (?3 = ANY (t.approved_by)) AND c.client_id = t.client_id AND c.enabled "
                        + "RETURNING t.client_id, t.type_name, t.message, t.secure_message, t.user_agent, t.ip_address, "
                        + "t.expires_at, t.callback_uri, c.display_name, c.callback_on_scan, t.required_approvals, "
                        + "array_to_string(t.approved_by, chr(10)) AS approved_by, t.scanned_at = ?5 AS first_scan), "
                        + "approver AS (INSERT INTO transaction_approver (transaction_id, user_id, device_id, nonce, "
                        + "fetched_at) SELECT ?1, ?3, ?4, ?6, ?5 FROM scanned ON CONFLICT (transaction_id, user_id) "
                        + "DO UPDATE SET device_id = EXCLUDED.device_id, nonce = EXCLUDED.nonce, "
                        + "fetched_at = EXCLUDED.fetched_at), "
                        + "audited AS (INSERT INTO audit_event (occurred_at, event_type, actor, user_id, device_id, "
                        + "transaction_id, client_id) SELECT ?5, ?7, 'device:' || CAST(?4 AS text), ?3, ?4, ?1, client_id "
                        + "FROM scanned) "
                        + "SELECT * FROM scanned")
                .setParameter(1, transactionId).setParameter(2, codeHash)
                .setParameter(3, session.userId()).setParameter(4, session.deviceId())
                .setParameter(5, now).setParameter(6, nonce)
                .setParameter(7, AuditType.TRANSACTION_SCANNED.name())
                .getResultList();
        if (rows.isEmpty()) {
            throw scanRefused(session, transactionId, now);
        }
        Object[] row = rows.get(0);
        return new Scanned((String) row[0], (String) row[1], (String) row[2], (String) row[3], (String) row[4],
                (String) row[5], WireValues.instant(row[6]), (String) row[7], (String) row[8],
                // Only the first fetch tells a portal that asked for it: later ones change no status.
                Boolean.TRUE.equals(row[9]) && Boolean.TRUE.equals(row[12]),
                new Approvals(((Number) row[10]).intValue(), users((String) row[11])));
    }

    private DeviceApiException scanRefused(MobileAuthSession session, UUID transactionId, Instant now) {
        Object[] row = read(transactionId);
        List<String> group = users((String) row[2]);
        if (!group.contains(session.userId())) {
            // Not one of the group: told exactly what an unknown code tells, so the group is not revealed.
            return notFound();
        }
        TransactionStatus status = TransactionStatus.valueOf((String) row[0]);
        if (users((String) row[3]).contains(session.userId()) || status == TransactionStatus.CONFIRMED
                || status == TransactionStatus.REJECTED) {
            return new DeviceApiException(DeviceErrorCode.ALREADY_HANDLED, "This OTP was already used");
        }
        return notFound();
    }

    // ---- Answer -------------------------------------------------------------------------------

    /**
     * An approver's answer, in one conditional update of the transaction's row: a confirmation
     * appends the user to {@code approved_by} and, when that makes the count, confirms; a denial
     * rejects. Under a duress PIN the approval is flagged, or (policy {@code refuse}) rejects while
     * the phone is answered as for an approval.
     */
    Outcome<AnswerAccepted> answer(MobileAuthSession session, UUID transactionId, MobileAuthAnswer answer,
                                   NotAuthenticatedReason denial, boolean confirmed, Instant now) {
        String verdict = "(CASE WHEN NOT ?2 THEN 'denied' WHEN ?3 AND duress_policy = '" + DuressPolicy.REFUSE.wireName
                + "' THEN 'refused' WHEN cardinality(approved_by) + 1 >= required_approvals THEN 'confirmed' "
                + "ELSE 'approved' END)";
        @SuppressWarnings("unchecked")
        List<Object[]> changed = entities.createNativeQuery("UPDATE mobile_auth_transaction SET "
                        + "status = CASE " + verdict + " WHEN 'confirmed' THEN 'CONFIRMED' WHEN 'approved' THEN 'SCANNED' "
                        + "ELSE 'REJECTED' END, "
                        + "approved_by = CASE WHEN " + verdict + " IN ('confirmed', 'approved') "
                        + "THEN approved_by || CAST(?4 AS text) ELSE approved_by END, "
                        + "reason = CASE " + verdict + " WHEN 'denied' THEN ?6 WHEN 'refused' THEN ?7 ELSE NULL END, "
                        + "duress = duress OR ?3, "
                        // Who answered, for the Onegini user_id: the first approver once confirmed,
                        // the user who denied once rejected.
                        + "user_id = CASE " + verdict + " WHEN 'approved' THEN user_id "
                        + "WHEN 'confirmed' THEN COALESCE(approved_by[1], ?4) ELSE ?4 END, "
                        + "device_id = CASE " + verdict + " WHEN 'approved' THEN device_id "
                        + "WHEN 'confirmed' THEN COALESCE((SELECT a.device_id FROM transaction_approver a "
                        + "WHERE a.transaction_id = ?1 AND a.user_id = approved_by[1]), ?5) ELSE ?5 END, "
                        + "finished_at = CASE " + verdict + " WHEN 'approved' THEN CAST(NULL AS timestamptz) ELSE ?9 END "
                        + "WHERE transaction_id = ?1 AND status = 'SCANNED' AND required_approvals > 1 AND expires_at > ?9 "
                        + "AND ?4 = ANY (approvers) AND NOT (?4 = ANY (approved_by)) "
                        + "AND EXISTS (SELECT 1 FROM transaction_approver a WHERE a.transaction_id = ?1 "
                        + "AND a.user_id = ?4 AND a.device_id = ?5 AND a.nonce = ?8) "
                        + "AND " + String.format(TransactionStore.USER_KEPT, "?4") + " "
                        + "RETURNING status, client_id, callback_uri, created_at, reason, duress, duress_policy, "
                        + "array_to_string(approved_by, chr(10)), required_approvals, " + verdict + " = 'refused'")
                .setParameter(1, transactionId).setParameter(2, confirmed).setParameter(3, session.duress())
                .setParameter(4, session.userId()).setParameter(5, session.deviceId())
                .setParameter(6, denial.wireName).setParameter(7, NotAuthenticatedReason.NOT_ACCEPTED.wireName)
                .setParameter(8, answer.nonce()).setParameter(9, now)
                .getResultList();
        if (changed.isEmpty()) {
            return refusal(session, transactionId, now, invalidAnswer("the answer does not belong to this request"));
        }
        Object[] row = changed.get(0);
        TransactionStatus outcome = TransactionStatus.valueOf((String) row[0]);
        String clientId = (String) row[1];
        String callbackUri = (String) row[2];
        boolean duress = Boolean.TRUE.equals(row[5]);
        List<String> approvedBy = users((String) row[7]);
        boolean refusedUnderDuress = Boolean.TRUE.equals(row[9]);
        Subject subject = new Subject("device:" + session.deviceId(), session.userId(), session.deviceId(),
                transactionId, clientId);
        // The client sees this user in the result, which allows it to disable the user's mobile
        // authentication (Enrollments#disable), as after any answer.
        entities.createNativeQuery("INSERT INTO client_user (client_id, user_id, first_seen_at) VALUES (?1, ?2, ?3) "
                        + "ON CONFLICT DO NOTHING")
                .setParameter(1, clientId).setParameter(2, session.userId()).setParameter(3, now).executeUpdate();
        if (session.duress()) {
            audit.record(AuditType.DURESS_ANSWER, subject, (confirmed ? "confirmed" : "denied") + ", policy "
                    + row[6] + ", status " + outcome.name());
        }
        if (outcome == TransactionStatus.SCANNED) {
            // One approval of several: audited, and the portal prompted to read the progress. The
            // one callback with a final status comes with the answer that decides.
            audit.record(AuditType.FOUR_EYES_APPROVAL, subject, approvedBy.size() + " of " + row[8]);
            outbox.enqueue(transactionId, clientId, callbackUri, TransactionStatus.SCANNED, duress);
            return Outcome.accepted(new AnswerAccepted(TransactionStatus.SCANNED));
        }
        outbox.enqueue(transactionId, clientId, callbackUri, outcome, duress);
        audit.record(outcome == TransactionStatus.CONFIRMED ? AuditType.TRANSACTION_CONFIRMED
                : AuditType.TRANSACTION_REJECTED, subject, outcome == TransactionStatus.CONFIRMED
                ? "approved by " + String.join(", ", approvedBy) : (String) row[4]);
        metrics.outcome(outcome);
        metrics.answered(Duration.between(WireValues.instant(row[3]), now));
        if (refusedUnderDuress) {
            // As the approval would have been answered: one that leaves others to come, or the last.
            return Outcome.accepted(new AnswerAccepted(approvedBy.size() + 1 >= ((Number) row[8]).intValue()
                    ? TransactionStatus.CONFIRMED : TransactionStatus.SCANNED));
        }
        return Outcome.accepted(new AnswerAccepted(outcome));
    }

    /**
     * Why an answer that changed nothing was refused, as {@link Transactions} explains it for one
     * phone: not found unless this user fetched with this device; already handled once the user
     * answered or the transaction was decided; not found once it is no longer open; otherwise the
     * answer was at fault, which is audited.
     */
    Outcome<AnswerAccepted> refusal(MobileAuthSession session, UUID transactionId, Instant now,
                                    DeviceApiException answerAtFault) {
        Object[] row = read(transactionId);
        boolean fetched = !entities.createNativeQuery("SELECT 1 FROM transaction_approver WHERE transaction_id = ?1 "
                        + "AND user_id = ?2 AND device_id = ?3")
                .setParameter(1, transactionId).setParameter(2, session.userId()).setParameter(3, session.deviceId())
                .getResultList().isEmpty();
        if (!fetched) {
            throw notFound();
        }
        TransactionStatus status = TransactionStatus.valueOf((String) row[0]);
        if (users((String) row[3]).contains(session.userId()) || status == TransactionStatus.CONFIRMED
                || status == TransactionStatus.REJECTED) {
            throw new DeviceApiException(DeviceErrorCode.ALREADY_HANDLED, "This transaction was already answered");
        }
        if (status != TransactionStatus.SCANNED || !WireValues.instant(row[1]).isAfter(now)) {
            throw notFound();
        }
        Subject subject = new Subject("device:" + session.deviceId(), session.userId(), session.deviceId(),
                transactionId, (String) row[4]);
        audit.record(AuditType.ANSWER_REFUSED, subject, answerAtFault.body().errorMessage());
        return Outcome.refused(answerAtFault.body());
    }

    // ---- Result -------------------------------------------------------------------------------

    /** The result with the four-eyes members, for a four-eyes transaction; else as it is. */
    TransactionResult withApprovals(TransactionResult result, MobileAuthTransaction transaction) {
        if (transaction.requiredApprovals < 2) {
            return result;
        }
        Object[] row = read(transaction.transactionId);
        return result.withApprovals(transaction.requiredApprovals, users((String) row[3]));
    }

    // ---- Helpers ------------------------------------------------------------------------------

    /** Status, expiry, group, approvers so far and client of a transaction; it exists. */
    private Object[] read(UUID transactionId) {
        return (Object[]) entities.createNativeQuery("SELECT status, expires_at, "
                        + "array_to_string(approvers, chr(10)), array_to_string(approved_by, chr(10)), client_id "
                        + "FROM mobile_auth_transaction WHERE transaction_id = ?1")
                .setParameter(1, transactionId).getSingleResult();
    }

    private static List<String> users(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(SEPARATOR, -1));
    }

    private static PortalApiException invalidParameter(String message) {
        return new PortalApiException(PortalErrorCode.INVALID_PARAMETER, message);
    }

    private static DeviceApiException notFound() {
        return new DeviceApiException(DeviceErrorCode.NOT_FOUND, "No such transaction, or it expired or was cancelled");
    }

    private static DeviceApiException invalidAnswer(String message) {
        return new DeviceApiException(DeviceErrorCode.INVALID_ANSWER, message);
    }
}
