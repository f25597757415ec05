package dev.qrauth.portalclient;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A token server on a free loopback port that answers every request with the one answer a test
 * set, and remembers the last request. It can also hold its answer back, before the headers or
 * in the middle of the body, until it is closed.
 */
final class StubTokenServer implements AutoCloseable {

    /** What the stub received. */
    record Received(String method, String rawPath, Map<String, List<String>> headers, String body, String rawQuery) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private enum Stall { NONE, BEFORE_HEADERS, IN_BODY }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String body = "";
    private volatile Map<String, String> headers = Map.of();
    private volatile Stall stall = Stall.NONE;
    private volatile Received last;

    StubTokenServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            last = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestURI().getRawQuery());
            if (stall == Stall.BEFORE_HEADERS) {
                awaitRelease();
            }
            headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            boolean empty = bytes.length == 0 || status == 204;
            exchange.sendResponseHeaders(status, empty ? -1 : bytes.length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    if (stall == Stall.IN_BODY) {
                        out.write(bytes, 0, 1);
                        out.flush();
                        awaitRelease();
                    }
                    out.write(bytes, stall == Stall.IN_BODY ? 1 : 0, bytes.length - (stall == Stall.IN_BODY ? 1 : 0));
                }
            }
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    StubTokenServer answer(int status, String body) {
        this.status = status;
        this.body = body;
        return this;
    }

    StubTokenServer header(String name, String value) {
        this.headers = Map.of(name, value);
        return this;
    }

    /** Sends nothing at all until closed. */
    void stallBeforeHeaders() {
        stall = Stall.BEFORE_HEADERS;
    }

    /** Sends the headers and one byte of the body, then nothing until closed. */
    void stallInBody() {
        stall = Stall.IN_BODY;
    }

    Received last() {
        return last;
    }

    private void awaitRelease() {
        try {
            released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
