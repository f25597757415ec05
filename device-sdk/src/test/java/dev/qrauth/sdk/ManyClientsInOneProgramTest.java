package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.sdk.storage.InMemoryStore;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several {@link UserClient}s in one program, as a load test's virtual phones run: one shared
 * HTTP client for all of them, and clients that see each other's changes to a shared store.
 */
class ManyClientsInOneProgramTest {

    private static final String PIN = "24680";

    private final FakeTokenServer server = new FakeTokenServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void clientsGivenOneHttpClientSendEveryRequestThroughIt() throws Exception {
        CountingHttpClient shared = new CountingHttpClient(HttpClient.newHttpClient());
        List<UserClient> phones = List.of(
                UserClient.builder().serverUri(server.uri()).store(new InMemoryStore()).httpClient(shared).build(),
                UserClient.builder().serverUri(server.uri()).store(new InMemoryStore()).httpClient(shared).build());
        int user = 0;
        for (UserClient phone : phones) {
            UserProfile profile = phone.registerUser("user-" + user++, "K7QZ2-M4XPA-9RTWC-HD3NB", PIN);
            phone.authenticateUser(profile, PIN);
            phone.enrollForMobileAuth();
            RecordingDelegate delegate = RecordingDelegate.confirming();
            phone.handleOtpMobileAuthRequest(server.newOtp(null), delegate);
            assertThat(delegate.awaitTerminal(Duration.ofSeconds(10)).methods()).containsExactly("challenge", "handled");
        }

        // register device, register user, log in, enroll, fetch, answer: six each
        assertThat(server.receivedRequests()).hasSize(12);
        assertThat(shared.sent.get()).isEqualTo(12);
    }

    @Test
    void anHttpClientThatFollowsRedirectsIsRefused() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThatThrownBy(() -> UserClient.builder().httpClient(following))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redirects");
    }

    @Test
    void aConnectTimeoutBesideAGivenHttpClientIsRefused() {
        UserClient.Builder builder = UserClient.builder().serverUri(server.uri()).store(new InMemoryStore())
                .connectTimeout(Duration.ofSeconds(1)).httpClient(HttpClient.newHttpClient());
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("connectTimeout");
    }

    @Test
    void aClientOnTheSameStoreAnswersWithTheKeyOfTheLatestEnrollment() throws Exception {
        InMemoryStore store = new InMemoryStore();
        UserClient enrolling = UserClient.builder().serverUri(server.uri()).store(store).build();
        UserProfile alice = enrolling.registerUser("alice", "K7QZ2-M4XPA-9RTWC-HD3NB", PIN);
        enrolling.authenticateUser(alice, PIN);
        enrolling.enrollForMobileAuth();
        UserClient answering = UserClient.builder().serverUri(server.uri()).store(store).build();
        assertThat(handle(answering).methods()).containsExactly("challenge", "handled");

        // A new key replaces the old one in the store and on the server; the other client must
        // not go on with the key it read before.
        enrolling.enrollForMobileAuth();

        assertThat(handle(answering).methods()).containsExactly("challenge", "handled");
        assertThat(server.answers).hasSize(2);
    }

    private RecordingDelegate handle(UserClient client) throws InterruptedException {
        RecordingDelegate delegate = RecordingDelegate.confirming();
        client.handleOtpMobileAuthRequest(server.newOtp(null), delegate);
        return delegate.awaitTerminal(Duration.ofSeconds(10));
    }

    /** Sends through another client and counts what it sent. */
    private static final class CountingHttpClient extends HttpClient {
        final AtomicInteger sent = new AtomicInteger();
        private final HttpClient delegate;

        CountingHttpClient(HttpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            sent.incrementAndGet();
            return delegate.send(request, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            sent.incrementAndGet();
            return delegate.sendAsync(request, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> push) {
            sent.incrementAndGet();
            return delegate.sendAsync(request, handler, push);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return delegate.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return delegate.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return delegate.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return delegate.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return delegate.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return delegate.authenticator();
        }

        @Override
        public Version version() {
            return delegate.version();
        }

        @Override
        public Optional<Executor> executor() {
            return delegate.executor();
        }
    }
}
