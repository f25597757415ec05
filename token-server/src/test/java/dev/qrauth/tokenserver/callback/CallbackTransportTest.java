package dev.qrauth.tokenserver.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sender connects to the address it is given, and still speaks to the host the URI names:
 * {@code Host} header, TLS server name and certificate check. Every connection goes to loopback;
 * the names used have no DNS records, so a lookup behind the test's back could not reach anything.
 */
class CallbackTransportTest {

    /** What the receiver saw of one request. */
    private record Seen(String host, String serverName, String path) {
    }

    private static final String FIXTURE_PASSWORD = "test-fixture";

    private Vertx vertx;
    private CallbackTransport transport;
    private final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        transport = new CallbackTransport(vertx, Duration.ofSeconds(2), Duration.ofSeconds(5), 2,
                new PemTrustOptions().addCertPath("callback/receiver.crt"));
    }

    @AfterEach
    void stop() throws Exception {
        transport.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private int receiver(boolean tls) throws Exception {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
        if (tls) {
            options.setSsl(true).setSni(true).setKeyCertOptions(new PfxOptions()
                    .setPath("callback/receiver.p12").setPassword(FIXTURE_PASSWORD));
        }
        HttpServer server = vertx.createHttpServer(options).requestHandler(request -> {
            seen.add(new Seen(request.getHeader("Host"), request.connection().indicatedServerName(), request.uri()));
            request.response().setStatusCode(204).end();
        });
        return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @Test
    void aPlainRequestGoesToTheGivenAddressAndNamesTheUrisHost() throws Exception {
        int port = receiver(false);
        URI target = URI.create("http://portal.qrauth.invalid:" + port + "/callbacks/mobile-auth?tenant=7");

        int status = post(target, InetAddress.getLoopbackAddress(), Map.of("Content-Type", "application/json"));

        assertThat(status).isEqualTo(204);
        Seen request = seen.poll(10, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.host()).isEqualTo("portal.qrauth.invalid:" + port);
        assertThat(request.path()).isEqualTo("/callbacks/mobile-auth?tenant=7");
    }

    @Test
    void overTlsTheNameIsTheServerNameAndTheCertificateIsCheckedAgainstIt() throws Exception {
        int port = receiver(true);
        // The receiver's certificate names receiver.qrauth.invalid, a name without DNS records.
        URI target = URI.create("https://receiver.qrauth.invalid:" + port + "/callbacks/mobile-auth");

        int status = post(target, InetAddress.getByName("127.0.0.1"), Map.of());

        assertThat(status).isEqualTo(204);
        Seen request = seen.poll(10, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.serverName()).isEqualTo("receiver.qrauth.invalid");
        assertThat(request.host()).isEqualTo("receiver.qrauth.invalid:" + port);
    }

    @Test
    void overTlsACertificateForAnotherNameIsRefusedThoughTheAddressIsRight() throws Exception {
        int port = receiver(true);
        // Connecting to the receiver's address under a name its certificate does not carry must fail.
        URI target = URI.create("https://portal.qrauth.invalid:" + port + "/callbacks/mobile-auth");

        assertThatThrownBy(() -> post(target, InetAddress.getByName("127.0.0.1"), Map.of()))
                .isInstanceOf(ExecutionException.class)
                .satisfies(thrown -> assertThat(rootOrSsl(thrown)).isInstanceOf(SSLHandshakeException.class));
        assertThat(seen).isEmpty();
    }

    /** Sends {@code {}} and waits for the exchange's end: its status, or its failure as the cause. */
    private int post(URI target, InetAddress address, Map<String, String> headers) throws Exception {
        return transport.post(target, address, headers, "{}".getBytes()).toCompletionStage().toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
    }

    /** The TLS failure in a chain of causes (Netty may wrap it). */
    private static Throwable rootOrSsl(Throwable thrown) {
        Throwable cause = thrown;
        while (cause.getCause() != null && !(cause instanceof SSLHandshakeException)) {
            cause = cause.getCause();
        }
        return cause;
    }
}
