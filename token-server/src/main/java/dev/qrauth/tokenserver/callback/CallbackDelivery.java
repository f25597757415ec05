package dev.qrauth.tokenserver.callback;

import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.portal.CallbackNotification;
import dev.qrauth.tokenserver.BackgroundJob;
import dev.qrauth.tokenserver.TokenServerConfig;
import dev.qrauth.tokenserver.callback.AttemptResult.Failure;
import dev.qrauth.tokenserver.callback.CallbackRecorder.Kind;
import dev.qrauth.tokenserver.callback.CallbackRecorder.Outcome;
import dev.qrauth.tokenserver.callback.CallbackSenders.Sender;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.security.MasterKey;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox: {@code docs/PROTOCOL.md}, "Callbacks".
 *
 * <p>A row is leased by setting its {@code next_attempt_at} past the longest an attempt can
 * take, so that no other node sends it at the same time: a new row is written leased to this node
 * when it has a slot free ({@link #reserveSlot(String)}), and a due row is claimed with
 * {@code FOR UPDATE SKIP LOCKED}. The HTTP exchange holds no thread and no database transaction:
 * a short step on a worker thread prepares the request (the client's settings, the address, the
 * signature), and the exchange itself runs on Vert.x's event loop. A 2xx ends it; anything else
 * schedules a retry with exponential backoff and jitter, until the row is older than the maximum
 * age. Outcomes are recorded in batches ({@link CallbackRecorder}). A node that dies mid-attempt,
 * or before an outcome was recorded, leaves a lease that runs out, and the row is retried: delivery
 * is at least once.
 *
 * <p>The node runs at most {@code tokenserver.callback.max-in-flight} attempts at once, and at most
 * {@code max-in-flight-per-client} of one client ({@link CallbackCapacity}): a receiver that never
 * answers holds its own client's slots until its read timeout, never everyone's. A poll leaves a
 * quarter of the node's slots to the answer path, whose callbacks then go out at once rather than
 * after the next poll.
 */
@ApplicationScoped
public class CallbackDelivery {

    private static final Logger LOG = Logger.getLogger(CallbackDelivery.class);

    /**
     * How long a claimed callback belongs to the node that claimed it. An attempt, connecting and
     * reading included, must end within it, or another node could send the same callback at once.
     */
    public static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(5);
    /** The most rows one poll claims. */
    private static final int MAX_CLAIM = 500;

    private final AgroalDataSource dataSource;
    private final MasterKey masterKey;
    private final CallbackMetrics metrics;
    private final CallbackResolver resolver;
    private final CallbackSenders senders;
    private final Duration maxAge;
    private final boolean allowPrivateAddresses;
    private final CallbackAddressPolicy addressPolicy = CallbackAddressPolicy.forThisHost();
    private final CallbackCapacity capacity;
    private final CallbackTransport transport;
    private final CallbackRecorder recorder;
    /**
     * Prepares attempts: reads a client's settings when they are not known, resolves the host,
     * signs. A thread is held only while that runs, not for the exchange; one that waits for a slow
     * name server holds no other client's attempt up, because threads are started as needed, up
     * to the bound on attempts in flight.
     */
    private final ThreadPoolExecutor preparing;

    CallbackDelivery(AgroalDataSource dataSource, MasterKey masterKey, CallbackMetrics metrics, Vertx vertx,
                     CallbackResolver resolver, CallbackSenders senders, TokenServerConfig config) {
        CallbackSettings settings = config.callback();
        this.dataSource = dataSource;
        this.masterKey = masterKey;
        this.metrics = metrics;
        this.resolver = resolver;
        this.senders = senders;
        this.maxAge = settings.maxAge();
        this.allowPrivateAddresses = settings.allowPrivateAddresses();
        if (settings.connectTimeout().plus(settings.readTimeout()).compareTo(LEASE) >= 0) {
            throw new IllegalStateException("tokenserver.callback connect and read timeouts must add up to less than "
                    + LEASE.toSeconds() + " s");
        }
        this.capacity = new CallbackCapacity(settings.maxInFlight(), settings.maxInFlightPerClient());
        this.transport = new CallbackTransport(vertx, settings.connectTimeout(), settings.readTimeout(),
                settings.maxInFlight(), null);
        this.recorder = new CallbackRecorder(dataSource, settings.recordInterval(), this::recorded);
        // A few more threads than slots: a thread that has handed its exchange over may not yet be
        // back in the pool when the next attempt comes.
        this.preparing = new ThreadPoolExecutor(0, settings.maxInFlight() + 16, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "callback-prepare");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A row leased to this node: everything an attempt needs. The answer path builds one for a row
     * it wrote already leased ({@code attempts} 1, {@code next_attempt_at} = {@code leasedUntil}).
     */
    public record Claimed(long id, UUID transactionId, String clientId, String callbackUri, TransactionStatus status,
                          Instant createdAt, int attempts, Instant leasedUntil, boolean duress) {

        /** A row of an answer not given under duress, or of any other change. */
        public Claimed(long id, UUID transactionId, String clientId, String callbackUri, TransactionStatus status,
                       Instant createdAt, int attempts, Instant leasedUntil) {
            this(id, transactionId, clientId, callbackUri, status, createdAt, attempts, leasedUntil, false);
        }
    }

    /** A claimed row with its client's settings, read in the claim's statement. */
    record Claim(Claimed row, Sender sender) {
    }

    /**
     * Takes one of this node's slots for a callback of {@code clientId} about to be written, if
     * the node and the client have one free. With a slot the row is written leased
     * ({@link #leaseFrom(Instant)}, {@code attempts} 1) and handed to {@link #start(Claimed)} after
     * the commit; without one it is written due, and the poll of some node claims it.
     */
    public boolean reserveSlot(String clientId) {
        return capacity.tryTake(clientId);
    }

    /** Gives back a slot taken by {@link #reserveSlot(String)} for a row that was not committed. */
    public void releaseSlot(String clientId) {
        capacity.give(clientId);
    }

    /**
     * Takes one of this node's slots for a callback whose client is not known yet: the hot path
     * writes the row in the same statement that finds the transaction's client. With a slot the
     * row is written leased and handed to {@link #startReserved(Claimed)}; without one it is
     * written due.
     */
    public boolean reserveNodeSlot() {
        return capacity.takeUpTo(1) == 1;
    }

    /** Gives back a slot taken by {@link #reserveNodeSlot()} for a row that was not written. */
    public void releaseNodeSlot() {
        capacity.giveUnused(1);
    }

    /**
     * Delivers a committed row written leased under a slot of {@link #reserveNodeSlot()}, when
     * its client has room. A client already at {@code max-in-flight-per-client} on this node (its
     * receiver is that far behind) does not get more: the slot is given back and the row keeps its
     * lease, after which any node's poll claims it, as after a crash.
     */
    public void startReserved(Claimed row) {
        if (capacity.tryAssign(row.clientId())) {
            deliver(row, null);
        } else {
            capacity.giveUnused(1);
        }
    }

    /** The lease of a row claimed or written at {@code now}, as the database stores it. */
    public static Instant leaseFrom(Instant now) {
        return now.plus(LEASE).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Delivers a committed row written leased under the slot {@link #reserveSlot(String)} took for
     * it; the slot is given back once the attempt is recorded. Never blocks: any thread, an event
     * loop included, may call it.
     */
    public void start(Claimed row) {
        deliver(row, null);
    }

    /** Claims due rows, as many as this node and their clients have slots for, and delivers them. */
    @BackgroundJob
    @Scheduled(every = "${tokenserver.callback.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deliverDue() {
        int free = capacity.takeForClaim(MAX_CLAIM);
        if (free == 0) {
            return;
        }
        List<Claim> claimed = List.of();
        try {
            claimed = claim(0L, free, capacity.clientsInFlight());
        } catch (SQLException e) {
            LOG.warn("Claiming due callbacks failed; the next poll tries again", e);
        } finally {
            capacity.giveUnused(free - claimed.size());
        }
        for (Claim claim : claimed) {
            capacity.assign(claim.row().clientId());
            deliver(claim.row(), claim.sender());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        preparing.shutdown();
        try {
            preparing.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
        // Attempts still running are not recorded: their leases run out and they are sent again.
        recorder.close();
    }

    /**
     * Leases up to {@code limit} due rows from id {@code fromId} on, in one statement that also
     * reads their clients' settings. A client with {@code inFlight} at the per-client limit is left
     * out, and of another no more rows are taken than it has room for.
     */
    List<Claim> claim(long fromId, int limit, Map<String, Integer> inFlight) throws SQLException {
        List<String> busy = new ArrayList<>();
        List<String> clients = new ArrayList<>();
        List<Integer> room = new ArrayList<>();
        inFlight.forEach((clientId, count) -> {
            if (count >= capacity.perClient()) {
                busy.add(clientId);
            } else {
                clients.add(clientId);
                room.add(capacity.perClient() - count);
            }
        });
        Instant now = Instant.now();
        Instant leasedUntil = leaseFrom(now);
        long seen = senders.generation();
        List<Claim> claimed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("WITH candidate AS ("
                     + "SELECT o.id, o.client_id, o.next_attempt_at FROM callback_outbox o WHERE o.id >= ? "
                     + "AND o.delivered_at IS NULL AND o.abandoned_at IS NULL AND o.next_attempt_at <= ? "
                     + "AND o.client_id <> ALL (?) ORDER BY o.next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED), "
                     + "chosen AS (SELECT c.id FROM (SELECT id, client_id, row_number() OVER (PARTITION BY client_id "
                     + "ORDER BY next_attempt_at, id) AS nth FROM candidate) c "
                     + "LEFT JOIN unnest(?::text[], ?::int[]) AS room(client_id, free) ON room.client_id = c.client_id "
                     + "WHERE c.nth <= coalesce(room.free, ?)), "
                     + "claimed AS (UPDATE callback_outbox o SET next_attempt_at = ?, attempts = o.attempts + 1 "
                     + "FROM chosen WHERE o.id = chosen.id "
                     + "RETURNING o.id, o.transaction_id, o.client_id, o.callback_uri, o.status, o.created_at, o.attempts, "
                     + "o.duress) "
                     + "SELECT claimed.*, " + CallbackSenders.COLUMNS + " FROM claimed "
                     + "LEFT JOIN api_client c ON c.client_id = claimed.client_id")) {
            statement.setLong(1, fromId);
            statement.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            statement.setArray(3, connection.createArrayOf("text", busy.toArray(String[]::new)));
            statement.setInt(4, limit);
            statement.setArray(5, connection.createArrayOf("text", clients.toArray(String[]::new)));
            statement.setArray(6, connection.createArrayOf("integer", room.toArray(Integer[]::new)));
            statement.setInt(7, capacity.perClient());
            statement.setObject(8, OffsetDateTime.ofInstant(leasedUntil, ZoneOffset.UTC));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Claimed row = new Claimed(rows.getLong("id"), rows.getObject("transaction_id", UUID.class),
                            rows.getString("client_id"), rows.getString("callback_uri"),
                            TransactionStatus.fromWire(rows.getString("status")),
                            rows.getObject("created_at", OffsetDateTime.class).toInstant(), rows.getInt("attempts"),
                            leasedUntil, rows.getBoolean("duress"));
                    Sender sender = Sender.read(rows);
                    senders.keep(seen, row.clientId(), sender);
                    claimed.add(new Claim(row, sender));
                }
            }
        }
        return claimed;
    }

    /**
     * Runs one attempt of {@code row}, which holds a slot: prepared on a worker thread, exchanged
     * on the event loop, recorded by the recorder, which gives the slot back.
     *
     * @param sender the client's settings when the claim read them, or {@code null} to look them up
     */
    private void deliver(Claimed row, Sender sender) {
        try {
            preparing.execute(() -> attempt(row, sender));
        } catch (RejectedExecutionException shuttingDown) {
            // Shutting down (or, never seen, every thread busy): nothing was sent; the lease runs
            // out and any node sends the row then.
            capacity.give(row.clientId());
        }
    }

    private void attempt(Claimed row, Sender known) {
        long started = System.nanoTime();
        Request request;
        try {
            request = prepare(row, known);
        } catch (RefusedAddressException e) {
            finish(row, started, AttemptResult.notSent(e.failure, e.getMessage()));
            return;
        } catch (SQLException | RuntimeException e) {
            LOG.warnf(e, "Callback %d could not be prepared", row.id());
            finish(row, started, AttemptResult.notSent(e));
            return;
        }
        try {
            transport.post(request.target(), request.address(), request.headers(), request.body())
                    .onComplete(exchange -> {
                        finish(row, started, exchange.succeeded() ? AttemptResult.answered(exchange.result())
                                : AttemptResult.noAnswer(exchange.cause()));
                    });
        } catch (RuntimeException e) {
            LOG.warnf(e, "Callback %d could not be sent", row.id());
            finish(row, started, AttemptResult.notSent(e));
        }
    }

    /** A request ready to go: where to, over which address, with which headers and body. */
    private record Request(URI target, InetAddress address, Map<String, String> headers, byte[] body) {
    }

    /**
     * Everything an attempt needs before anything is sent. The host is resolved once; the
     * connection goes to the address that was resolved (and checked), not to a second answer of
     * the resolver.
     */
    private Request prepare(Claimed row, Sender known) throws RefusedAddressException, SQLException {
        Sender client = known != null ? known : senders.get(row.clientId());
        if (client == null) {
            throw new RefusedAddressException("the client no longer exists", Failure.REFUSED);
        }
        if (!client.enabled()) {
            throw new RefusedAddressException("the client is disabled", Failure.REFUSED);
        }
        boolean anyUri = client.callbackUris().isEmpty();
        if (!anyUri && !client.callbackUris().contains(row.callbackUri())) {
            throw new RefusedAddressException("the callback URI is no longer in the client's allow-list",
                    Failure.REFUSED);
        }
        URI target = URI.create(row.callbackUri());
        InetAddress address = addressFor(target, anyUri && !allowPrivateAddresses);
        // duress only when true: any other callback's body stays as it always was.
        byte[] body = ProtocolJson.write(new CallbackNotification(row.callbackUri(), row.transactionId(), row.status(),
                row.duress() ? Boolean.TRUE : null));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        Instant now = Instant.now();
        List<String> signingSecrets = client.signingSecrets(now).stream()
                .map(secret -> masterKey.decryptToString(ApiClient.signingSecretPurpose(row.clientId()), secret))
                .toList();
        headers.put(CallbackSignature.HEADER, CallbackSignature.sign(signingSecrets, now, body));
        if (client.username() != null) {
            String password = masterKey.decryptToString(ApiClient.callbackPasswordPurpose(row.clientId()),
                    client.password());
            headers.put("Authorization", new BasicCredentials(client.username(), password).header());
        }
        return new Request(target, address, headers, body);
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
            throw new RefusedAddressException("the callback host does not resolve", Failure.UNRESOLVED);
        }
        if (addresses.isEmpty()) {
            throw new RefusedAddressException("the callback host does not resolve", Failure.UNRESOLVED);
        }
        if (checked) {
            for (InetAddress address : addresses) {
                String refusal = addressPolicy.refusal(address);
                if (refusal != null) {
                    throw new RefusedAddressException("callback address refused: " + address.getHostAddress() + " is "
                            + refusal + "; a receiver there needs an entry in the client's allow-list", Failure.REFUSED);
                }
            }
        }
        return addresses.get(0);
    }

    /**
     * A callback that is not sent because of where it would go or to whom; its {@code failure}
     * says whether a retry can change that ({@link Failure#UNRESOLVED}) or not ({@link Failure#REFUSED}).
     */
    private static final class RefusedAddressException extends Exception {
        final Failure failure;

        RefusedAddressException(String message, Failure failure) {
            super(message, null, false, false);
            this.failure = failure;
        }
    }

    /** Decides what becomes of the row after an attempt, and queues that to be recorded. */
    private void finish(Claimed row, long started, AttemptResult result) {
        Instant now = Instant.now();
        int durationMs = (int) ((System.nanoTime() - started) / 1_000_000);
        Kind kind = result.kind(row.createdAt().plus(maxAge).isBefore(now));
        Instant retryAt = kind == Kind.RETRY ? now.plus(backoff(row.attempts())) : null;
        recorder.add(new Outcome(row, now, durationMs, result.httpStatus(), result.error(), kind, retryAt));
    }

    /** An outcome written, or given up to its lease: the slot is free again. */
    private void recorded(Outcome outcome, boolean written) {
        capacity.give(outcome.row().clientId());
        if (!written) {
            return;
        }
        if (outcome.kind() == Kind.DELIVERED) {
            metrics.delivered(outcome.row().status(), Duration.between(outcome.row().createdAt(),
                    outcome.attemptedAt()));
        } else {
            metrics.failed();
            LOG.debugf("Callback %d to %s failed (attempt %d): %s", outcome.row().id(), outcome.row().callbackUri(),
                    outcome.row().attempts(), outcome.error());
        }
    }

    /** Exponential from one second, capped at five minutes, with full jitter on the upper half. */
    static Duration backoff(int attempts) {
        long exponent = Math.min(Math.max(attempts - 1, 0), 20);
        long ceiling = Math.min(FIRST_RETRY.toMillis() << exponent, LONGEST_RETRY.toMillis());
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(jittered);
    }
}
