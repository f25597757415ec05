package dev.qrauth.tokenserver;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A portal's callback endpoint on loopback: records what arrives, answers as told. */
public final class CallbackReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String body, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> plannedStatuses = new ConcurrentLinkedQueue<>();

    private CallbackReceiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            received.add(new Received(body, headers));
            Integer status = plannedStatuses.poll();
            exchange.sendResponseHeaders(status == null ? 204 : status, -1);
            exchange.close();
        });
        server.start();
    }

    public static CallbackReceiver start() {
        return new CallbackReceiver(0);
    }

    public static CallbackReceiver startOn(int port) {
        return new CallbackReceiver(port);
    }

    /** A loopback port nothing listens on (right now). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String uri() {
        return uriOn(server.getAddress().getPort());
    }

    public static String uriOn(int port) {
        return "http://127.0.0.1:" + port + "/callbacks/mobile-auth";
    }

    /** The next answers, in order; after them, 204. */
    public void answerNext(int... statuses) {
        for (int status : statuses) {
            plannedStatuses.add(status);
        }
    }

    /** The next request whose body contains {@code text}, waiting up to {@code timeout}. */
    public Received await(String text, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Received next = received.poll(100, TimeUnit.MILLISECONDS);
            if (next != null && next.body().contains(text)) {
                return next;
            }
        }
        throw new AssertionError("no callback containing " + text + " within " + timeout);
    }

    /** How many requests arrived and were not taken by {@link #await}. */
    public int unclaimed() {
        return received.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
