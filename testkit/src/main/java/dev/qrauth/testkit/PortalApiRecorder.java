package dev.qrauth.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A pass-through on a loopback port in front of the token server for the portal under test. It
 * forwards every request unchanged and remembers each transaction a portal starts, with its OTP
 * and the browser's number, so that a virtual phone can answer a login whose QR code the test
 * never sees.
 */
final class PortalApiRecorder implements AutoCloseable {

    static final String INITIATE_PATH = "/oauth/api/v4/authenticate/user";

    /** Headers that belong to one connection, or that the HTTP client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    /** A transaction a portal started through the recorder. */
    record Initiation(UUID transactionId, String otp, Integer bindingCode, Instant expiresAt) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final URI target;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Started and not yet taken by a phone, oldest first. Guarded by itself. */
    private final List<Initiation> untaken = new ArrayList<>();
    /** Every initiation seen, for the number a phone must pick. Guarded by {@link #untaken}. */
    private final Map<UUID, Initiation> seen = new java.util.HashMap<>();

    private PortalApiRecorder(HttpServer server, ExecutorService threads, URI target) {
        this.server = server;
        this.threads = threads;
        this.target = target;
    }

    static PortalApiRecorder start(URI target) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "qrauth-testkit-recorder");
                thread.setDaemon(true);
                return thread;
            });
            PortalApiRecorder recorder = new PortalApiRecorder(server, threads, target);
            server.createContext("/", recorder::forward);
            server.setExecutor(threads);
            server.start();
            return recorder;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on a loopback port", e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Takes the oldest started transaction that no phone took yet and that has not expired,
     * waiting for one until {@code timeout} has passed.
     */
    Optional<Initiation> takeNext(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        synchronized (untaken) {
            while (true) {
                Instant now = Instant.now();
                for (Iterator<Initiation> it = untaken.iterator(); it.hasNext(); ) {
                    Initiation initiation = it.next();
                    it.remove();
                    if (initiation.expiresAt().isAfter(now)) {
                        return Optional.of(initiation);
                    }
                }
                long waitMillis = Duration.between(now, deadline).toMillis();
                if (waitMillis <= 0) {
                    return Optional.empty();
                }
                try {
                    untaken.wait(waitMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    /** Marks the transaction as taken and returns what the portal was told about it, if it came through here. */
    Optional<Initiation> take(UUID transactionId) {
        synchronized (untaken) {
            untaken.removeIf(initiation -> initiation.transactionId().equals(transactionId));
            return Optional.ofNullable(seen.get(transactionId));
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String method = exchange.getRequestMethod();
            URI uri = target.resolve(exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            if ("POST".equals(method) && INITIATE_PATH.equals(exchange.getRequestURI().getPath())
                    && response.statusCode() / 100 == 2) {
                record(response.body());
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] responseBody = response.body();
            boolean noBody = responseBody.length == 0 || "HEAD".equals(method);
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : responseBody.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(responseBody);
                }
            }
        }
    }

    private void record(byte[] json) {
        AuthenticationStarted started;
        try {
            started = ProtocolJson.read(json, AuthenticationStarted.class);
        } catch (ProtocolFormatException e) {
            return; // not an OTP initiation; the portal gets the answer as it is
        }
        if (started.otp() == null || started.transactionId() == null || started.expiresAt() == null) {
            return;
        }
        Initiation initiation = new Initiation(started.transactionId(), started.otp(), started.bindingCode(),
                started.expiresAt());
        synchronized (untaken) {
            seen.put(initiation.transactionId(), initiation);
            untaken.add(initiation);
            untaken.notifyAll();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
