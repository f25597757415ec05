package dev.qrauth.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.sdk.FakeTokenServer;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A closed device API client lets go of the HTTP client it built, and of no other. */
class DeviceApiClientClosingTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    FakeTokenServer server;

    @BeforeEach
    void start() {
        server = new FakeTokenServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClosedClientBuildsNoNewHttpClient() {
        DeviceApiClient api = new DeviceApiClient(server.uri(), TIMEOUT, TIMEOUT);
        api.registerDevice("before");
        api.close();
        int sent = server.receivedRequests().size();
        assertThatThrownBy(() -> api.registerDevice("after")).isInstanceOf(IllegalStateException.class)
                .hasMessage("The client is closed");
        assertThat(server.receivedRequests()).hasSize(sent);
    }

    @Test
    void aGivenHttpClientIsTheCallersAndIsNeverClosed() {
        ClosableHttpClient given = new ClosableHttpClient(HttpClient.newHttpClient());
        DeviceApiClient api = new DeviceApiClient(server.uri(), given, TIMEOUT);
        api.registerDevice("first");
        api.close();
        assertThat(given.closed).isFalse();
        assertThat(new DeviceApiClient(server.uri(), given, TIMEOUT).registerDevice("second").deviceId()).isNotNull();
    }

    @Test
    void closingTwiceIsClosingOnce() {
        DeviceApiClient api = new DeviceApiClient(server.uri(), TIMEOUT, TIMEOUT);
        api.close();
        api.close();
        assertThatThrownBy(() -> api.registerDevice("after")).isInstanceOf(IllegalStateException.class);
    }

    /**
     * An HTTP client that can be closed, as the Java runtime's is from Java 21 on, and that says
     * whether it was; it sends with the client it wraps.
     */
    static final class ClosableHttpClient extends HttpClient implements AutoCloseable {
        private final HttpClient sending;
        volatile boolean closed;

        ClosableHttpClient(HttpClient sending) {
            this.sending = sending;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return sending.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return sending.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return sending.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return sending.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return sending.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return sending.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return sending.authenticator();
        }

        @Override
        public Version version() {
            return sending.version();
        }

        @Override
        public Optional<Executor> executor() {
            return sending.executor();
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            return sending.send(request, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return sending.sendAsync(request, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> pushes) {
            return sending.sendAsync(request, handler, pushes);
        }
    }
}
