package dev.qrauth.tokenserver.callback;

import dev.qrauth.tokenserver.audit.AuditType;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Records finished attempts in batches: every attempt that ended within a few milliseconds of the
 * first one waiting, up to {@value #MAX_BATCH}, in one statement and so one round trip and one
 * commit. It runs on a thread of its own, with a connection taken from the pool for each batch and
 * no JTA.
 *
 * <p>Batching loses nothing a crash could not already lose: until its outcome is recorded a row
 * stays leased to this node, so an outcome lost with the node leaves a lease that runs out, and
 * the row is sent again (at least once, as documented). A row's outcome is written only while its
 * lease is the one the attempt was made under; the attempt itself is always written.
 */
final class CallbackRecorder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CallbackRecorder.class);
    private static final int MAX_BATCH = 500;
    private static final int MAX_ERROR_LENGTH = 300;
    /** SQLSTATE class 23: a foreign key, unique or check constraint broken by some row. */
    private static final String INTEGRITY_VIOLATION = "23";

    /** What became of a row: delivered, to be retried at {@code retryAt}, or abandoned. */
    enum Kind { DELIVERED, RETRY, ABANDONED }

    /** One finished attempt of {@code row}. */
    record Outcome(CallbackDelivery.Claimed row, Instant attemptedAt, int durationMs, Integer httpStatus, String error,
                   Kind kind, Instant retryAt) {
    }

    // Parameters: arrays of the same length, one element per outcome. The outbox row changes only
    // while the lease it was sent under is still its lease: a row whose lease ran out belongs to
    // whichever worker claimed it since. The abandonment's audit event is written only with the
    // change it reports.
    private static final String RECORD = "WITH v AS ("
            + "SELECT * FROM unnest(?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::int[], ?::int[], ?::text[], "
            + "?::text[], ?::timestamptz[], ?::text[]) "
            + "AS v(id, leased_until, attempted_at, duration_ms, http_status, error, kind, retry_at, details)), "
            + "attempt AS (INSERT INTO callback_attempt (outbox_id, attempted_at, duration_ms, http_status, error) "
            + "SELECT id, attempted_at, duration_ms, http_status, error FROM v), "
            + "changed AS (UPDATE callback_outbox o SET "
            + "delivered_at = CASE WHEN v.kind = 'DELIVERED' THEN v.attempted_at ELSE o.delivered_at END, "
            + "abandoned_at = CASE WHEN v.kind = 'ABANDONED' THEN v.attempted_at ELSE o.abandoned_at END, "
            + "next_attempt_at = CASE WHEN v.kind = 'RETRY' THEN v.retry_at ELSE o.next_attempt_at END, "
            + "last_error = v.error "
            + "FROM v WHERE o.id = v.id AND o.next_attempt_at = v.leased_until "
            + "RETURNING o.transaction_id, o.client_id, v.kind, v.attempted_at, v.details) "
            + "INSERT INTO audit_event (occurred_at, event_type, actor, transaction_id, client_id, details) "
            + "SELECT attempted_at, '" + AuditType.CALLBACK_ABANDONED.name() + "', 'system', transaction_id, client_id, "
            + "details FROM changed WHERE kind = 'ABANDONED'";

    private final AgroalDataSource dataSource;
    private final long intervalNanos;
    private final BiConsumer<Outcome, Boolean> recorded;
    private final LinkedBlockingQueue<Outcome> waiting = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;

    /**
     * @param interval the longest the first outcome of a batch waits for others
     * @param recorded told of every outcome once it is written ({@code true}) or given up to its
     *                 lease ({@code false}), on the writer's thread
     */
    CallbackRecorder(AgroalDataSource dataSource, Duration interval, BiConsumer<Outcome, Boolean> recorded) {
        this.dataSource = dataSource;
        this.intervalNanos = interval.toNanos();
        this.recorded = recorded;
        this.writer = new Thread(this::run, "callback-recorder");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues an outcome; never blocks, so an event loop may call it. */
    void add(Outcome outcome) {
        waiting.add(outcome);
    }

    private void run() {
        List<Outcome> batch = new ArrayList<>();
        while (!closing || !waiting.isEmpty()) {
            try {
                Outcome first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + intervalNanos;
                while (batch.size() < MAX_BATCH) {
                    long left = closing ? 0 : deadline - System.nanoTime();
                    Outcome next = left > 0 ? waiting.poll(left, TimeUnit.NANOSECONDS) : waiting.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                write(batch);
            } catch (InterruptedException e) {
                // close() is waiting: write what is queued, then stop.
                closing = true;
            } catch (RuntimeException e) {
                // Only from whoever was told of an outcome: the outcomes themselves were dealt with.
                LOG.warn("Telling of recorded callback attempts failed", e);
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Writes a batch in one statement. If a row breaks a constraint (its client was deleted
     * meanwhile, and the row with it), each outcome is tried alone, so that one cannot cost the
     * others theirs. Any other failure (the database gone) gives the whole batch up to its leases
     * at once, rather than waiting for the database once per outcome.
     */
    private void write(List<Outcome> batch) {
        try {
            execute(batch);
        } catch (SQLException | RuntimeException e) {
            boolean oneRow = e instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith(INTEGRITY_VIOLATION);
            if (batch.size() == 1 || !oneRow) {
                LOG.warnf(e, "%d callback attempts could not be recorded; their rows are retried after their leases",
                        batch.size());
                batch.forEach(outcome -> recorded.accept(outcome, false));
                return;
            }
            LOG.debugf(e, "A batch of %d callback attempts failed; recording them one by one", batch.size());
            for (Outcome outcome : batch) {
                write(List.of(outcome));
            }
            return;
        }
        batch.forEach(outcome -> recorded.accept(outcome, true));
    }

    private void execute(List<Outcome> batch) throws SQLException {
        int size = batch.size();
        Long[] ids = new Long[size];
        String[] leases = new String[size];
        String[] attemptedAt = new String[size];
        Integer[] durations = new Integer[size];
        Integer[] statuses = new Integer[size];
        String[] errors = new String[size];
        String[] kinds = new String[size];
        String[] retryAt = new String[size];
        String[] details = new String[size];
        for (int i = 0; i < size; i++) {
            Outcome outcome = batch.get(i);
            ids[i] = outcome.row().id();
            leases[i] = outcome.row().leasedUntil().toString();
            attemptedAt[i] = outcome.attemptedAt().toString();
            durations[i] = outcome.durationMs();
            statuses[i] = outcome.httpStatus();
            errors[i] = truncate(outcome.error());
            kinds[i] = outcome.kind().name();
            retryAt[i] = outcome.retryAt() == null ? null : outcome.retryAt().toString();
            details[i] = outcome.kind() == Kind.ABANDONED ? truncate(outcome.row().status() + " callback abandoned after "
                    + outcome.row().attempts() + " attempts: " + outcome.error()) : null;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(RECORD)) {
            // One statement, so one transaction even in auto-commit; the pool's default is kept.
            statement.setArray(1, connection.createArrayOf("bigint", ids));
            statement.setArray(2, connection.createArrayOf("text", leases));
            statement.setArray(3, connection.createArrayOf("text", attemptedAt));
            statement.setArray(4, connection.createArrayOf("integer", durations));
            statement.setArray(5, connection.createArrayOf("integer", statuses));
            statement.setArray(6, connection.createArrayOf("text", errors));
            statement.setArray(7, connection.createArrayOf("text", kinds));
            statement.setArray(8, connection.createArrayOf("text", retryAt));
            statement.setArray(9, connection.createArrayOf("text", details));
            statement.executeUpdate();
        }
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }

    /** Writes what is queued (for at most five seconds), then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
