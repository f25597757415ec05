package dev.qrauth.benchmarks.load;

import com.sun.net.httpserver.HttpServer;
import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.portal.CallbackNotification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The portal simulator's callback endpoint: checks each signature as a portal must, answers 204
 * and notes when each transaction's final callback arrived.
 *
 * <p>The handler runs on the server's own dispatcher thread: it never blocks (an HMAC, a small
 * JSON read and a completed future, some microseconds), so handing each callback to a pool
 * would only add a thread switch per callback to the driver's CPU.
 */
final class CallbackReceiver implements AutoCloseable {

    static final String PATH = "/callbacks/mobile-auth";

    private final HttpServer server;
    private final Map<UUID, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong badSignatures = new AtomicLong();
    private volatile String signingSecret;

    CallbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setExecutor(null);
        server.createContext(PATH, exchange -> {
            try (exchange) {
                long arrived = System.nanoTime();
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (CallbackSignature.verify(signingSecret, exchange.getRequestHeaders().getFirst(CallbackSignature.HEADER),
                        body, Instant.now(), CallbackSignature.DEFAULT_TOLERANCE) != CallbackSignature.Outcome.VALID) {
                    badSignatures.incrementAndGet();
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                CallbackNotification callback = ProtocolJson.read(body, CallbackNotification.class);
                if (callback.status() != null && callback.status().isTerminal()) {
                    arrival(callback.transactionId()).complete(arrived);
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    void signingSecret(String secret) {
        signingSecret = secret;
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** Completes with {@link System#nanoTime()} at the arrival of the transaction's final callback. */
    CompletableFuture<Long> arrival(UUID transactionId) {
        return arrivals.computeIfAbsent(transactionId, id -> new CompletableFuture<>());
    }

    void forget(UUID transactionId) {
        arrivals.remove(transactionId);
    }

    long badSignatures() {
        return badSignatures.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
