package dev.qrauth.tokenserver.audit;

import dev.qrauth.tokenserver.TokenServerConfig;
import dev.qrauth.tokenserver.ratelimit.TokenBuckets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records security events in the caller's database transaction, so an event exists exactly when
 * the change it describes was committed.
 */
@ApplicationScoped
public class AuditLog {

    public static final int MAX_LIMIT = 1000;

    private final TokenBuckets refusalBudget;
    private final AtomicLong notRecorded = new AtomicLong();

    AuditLog(TokenServerConfig config) {
        this.refusalBudget = new TokenBuckets(config.audit().refusalsPerMinute(), Duration.ofMinutes(1),
                AuditType.values().length);
    }

    /** Who did it: {@code admin}, {@code client:<id>}, {@code device:<id>} or {@code system}. */
    public record Subject(String actor, String userId, UUID deviceId, UUID transactionId, String clientId) {
        public static Subject admin() {
            return new Subject("admin", null, null, null, null);
        }

        public static Subject device(UUID deviceId) {
            return new Subject("device:" + deviceId, null, deviceId, null, null);
        }

        /** The server itself: the expiry sweep, callback delivery. */
        public static Subject system() {
            return new Subject("system", null, null, null, null);
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

    /**
     * Records an event about a refused request (a failed authentication, a refused activation
     * code) in a transaction of its own, so it stays when the request's transaction rolls back.
     * Such events are caused by whoever sends requests, so they are capped: at most
     * {@code tokenserver.audit.refusals-per-minute} of each type, over all callers; beyond that
     * they are counted in {@link #refusalsNotRecorded()} only, so a flood of bad requests cannot
     * fill the database. Every refusal the budgets of failed authentications let through already
     * cost an Argon2 hash or a database round trip; this adds one INSERT.
     */
    public void recordRefusal(AuditType type, Subject subject, String details) {
        if (refusalBudget.take(type.name()) > 0) {
            notRecorded.incrementAndGet();
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> record(type, subject, details));
    }

    /**
     * Like {@link #recordRefusal}, capped alike, but in the caller's transaction: for a refusal
     * whose request commits (a failed fetch is counted against the device's budget).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordRefusalInTransaction(AuditType type, Subject subject, String details) {
        if (refusalBudget.take(type.name()) > 0) {
            notRecorded.incrementAndGet();
            return;
        }
        record(type, subject, details);
    }

    /** Refusals not recorded since start because their type's budget was spent. */
    public long refusalsNotRecorded() {
        return notRecorded.get();
    }

    /** What the audit listing filters by; null members do not filter. */
    public record Filter(String userId, UUID deviceId, UUID transactionId, String clientId, Set<String> types,
                         Instant from, Instant to) {
        public static final Filter NONE = new Filter(null, null, null, null, Set.of(), null, null);
    }

    /** One page of events, newest first, and the id below which the next page starts (null: no more). */
    public record Page(List<AuditEvent> events, Long nextBefore) {
    }

    /**
     * Events matching every filter, newest first, with an id below {@code before} (null: from
     * the newest). Paging by id rather than by offset: a page costs the same however deep it is,
     * and events written while paging never shift or repeat an entry.
     */
    @Transactional
    public Page find(Filter filter, Long before, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        if (before != null) {
            query.append(" and id < :before");
            parameters.put("before", before);
        }
        if (filter.userId() != null) {
            query.append(" and userId = :userId");
            parameters.put("userId", filter.userId());
        }
        if (filter.deviceId() != null) {
            query.append(" and deviceId = :deviceId");
            parameters.put("deviceId", filter.deviceId());
        }
        if (filter.transactionId() != null) {
            query.append(" and transactionId = :transactionId");
            parameters.put("transactionId", filter.transactionId());
        }
        if (filter.clientId() != null) {
            query.append(" and clientId = :clientId");
            parameters.put("clientId", filter.clientId());
        }
        if (!filter.types().isEmpty()) {
            query.append(" and eventType in :types");
            parameters.put("types", filter.types());
        }
        if (filter.from() != null) {
            query.append(" and occurredAt >= :from");
            parameters.put("from", filter.from());
        }
        if (filter.to() != null) {
            query.append(" and occurredAt < :to");
            parameters.put("to", filter.to());
        }
        query.append(" order by id desc");
        List<AuditEvent> rows = AuditEvent.<AuditEvent>find(query.toString(), parameters).range(0, limit).list();
        // One more than asked tells whether there is a next page without a count.
        boolean more = rows.size() > limit;
        List<AuditEvent> events = more ? rows.subList(0, limit) : rows;
        return new Page(List.copyOf(events), more ? events.get(limit - 1).id : null);
    }
}
