package dev.qrauth.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** A portal's callback endpoint reduced to a recorder, on a free loopback port. */
final class CallbackInbox implements AutoCloseable {

    static final String PATH = "/callbacks/mobile-auth";

    /** One callback as it arrived: the raw body and the signature header. */
    record Delivery(byte[] body, String signature, String authorization) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A callback that arrived while the inbox was refusing them. */
    record Refused(byte[] body, java.time.Instant at) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<Refused> refused = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    CallbackInbox() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(PATH, exchange -> {
            try (exchange) {
                if (refusing) {
                    refused.add(new Refused(exchange.getRequestBody().readAllBytes(), java.time.Instant.now()));
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                deliveries.add(new Delivery(exchange.getRequestBody().readAllBytes(),
                        exchange.getRequestHeaders().getFirst("X-Signature"),
                        exchange.getRequestHeaders().getFirst("Authorization")));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** The first callback for {@code transactionId} reporting {@code status}, waiting up to {@code timeout}. */
    Optional<Delivery> await(Object transactionId, String status, Duration timeout) {
        String wantedId = "\"transaction_id\":\"" + transactionId + "\"";
        String wantedStatus = "\"status\":\"" + status + "\"";
        java.util.function.Supplier<Optional<Delivery>> found = () -> deliveries.stream()
                .filter(d -> d.text().contains(wantedId) && d.text().contains(wantedStatus)).findFirst();
        try {
            return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(found::get, Optional::isPresent);
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
    }

    /** While refusing, every callback is answered {@code 503}, as by a portal that is down, and kept apart. */
    void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** The callbacks refused so far. */
    List<Refused> refused() {
        return List.copyOf(refused);
    }

    /** Every callback accepted so far. */
    List<Delivery> all() {
        return List.copyOf(deliveries);
    }

    /** Every callback for {@code transactionId} so far. */
    List<Delivery> all(Object transactionId) {
        String wantedId = "\"transaction_id\":\"" + transactionId + "\"";
        return deliveries.stream().filter(d -> d.text().contains(wantedId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
