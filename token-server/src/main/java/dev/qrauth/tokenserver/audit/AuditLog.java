package dev.qrauth.tokenserver.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records security events in the caller's database transaction, so an event exists exactly when
 * the change it describes was committed.
 */
@ApplicationScoped
public class AuditLog {

    public static final int MAX_LIMIT = 1000;

    /** Who did it: {@code admin}, {@code client:<id>}, {@code device:<id>} or {@code system}. */
    public record Subject(String actor, String userId, UUID deviceId, UUID transactionId, String clientId) {
        public static Subject admin() {
            return new Subject("admin", null, null, null, null);
        }

        public static Subject device(UUID deviceId) {
            return new Subject("device:" + deviceId, null, deviceId, null, null);
        }

        public static Subject client(String clientId) {
            return new Subject("client:" + clientId, null, null, null, clientId);
        }

        public Subject user(String id) {
            return new Subject(actor, id, deviceId, transactionId, clientId);
        }

        public Subject onDevice(UUID id) {
            return new Subject(actor, userId, id, transactionId, clientId);
        }

        public Subject onClient(String id) {
            return new Subject(actor, userId, deviceId, transactionId, id);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(AuditType type, Subject subject, String details) {
        AuditEvent event = new AuditEvent();
        event.occurredAt = Instant.now();
        event.eventType = type.name();
        event.actor = subject.actor();
        event.userId = subject.userId();
        event.deviceId = subject.deviceId();
        event.transactionId = subject.transactionId();
        event.clientId = subject.clientId();
        event.details = details;
        event.persist();
    }

    /** Events matching every given filter, newest first. */
    @Transactional
    public List<AuditEvent> find(String userId, UUID deviceId, UUID transactionId, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        java.util.Map<String, Object> parameters = new java.util.HashMap<>();
        if (userId != null) {
            query.append(" and userId = :userId");
            parameters.put("userId", userId);
        }
        if (deviceId != null) {
            query.append(" and deviceId = :deviceId");
            parameters.put("deviceId", deviceId);
        }
        if (transactionId != null) {
            query.append(" and transactionId = :transactionId");
            parameters.put("transactionId", transactionId);
        }
        query.append(" order by id desc");
        return AuditEvent.<AuditEvent>find(query.toString(), parameters).page(0, limit).list();
    }
}
