package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.testkit.CallbackInbox;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A receiver that never answers holds only its own client's share of the node's callbacks in
 * flight: another client's callbacks go out at once meanwhile ({@code docs/PROTOCOL.md},
 * "Callbacks", "Delivery").
 */
@QuarkusTest
class CallbackIsolationTest {

    /** Well under an attempt's limit (connect 2 s + read 5 s): the stalled attempts are still open. */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "tokenserver.callback.max-in-flight")
    int maxInFlight;

    @ConfigProperty(name = "tokenserver.callback.max-in-flight-per-client")
    int perClient;

    @Test
    void aStalledReceiverDoesNotDelayAnotherClientsCallbacks() throws Exception {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        CountDownLatch shareTaken = new CountDownLatch(perClient);
        Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
        HttpServer stalled = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> {
                    // Reads the request and never answers, as a hung portal does.
                    mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    shareTaken.countDown();
                    connections.add(request.connection());
                    request.connection().closeHandler(closed -> open.decrementAndGet());
                });
        stalled.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String stalledUri = CallbackInbox.uriOn(stalled.actualPort());
        TestPortal hung = TestPortal.create(List.of(stalledUri), null, null, false);
        // More callbacks than the whole node may have in flight: without a share per client, they
        // alone would fill it.
        UUID backlog = insertDue(hung.client.clientId(), stalledUri, 2 * maxInFlight);
        try (CallbackInbox receiver = CallbackInbox.start()) {
            assertThat(shareTaken.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the stalled receiver holds its client's share").isTrue();

            TestPortal healthy = TestPortal.create(List.of(receiver.uri()), null, null, false);
            String transactionId = confirmFlow(healthy, receiver.uri());

            assertThat(receiver.await(transactionId, "CONFIRMED", PROMPTLY)).isPresent();
            assertThat(open.get()).as("the stalled attempts are still waiting").isGreaterThanOrEqualTo(perClient);
            assertThat(mostOpen.get()).as("never more than one client's share at the stalled receiver")
                    .isEqualTo(perClient);
        } finally {
            stopBacklog(backlog);
            connections.forEach(HttpConnection::close);
            stalled.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Writes {@code count} due callbacks for one transaction id, as a burst of answers would. */
    private UUID insertDue(String clientId, String uri, int count) throws Exception {
        UUID transactionId = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO callback_outbox "
                     + "(transaction_id, client_id, callback_uri, status, created_at, next_attempt_at) "
                     + "SELECT ?, ?, ?, 'CONFIRMED', now(), now() FROM generate_series(1, ?)")) {
            insert.setObject(1, transactionId);
            insert.setString(2, clientId);
            insert.setString(3, uri);
            insert.setInt(4, count);
            insert.executeUpdate();
        }
        return transactionId;
    }

    /** Ends the backlog's delivery, so that the tests after this one find no stalled callbacks. */
    private void stopBacklog(UUID transactionId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE callback_outbox SET delivered_at = now() WHERE transaction_id = ?")) {
            update.setObject(1, transactionId);
            update.executeUpdate();
        }
    }

    private static String confirmFlow(TestPortal portal, String callbackUri) {
        TestDevice phone = TestDevice.enrolled();
        Response started = portal.initiate(portal.loginType, callbackUri);
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200);
        return started.path("transaction_id");
    }
}
