package dev.qrauth.tokenserver.callback;

import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.portal.CallbackNotification;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.security.MasterKey;
import dev.qrauth.tokenserver.transaction.TransactionMetrics;
import io.netty.channel.ConnectTimeoutException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox: {@code docs/PROTOCOL.md}, "Callbacks".
 *
 * <p>A row is leased by setting its {@code next_attempt_at} past the longest an attempt can
 * take, so that no other worker, on this node or another, sends it at the same time: a new row is
 * written leased to a free worker of the node that writes it, and a due row is claimed with
 * {@code FOR UPDATE SKIP LOCKED}. The HTTP call happens outside any database transaction. A 2xx
 * ends it; anything else schedules a retry with exponential backoff and jitter, until the row is
 * older than the maximum age. A node that dies mid-attempt leaves a lease that runs out, and the
 * row is retried: delivery is at least once.
 */
@ApplicationScoped
public class CallbackDelivery {

    private static final Logger LOG = Logger.getLogger(CallbackDelivery.class);
    private static final int WORKERS = 16;
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(5);
    private static final int MAX_ERROR_LENGTH = 300;

    private final EntityManager entities;
    private final MasterKey masterKey;
    private final TransactionMetrics metrics;
    private final Duration maxAge;
    private final boolean allowPrivateAddresses;
    private final CallbackResolver resolver;
    private final CallbackAddressPolicy addressPolicy = CallbackAddressPolicy.forThisHost();
    private final CallbackTransport transport;
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, runnable -> {
        Thread thread = new Thread(runnable, "callback-delivery");
        thread.setDaemon(true);
        return thread;
    });
    /** Attempts running or queued on this node; the poll only claims what it can start now. */
    private final Semaphore capacity = new Semaphore(WORKERS);

    CallbackDelivery(EntityManager entities, MasterKey masterKey, TransactionMetrics metrics, Vertx vertx,
                     CallbackResolver resolver,
                     @ConfigProperty(name = "tokenserver.callback.max-age") Duration maxAge,
                     @ConfigProperty(name = "tokenserver.callback.connect-timeout") Duration connectTimeout,
                     @ConfigProperty(name = "tokenserver.callback.read-timeout") Duration readTimeout,
                     @ConfigProperty(name = "tokenserver.callback.allow-private-addresses") boolean allowPrivateAddresses) {
        this.entities = entities;
        this.masterKey = masterKey;
        this.metrics = metrics;
        this.maxAge = maxAge;
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.resolver = resolver;
        if (connectTimeout.plus(readTimeout).compareTo(LEASE) >= 0) {
            throw new IllegalStateException("tokenserver.callback connect and read timeouts must add up to less than "
                    + LEASE.toSeconds() + " s");
        }
        this.transport = new CallbackTransport(vertx, connectTimeout, readTimeout, WORKERS, null);
    }

    /**
     * What sending needs of a client, its secrets still under the master key. The admin can
     * change, disable or rotate a client on any node, so this is read for every attempt: one
     * read by primary key, next to an HTTP call.
     */
    record Sender(boolean enabled, List<String> callbackUris, List<byte[]> signingSecrets, String username,
                  byte[] password) {
    }

    /** A claimed row: everything an attempt needs. */
    public record Claimed(long id, UUID transactionId, String clientId, String callbackUri, TransactionStatus status,
                   Instant createdAt, int attempts, Instant leasedUntil) {
    }

    /** Takes a worker of this node for a row about to be written, if one is free. */
    public boolean reserveWorker() {
        return capacity.tryAcquire();
    }

    /** Gives back a worker taken by {@link #reserveWorker()} for a row that was not written. */
    public void releaseWorker() {
        capacity.release();
    }

    /** The lease of a row claimed or written at {@code now}, as the database stores it. */
    public static Instant leaseFrom(Instant now) {
        return now.plus(LEASE).truncatedTo(ChronoUnit.MICROS);
    }

    /** Delivers a leased row on the worker reserved for it, which is given back afterwards. */
    public void start(Claimed row) {
        try {
            workers.execute(() -> {
                try {
                    attempt(row);
                } catch (RuntimeException e) {
                    // The lease runs out and the row is retried; nothing is lost.
                    LOG.warnf(e, "Callback %d: the attempt could not be recorded", row.id());
                } finally {
                    capacity.release();
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            capacity.release();
        }
    }

    /** Claims due rows, as many as there are free workers, and delivers them. */
    @Scheduled(every = "${tokenserver.callback.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deliverDue() {
        int free = capacity.availablePermits();
        if (free == 0) {
            return;
        }
        for (Claimed row : claim("o.id > ?1", 0L, free)) {
            capacity.acquireUninterruptibly();
            start(row);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
    }

    @SuppressWarnings("unchecked")
    List<Claimed> claim(String condition, long id, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = entities.createNativeQuery("UPDATE callback_outbox SET next_attempt_at = ?2, attempts = attempts + 1 "
                    + "WHERE id IN (SELECT o.id FROM callback_outbox o WHERE " + condition
                    + " AND o.delivered_at IS NULL AND o.abandoned_at IS NULL AND o.next_attempt_at <= ?3 "
                    + "ORDER BY o.next_attempt_at LIMIT ?4 FOR UPDATE SKIP LOCKED) "
                    + "RETURNING id, transaction_id, client_id, callback_uri, status, created_at, attempts");
            Instant now = Instant.now();
            Instant leasedUntil = leaseFrom(now);
            query.setParameter(1, id).setParameter(2, leasedUntil).setParameter(3, now).setParameter(4, limit);
            List<Object[]> rows = query.getResultList();
            return rows.stream().map(row -> new Claimed(((Number) row[0]).longValue(), (UUID) row[1], (String) row[2],
                    (String) row[3], TransactionStatus.fromWire((String) row[4]), WireValues.instant(row[5]),
                    ((Number) row[6]).intValue(), leasedUntil)).toList();
        });
    }

    private void attempt(Claimed row) {
        long started = System.nanoTime();
        Integer httpStatus = null;
        String error;
        boolean abandon = false;
        try {
            httpStatus = send(row);
            error = httpStatus >= 200 && httpStatus <= 299 ? null : "HTTP " + httpStatus;
        } catch (RefusedAddressException e) {
            error = e.getMessage();
            abandon = e.permanent;
        } catch (TimeoutException e) {
            error = "timed out";
        } catch (ExecutionException e) {
            // A connect timeout is a ConnectException too, so it is asked about first.
            error = e.getCause() instanceof TimeoutException || e.getCause() instanceof ConnectTimeoutException
                    ? "timed out"
                    : e.getCause() instanceof ConnectException ? "connection refused or unreachable"
                    : String.valueOf(e.getCause() == null ? e : e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (RuntimeException e) {
            LOG.warnf(e, "Callback %d could not be prepared", row.id());
            error = "not sent: " + e.getClass().getSimpleName();
        }
        int durationMs = (int) ((System.nanoTime() - started) / 1_000_000);
        record(row, httpStatus, error, abandon, durationMs);
    }

    /**
     * Sends one callback and returns the HTTP status. The host is resolved once; the connection
     * goes to the address that was resolved (and checked), not to a second answer of the resolver.
     * The whole exchange, body included, is bounded by the connect and read timeouts, well inside
     * the lease, so a receiver that stalls cannot hold a worker or be sent the same callback twice
     * at once.
     */
    private int send(Claimed row)
            throws RefusedAddressException, TimeoutException, ExecutionException, InterruptedException {
        Sender client = sender(row.clientId());
        if (client == null) {
            throw new RefusedAddressException("the client no longer exists", true);
        }
        if (!client.enabled()) {
            throw new RefusedAddressException("the client is disabled", true);
        }
        boolean anyUri = client.callbackUris().isEmpty();
        if (!anyUri && !client.callbackUris().contains(row.callbackUri())) {
            throw new RefusedAddressException("the callback URI is no longer in the client's allow-list", true);
        }
        URI target = URI.create(row.callbackUri());
        InetAddress address = addressFor(target, anyUri && !allowPrivateAddresses);
        byte[] body = ProtocolJson.write(new CallbackNotification(row.callbackUri(), row.transactionId(), row.status()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        List<String> signingSecrets = client.signingSecrets().stream()
                .map(secret -> masterKey.decryptToString(ApiClient.signingSecretPurpose(row.clientId()), secret))
                .toList();
        headers.put(CallbackSignature.HEADER, CallbackSignature.sign(signingSecrets, Instant.now(), body));
        if (client.username() != null) {
            String password = masterKey.decryptToString(ApiClient.callbackPasswordPurpose(row.clientId()),
                    client.password());
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (client.username() + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return transport.post(target, address, headers, body);
    }

    private Sender sender(String clientId) {
        ApiClient client = QuarkusTransaction.requiringNew().call(() -> entities.find(ApiClient.class, clientId));
        if (client == null) {
            return null;
        }
        // During a rotation's overlap the replaced secret signs first, so that a receiver that
        // reads only the first v1 keeps working until it switches to the new secret.
        List<byte[]> signingSecrets = client.inOverlap(Instant.now()) && client.previousCallbackSigningSecret != null
                ? List.of(client.previousCallbackSigningSecret, client.callbackSigningSecret)
                : List.of(client.callbackSigningSecret);
        return new Sender(client.enabled, List.of(client.callbackUris), signingSecrets, client.callbackUsername,
                client.callbackPassword);
    }

    /**
     * Resolves the callback's host, once, and returns the address to connect to: the first one, as
     * the system resolver orders them. A client without an allow-list may name any URI, so it must
     * not make this server call into its own host or network: when {@code checked}, every address
     * the name has is judged by the {@link CallbackAddressPolicy}, and one refused address refuses
     * the callback. Clients with an allow-list are not checked: their operator listed the URIs.
     */
    private InetAddress addressFor(URI target, boolean checked) throws RefusedAddressException {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(target.getHost());
        } catch (UnknownHostException e) {
            throw new RefusedAddressException("the callback host does not resolve", false);
        }
        if (addresses.isEmpty()) {
            throw new RefusedAddressException("the callback host does not resolve", false);
        }
        if (checked) {
            for (InetAddress address : addresses) {
                String refusal = addressPolicy.refusal(address);
                if (refusal != null) {
                    throw new RefusedAddressException("callback address refused: " + address.getHostAddress() + " is "
                            + refusal + "; a receiver there needs an entry in the client's allow-list", true);
                }
            }
        }
        return addresses.get(0);
    }

    /**
     * A callback that is not sent because of where it would go or to whom; {@code permanent}
     * when no retry can change that, so it is abandoned at once.
     */
    private static final class RefusedAddressException extends Exception {
        final boolean permanent;

        RefusedAddressException(String message, boolean permanent) {
            super(message, null, false, false);
            this.permanent = permanent;
        }
    }

    private void record(Claimed row, Integer httpStatus, String error, boolean abandon, int durationMs) {
        Instant now = Instant.now();
        // The attempt and the outbox row's new state in one statement: one round trip.
        // Parameters: ?1 row, ?2 now, ?3 the lease this worker holds, ?4..?6 the attempt, ?7 the retry time.
        String attempt = "WITH attempt AS (INSERT INTO callback_attempt (outbox_id, attempted_at, duration_ms, "
                + "http_status, error) VALUES (?1, ?2, ?4, ?5, ?6)) ";
        // Only while this worker still holds the lease: a row whose lease ran out belongs to
        // whichever worker claimed it since.
        String held = " WHERE id = ?1 AND next_attempt_at = ?3";
        String update;
        Instant retryAt = null;
        boolean abandoned = false;
        if (error == null) {
            update = "UPDATE callback_outbox SET delivered_at = ?2, last_error = NULL" + held;
        } else if (abandon || row.createdAt().plus(maxAge).isBefore(now)) {
            // Abandoned: the audit event in the same statement, only when this worker's change is made.
            update = ", abandoned AS (UPDATE callback_outbox SET abandoned_at = ?2, last_error = ?6" + held
                    + " RETURNING transaction_id, client_id) INSERT INTO audit_event (occurred_at, event_type, actor, "
                    + "transaction_id, client_id, details) SELECT ?2, ?7, 'system', transaction_id, client_id, ?8 "
                    + "FROM abandoned";
            abandoned = true;
        } else {
            update = "UPDATE callback_outbox SET next_attempt_at = ?7, last_error = ?6" + held;
            retryAt = now.plus(backoff(row.attempts()));
        }
        Instant nextAttempt = retryAt;
        boolean givenUp = abandoned;
        QuarkusTransaction.requiringNew().run(() -> {
            var statement = entities.createNativeQuery(attempt + update)
                    .setParameter(1, row.id()).setParameter(2, now).setParameter(3, row.leasedUntil())
                    .setParameter(4, durationMs).setParameter(5, httpStatus).setParameter(6, truncate(error));
            if (nextAttempt != null) {
                statement.setParameter(7, nextAttempt);
            }
            if (givenUp) {
                statement.setParameter(7, AuditType.CALLBACK_ABANDONED.name()).setParameter(8, truncate(
                        row.status() + " callback abandoned after " + row.attempts() + " attempts: " + error));
            }
            statement.executeUpdate();
        });
        if (error == null) {
            metrics.callbackDelivered(row.status(), Duration.between(row.createdAt(), now));
        } else {
            metrics.callbackFailed();
            LOG.debugf("Callback %d to %s failed (attempt %d): %s", row.id(), row.callbackUri(), row.attempts(), error);
        }
    }

    /** Exponential from one second, capped at five minutes, with full jitter on the upper half. */
    static Duration backoff(int attempts) {
        long exponent = Math.min(Math.max(attempts - 1, 0), 20);
        long ceiling = Math.min(FIRST_RETRY.toMillis() << exponent, LONGEST_RETRY.toMillis());
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
