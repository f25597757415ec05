package dev.qrauth.adminclient;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A token server on a free loopback port that gives the answers a test queued, one a request in
 * order, and keeps what it received. An answer may be held back until the fake is closed.
 */
final class FakeAdminApi implements AutoCloseable {

    /** A request as it arrived. */
    record Request(String method, String rawPathAndQuery, String authorization, String contentType, String body) {
    }

    private record Answer(int status, String body, Map<String, String> headers, boolean stall) {
    }

    private final HttpServer server;
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    FakeAdminApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized FakeAdminApi answer(int status, String body) {
        answers.add(new Answer(status, body, Map.of(), false));
        return this;
    }

    synchronized FakeAdminApi answer(int status, String body, Map<String, String> headers) {
        answers.add(new Answer(status, body, headers, false));
        return this;
    }

    /** The next request gets no answer until the fake is closed. */
    synchronized FakeAdminApi stall() {
        answers.add(new Answer(200, "", Map.of(), true));
        return this;
    }

    List<Request> received() {
        return received;
    }

    Request last() {
        return received.get(received.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        received.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        Answer answer;
        synchronized (this) {
            answer = answers.isEmpty() ? new Answer(500, "no answer queued", Map.of(), false) : answers.poll();
        }
        if (answer.stall()) {
            try {
                closed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
