package dev.qrauth.tokenserver.callback;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one callback request over a connection to one given address, the address that was
 * checked, never to whatever the callback's host name resolves to by the time of connecting. The
 * request still names the host: the {@code Host} header carries the URI's authority and, over
 * {@code https}, the host name is the TLS server name (SNI) and the name the certificate is
 * verified against. The JDK's HttpClient resolves names itself, so Vert.x's client does this.
 *
 * <p>HTTP/1.1 only, redirects never followed, the answer's body read and dropped. Nothing blocks
 * a thread while an exchange runs: the caller gets a future.
 */
final class CallbackTransport implements AutoCloseable {

    private final Vertx vertx;
    private final HttpClient http;
    private final long connectTimeoutMs;
    private final long readTimeoutMs;
    private final long attemptLimitMs;

    /**
     * @param connections how many requests may be open at once to one receiver (the node's bound on
     *                    callbacks in flight), so that no request waits for another's connection
     * @param trust       the certificates trusted over {@code https}; {@code null} for the JVM's
     */
    CallbackTransport(Vertx vertx, Duration connectTimeout, Duration readTimeout, int connections, TrustOptions trust) {
        this.vertx = vertx;
        this.connectTimeoutMs = connectTimeout.toMillis();
        this.readTimeoutMs = readTimeout.toMillis();
        this.attemptLimitMs = connectTimeout.plus(readTimeout).toMillis();
        HttpClientOptions options = new HttpClientOptions()
                .setName("callback-delivery")
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setConnectTimeout((int) connectTimeoutMs)
                .setSslHandshakeTimeout(connectTimeoutMs)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setVerifyHost(true)
                .setTrustAll(false)
                // One connection per attempt, to the address checked for that attempt. A pooled
                // connection may have been closed by the receiver just as a callback is written to
                // it, which fails an attempt that would have succeeded.
                .setKeepAlive(false);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections));
    }

    /**
     * POSTs {@code body} to {@code target} over a connection to {@code address}. The future ends
     * with the HTTP status once the answer has been read, or fails with the cause of a failed
     * exchange (connection, TLS); the whole exchange, body included, is bounded by the connect and
     * read timeouts, past which it fails with a {@link TimeoutException} and its connection is
     * closed. Nothing blocks: this may be called from any thread, an event loop included.
     */
    Future<Integer> post(URI target, InetAddress address, Map<String, String> headers, byte[] body) {
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        int port = target.getPort() != -1 ? target.getPort() : https ? 443 : 80;
        String host = target.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        // The overall limit below (connect + read) decides when an attempt has timed out; the idle
        // timeout, set past it, only frees a connection nobody waits for any more. (An idle
        // timeout that fired first surfaced as a bare VertxException instead of "timed out".)
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(withoutName(address), port)))
                .setHost(host)
                .setPort(port)
                .setSsl(https)
                .setURI(target.getRawQuery() == null ? path : path + "?" + target.getRawQuery())
                .setFollowRedirects(false)
                .setConnectTimeout(connectTimeoutMs)
                .setIdleTimeout(attemptLimitMs + 1000)
                .putHeader(HttpHeaders.HOST, target.getRawAuthority());
        headers.forEach(request::putHeader);
        Promise<Integer> result = Promise.promise();
        AtomicReference<HttpClientRequest> opened = new AtomicReference<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        long limit = vertx.setTimer(attemptLimitMs, fired -> {
            if (result.tryFail(new TimeoutException("no answer within " + attemptLimitMs + " ms"))) {
                // Cut off by the overall limit: close its connection, which no other callback may
                // reuse, or make sure a connection still being opened carries nothing.
                abandoned.set(true);
                HttpClientRequest sending = opened.get();
                if (sending != null) {
                    sending.reset();
                }
            }
        });
        http.request(request)
                .compose(sending -> {
                    opened.set(sending);
                    if (abandoned.get()) {
                        // The connection came after the attempt had been given up: send nothing.
                        sending.reset();
                        return Future.failedFuture(new TimeoutException("connected after the attempt was given up"));
                    }
                    return sending.send(Buffer.buffer(body));
                })
                .compose(response -> {
                    // A failure while the body is read reaches end()'s future all the same; without
                    // a handler Vert.x would also log it as an error.
                    response.exceptionHandler(ignored -> { });
                    return response.end().map(ended -> response.statusCode());
                })
                .onComplete(exchange -> {
                    vertx.cancelTimer(limit);
                    if (exchange.succeeded()) {
                        result.tryComplete(exchange.result());
                    } else {
                        result.tryFail(exchange.cause());
                    }
                });
        return result.future();
    }

    /**
     * The same address without the name it was resolved from: only the address is used to connect;
     * the name travels in {@code Host}, SNI and the certificate check.
     */
    private static InetAddress withoutName(InetAddress address) {
        try {
            if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                return Inet6Address.getByAddress(null, v6.getAddress(), v6.getScopeId());
            }
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address of " + address.getAddress().length + " bytes", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
