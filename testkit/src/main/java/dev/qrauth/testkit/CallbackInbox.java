package dev.qrauth.testkit;

import com.sun.net.httpserver.HttpServer;
import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.portal.CallbackNotification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A portal's callback endpoint reduced to what tests and load drivers need, on a free loopback
 * port: it records every callback as it arrived, can check each signature as a portal must, can
 * refuse callbacks as a portal that is down, and tells when a transaction's final callback came.
 * Requests are handled on the server's own thread: recording one is a queue append and a small
 * JSON read, so a pool would only add a thread switch per callback to a load driver's CPU.
 */
public final class CallbackInbox implements AutoCloseable {

    /** The path callbacks are posted to. */
    public static final String PATH = "/callbacks/mobile-auth";

    /**
     * One callback as it arrived: the raw body, its two headers, when ({@link System#nanoTime()}),
     * the body read as a callback (null when it is not one), and every header (names in lower case,
     * the first value of each).
     */
    public record Delivery(byte[] body, String signature, String authorization, long arrivedNanos,
                           CallbackNotification notification, Map<String, String> headers) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The first value of header {@code name} (any case), or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * A callback answered with an error status: while the inbox was refusing them (503), or with
     * a status planned by {@link #answerNext(int...)}.
     */
    public record Refused(byte[] body, Instant at, int status) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final Queue<Refused> refused = new ConcurrentLinkedQueue<>();
    private final Map<UUID, CompletableFuture<Long>> finals = new ConcurrentHashMap<>();
    private final AtomicLong badSignatures = new AtomicLong();
    private final Queue<Integer> plannedStatuses = new ConcurrentLinkedQueue<>();
    private volatile boolean refusing;
    private volatile String signingSecret;

    private CallbackInbox(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(PATH, exchange -> {
            try (exchange) {
                long arrived = System.nanoTime();
                byte[] body = exchange.getRequestBody().readAllBytes();
                Integer planned = plannedStatuses.poll();
                int refusal = planned != null ? planned : refusing ? 503 : 0;
                if (refusal != 0) {
                    refused.add(new Refused(body, Instant.now(), refusal));
                    exchange.sendResponseHeaders(refusal, -1);
                    return;
                }
                String signature = exchange.getRequestHeaders().getFirst(CallbackSignature.HEADER);
                String secret = signingSecret;
                if (secret != null && CallbackSignature.verify(secret, signature, body, Instant.now(),
                        CallbackSignature.DEFAULT_TOLERANCE) != CallbackSignature.Outcome.VALID) {
                    badSignatures.incrementAndGet();
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                CallbackNotification callback = read(body);
                Map<String, String> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                        values.get(0)));
                deliveries.add(new Delivery(body, signature, exchange.getRequestHeaders().getFirst("Authorization"),
                        arrived, callback, Map.copyOf(headers)));
                if (callback != null && callback.status() != null && callback.status().isTerminal()) {
                    arrivalOf(callback.transactionId()).complete(arrived);
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    /** An inbox listening on a free loopback port. */
    public static CallbackInbox start() {
        return new CallbackInbox(0);
    }

    /**
     * An inbox listening on {@code port} of the loopback address: for a portal that comes up
     * later at an address the token server already sends to (see {@link ServerProcess#freePort()}).
     */
    public static CallbackInbox startOn(int port) {
        return new CallbackInbox(port);
    }

    /** The callback URI of an inbox on {@code port}, whether or not one listens there yet. */
    public static String uriOn(int port) {
        return "http://127.0.0.1:" + port + PATH;
    }

    /**
     * The next callbacks are answered with these statuses, in order, and kept with
     * {@link #refused()}; after them, callbacks are accepted again.
     */
    public void answerNext(int... statuses) {
        for (int status : statuses) {
            plannedStatuses.add(status);
        }
    }

    /**
     * From now on, a callback whose signature does not verify with {@code secret} is answered
     * 401 and counted ({@link #badSignatures()}) instead of recorded.
     */
    public CallbackInbox verifying(String secret) {
        this.signingSecret = secret;
        return this;
    }

    /** The URI to register as the client's callback URI. */
    public String uri() {
        return uriOn(server.getAddress().getPort());
    }

    /** The first callback for {@code transactionId} reporting {@code status}, waiting up to {@code timeout}. */
    public Optional<Delivery> await(Object transactionId, String status, Duration timeout) {
        try {
            return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> all(transactionId).stream().filter(d -> hasStatus(d, status)).findFirst(),
                            Optional::isPresent);
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
    }

    /** Completes with {@link System#nanoTime()} at the arrival of the transaction's final callback. */
    public CompletableFuture<Long> arrival(UUID transactionId) {
        return arrivalOf(transactionId);
    }

    /** Drops what {@link #arrival} keeps for the transaction. */
    public void forget(UUID transactionId) {
        finals.remove(transactionId);
    }

    /** While refusing, every callback is answered {@code 503}, as by a portal that is down, and kept apart. */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** The callbacks answered with an error status so far. */
    public List<Refused> refused() {
        return List.copyOf(refused);
    }

    /** Every callback accepted so far. */
    public List<Delivery> all() {
        return List.copyOf(deliveries);
    }

    /** Every callback for {@code transactionId} accepted so far. */
    public List<Delivery> all(Object transactionId) {
        String wanted = transactionId.toString();
        return deliveries.stream().filter(d -> {
            CallbackNotification callback = d.notification();
            return callback != null && wanted.equals(String.valueOf(callback.transactionId()));
        }).toList();
    }

    /** Callbacks refused for a signature that did not verify (see {@link #verifying}). */
    public long badSignatures() {
        return badSignatures.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private CompletableFuture<Long> arrivalOf(UUID transactionId) {
        return finals.computeIfAbsent(transactionId, id -> new CompletableFuture<>());
    }

    private static boolean hasStatus(Delivery delivery, String status) {
        CallbackNotification callback = delivery.notification();
        return callback != null && callback.status() != null && callback.status().name().equals(status);
    }

    private static CallbackNotification read(byte[] body) {
        try {
            return ProtocolJson.read(body, CallbackNotification.class);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
