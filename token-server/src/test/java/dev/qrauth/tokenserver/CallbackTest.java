package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.testkit.CallbackInbox;
import dev.qrauth.testkit.ServerProcess;
import dev.qrauth.tokenserver.callback.CallbackResolver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Callbacks to a real receiver on loopback: content, signature, retries, expiry. */
@QuarkusTest
class CallbackTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aConfirmationIsCalledBackSignedAndWithBasicCredentials() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            TestPortal portal = TestPortal.create(List.of(receiver.uri()), "portal", "cb-password", false);
            String transactionId = confirmFlow(portal, receiver.uri());

            CallbackInbox.Delivery callback = receiver.await(transactionId, "CONFIRMED", WAIT).orElseThrow();
            assertThat(callback.text()).isEqualTo("{\"callback_uri\":\"" + receiver.uri() + "\",\"transaction_id\":\""
                    + transactionId + "\",\"status\":\"CONFIRMED\"}");
            assertThat(callback.headers().get("content-type")).startsWith("application/json");
            assertThat(callback.headers().get("authorization")).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("portal:cb-password".getBytes(StandardCharsets.UTF_8)));
            byte[] body = callback.body();
            String signature = callback.headers().get("x-signature");
            assertThat(CallbackSignature.verify(portal.client.signingSecret(), signature, body, Instant.now(),
                    CallbackSignature.DEFAULT_TOLERANCE)).isEqualTo(CallbackSignature.Outcome.VALID);
            assertThat(CallbackSignature.verify("not-the-secret", signature, body, Instant.now(),
                    CallbackSignature.DEFAULT_TOLERANCE)).isEqualTo(CallbackSignature.Outcome.MISMATCH);
            assertThat(outboxStatuses(transactionId)).containsExactly("CONFIRMED");
        }
    }

    @Test
    void aFailedAttemptIsRetriedUntilItSucceeds() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            receiver.answerNext(500);
            TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
            String transactionId = confirmFlow(portal, receiver.uri());
            assertThat(receiver.await(transactionId, "CONFIRMED", WAIT)).isPresent();
            assertThat(receiver.refused()).extracting(CallbackInbox.Refused::status).containsExactly(500);
            List<String> attempts = awaitAttempts(transactionId, 2);
            assertThat(attempts).containsExactly("500", "ok");
        }
    }

    @Test
    void callbacksWaitForAReceiverThatIsDown() throws Exception {
        int port = ServerProcess.freePort();
        String uri = CallbackInbox.uriOn(port);
        TestPortal portal = TestPortal.create(List.of(uri), null, null, false);
        String transactionId = confirmFlow(portal, uri);
        assertThat(awaitAttempts(transactionId, 1).get(0)).isEqualTo("connection refused or unreachable");
        try (CallbackInbox receiver = CallbackInbox.startOn(port)) {
            assertThat(receiver.await(transactionId, "CONFIRMED", WAIT)).isPresent();
            // Kept open until the server has read the answer and recorded the delivery.
            assertThat(awaitDelivered(transactionId)).as(() -> describe(transactionId)).isTrue();
        }
    }

    private String describe(String transactionId) {
        StringBuilder out = new StringBuilder();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT o.attempts, o.next_attempt_at, o.delivered_at, "
                     + "o.abandoned_at, o.last_error, (SELECT string_agg(coalesce(a.http_status::text, a.error), ',' ORDER BY a.id) "
                     + "FROM callback_attempt a WHERE a.outbox_id = o.id) FROM callback_outbox o WHERE o.transaction_id = ?")) {
            query.setObject(1, UUID.fromString(transactionId));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    for (int i = 1; i <= 6; i++) {
                        out.append(rows.getString(i)).append(" | ");
                    }
                }
            }
        } catch (Exception e) {
            out.append(e);
        }
        return out.toString();
    }

    @Test
    void aClientThatOptedInHearsAboutTheScanToo() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, true);
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate(portal.loginType, receiver.uri());
            String transactionId = started.path("transaction_id");
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            assertThat(receiver.await(transactionId, "SCANNED", WAIT)).isPresent();
            phone.answerRaw(MobileAuthAnswer.deny(message, null)).then().statusCode(200);
            assertThat(receiver.await(transactionId, "REJECTED", WAIT)).isPresent();
        }
    }

    @Test
    void anExpiredTransactionIsCalledBack() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
            String transactionId = portal.initiate(portal.loginType, receiver.uri()).path("transaction_id");
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement update = connection.prepareStatement("UPDATE mobile_auth_transaction "
                         + "SET expires_at = now() - interval '1 second' WHERE transaction_id = ?")) {
                update.setObject(1, UUID.fromString(transactionId));
                update.executeUpdate();
            }
            assertThat(receiver.await(transactionId, "EXPIRED", WAIT)).isPresent();
            assertThat(outboxStatuses(transactionId)).containsExactly("EXPIRED");
            // A delivery is counted once its outcome is recorded, in a batch after the receiver had it.
            assertThat(awaitMetrics("qrauth_callbacks_delivered_total\\{status=\"expired\"} [1-9]"))
                    .contains("qrauth_transactions_total{outcome=\"expired\"}")
                    .containsPattern("(?m)^qrauth_callback_answer_to_delivered_seconds_count [1-9]");
        }
    }

    @Test
    void withoutAnAllowListLoopbackReceiversAreRefused() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            TestPortal portal = TestPortal.create(List.of(), null, null, false);
            String transactionId = confirmFlow(portal, receiver.uri());
            assertThat(awaitAttempts(transactionId, 1).get(0)).startsWith("callback address refused");
            assertThat(abandoned(transactionId)).isTrue();
        }
    }

    @Test
    void aReceiverThatStallsIsCutOffAndRetried() throws Exception {
        try (java.net.ServerSocket stalling = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<java.net.Socket> open = new ArrayList<>();
                try {
                    while (!stalling.isClosed()) {
                        java.net.Socket socket = stalling.accept();
                        open.add(socket);
                        // It reads the request's head as a receiver does, then answers with
                        // headers promising a body that never comes. (Answering before the
                        // request arrived is a broken peer, not a slow one.)
                        java.io.InputStream in = socket.getInputStream();
                        for (int matched = 0, b; matched < 4 && (b = in.read()) != -1; ) {
                            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
                        }
                        socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String uri = CallbackInbox.uriOn(stalling.getLocalPort());
            TestPortal portal = TestPortal.create(List.of(uri), null, null, false);
            String transactionId = confirmFlow(portal, uri);
            assertThat(awaitAttempts(transactionId, 1).get(0)).isEqualTo("timed out");
        }
    }

    @Test
    void aNameIsCalledAtTheAddressItResolvesToAndNamedInTheHostHeader() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            String uri = receiver.uri().replace("127.0.0.1", "localhost");
            TestPortal portal = TestPortal.create(List.of(uri), null, null, false);
            String transactionId = confirmFlow(portal, uri);
            CallbackInbox.Delivery callback = receiver.await(transactionId, "CONFIRMED", WAIT).orElseThrow();
            assertThat(callback.headers().get("host")).isEqualTo(URI.create(uri).getRawAuthority());
        }
    }

    @Test
    void theConnectionGoesToTheAddressResolvedOnceNotToASecondLookup() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            // A name with no DNS records: only the answer the sender got from its resolver leads anywhere.
            String name = "receiver.qrauth.invalid";
            CountingResolver resolver = CountingResolver.answering(name, InetAddress.getLoopbackAddress());
            QuarkusMock.installMockForType(resolver, CallbackResolver.class);
            String uri = receiver.uri().replace("127.0.0.1", name);
            TestPortal portal = TestPortal.create(List.of(uri), null, null, false);
            String transactionId = confirmFlow(portal, uri);
            CallbackInbox.Delivery callback = receiver.await(transactionId, "CONFIRMED", WAIT).orElseThrow();
            assertThat(callback.headers().get("host")).isEqualTo(name + ":" + URI.create(uri).getPort());
            assertThat(awaitAttempts(transactionId, 1)).containsExactly("ok");
            assertThat(resolver.lookups(name)).isEqualTo(1);
        }
    }

    @Test
    void aNameThatResolvesToARefusedAddressIsNeverConnectedTo() throws Exception {
        try (CallbackInbox receiver = CallbackInbox.start()) {
            String name = "rebinding.qrauth.invalid";
            CountingResolver resolver = CountingResolver.answering(name, InetAddress.getLoopbackAddress());
            QuarkusMock.installMockForType(resolver, CallbackResolver.class);
            String uri = receiver.uri().replace("127.0.0.1", name);
            TestPortal portal = TestPortal.create(List.of(), null, null, false);
            String transactionId = confirmFlow(portal, uri);
            assertThat(awaitAttempts(transactionId, 1).get(0)).startsWith("callback address refused: 127.0.0.1 is loopback")
                    .contains("127.0.0.0/8");
            assertThat(abandoned(transactionId)).isTrue();
            assertThat(resolver.lookups(name)).isEqualTo(1);
            assertThat(receiver.all()).as("requests that reached the receiver").isEmpty();
        }
    }

    @Test
    void aHostThatDoesNotResolveIsRetriedNotAbandoned() throws Exception {
        String name = "gone.qrauth.invalid";
        CountingResolver resolver = CountingResolver.unknown(name);
        QuarkusMock.installMockForType(resolver, CallbackResolver.class);
        String uri = CallbackInbox.uriOn(ServerProcess.freePort()).replace("127.0.0.1", name);
        TestPortal portal = TestPortal.create(List.of(uri), null, null, false);
        String transactionId = confirmFlow(portal, uri);
        assertThat(awaitAttempts(transactionId, 1).get(0)).isEqualTo("the callback host does not resolve");
        assertThat(abandoned(transactionId)).as(() -> describe(transactionId)).isFalse();
        assertThat(awaitDelivered(transactionId, Duration.ZERO)).isFalse();
    }

    /** Answers one name with a fixed address and counts the lookups; other names as the system does. */
    static final class CountingResolver extends CallbackResolver {

        private final String name;
        private final InetAddress address;
        private final AtomicInteger lookups = new AtomicInteger();

        private CountingResolver(String name, InetAddress address) {
            this.name = name;
            this.address = address;
        }

        static CountingResolver answering(String name, InetAddress address) {
            return new CountingResolver(name, address);
        }

        /** A resolver to which {@code name} is unknown, without asking any name server. */
        static CountingResolver unknown(String name) {
            return new CountingResolver(name, null);
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            if (host.equals(name)) {
                lookups.incrementAndGet();
                if (address == null) {
                    throw new UnknownHostException(host);
                }
                return List.of(address);
            }
            return super.resolve(host);
        }

        int lookups(String host) {
            return host.equals(name) ? lookups.get() : 0;
        }
    }

    private boolean abandoned(String transactionId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT abandoned_at IS NOT NULL AND delivered_at IS NULL FROM callback_outbox WHERE transaction_id = ?")) {
            query.setObject(1, UUID.fromString(transactionId));
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private String confirmFlow(TestPortal portal, String callbackUri) {
        TestDevice phone = TestDevice.enrolled();
        Response started = portal.initiate(portal.loginType, callbackUri);
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200);
        return started.path("transaction_id");
    }

    private List<String> outboxStatuses(String transactionId) throws Exception {
        List<String> statuses = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT status FROM callback_outbox WHERE transaction_id = ? ORDER BY id")) {
            query.setObject(1, UUID.fromString(transactionId));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    statuses.add(rows.getString(1));
                }
            }
        }
        return statuses;
    }

    /** The recorded attempts ("ok", an HTTP status, or the error), once there are {@code count}. */
    private List<String> awaitAttempts(String transactionId, int count) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        List<String> attempts = List.of();
        while (Instant.now().isBefore(deadline)) {
            attempts = new ArrayList<>();
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement query = connection.prepareStatement("SELECT a.http_status, a.error FROM callback_attempt a "
                         + "JOIN callback_outbox o ON o.id = a.outbox_id WHERE o.transaction_id = ? ORDER BY a.id")) {
                query.setObject(1, UUID.fromString(transactionId));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        String error = rows.getString(2);
                        Object status = rows.getObject(1);
                        attempts.add(error == null ? "ok" : status != null ? String.valueOf(status) : error);
                    }
                }
            }
            if (attempts.size() >= count) {
                return attempts;
            }
        }
        throw new AssertionError("only " + attempts + " within " + WAIT);
    }

    /** The metrics, once they match {@code pattern} (within {@link #WAIT}). */
    private static String awaitMetrics(String pattern) {
        java.util.regex.Pattern wanted = java.util.regex.Pattern.compile(pattern);
        return org.awaitility.Awaitility.await("metrics matching " + pattern).atMost(WAIT)
                .until(TestApi::metrics, metrics -> wanted.matcher(metrics).find());
    }

    private boolean awaitDelivered(String transactionId) throws Exception {
        return awaitDelivered(transactionId, WAIT);
    }

    /** Whether the row is delivered within {@code wait}; with zero, whether it is now. */
    private boolean awaitDelivered(String transactionId, Duration wait) throws Exception {
        Instant deadline = Instant.now().plus(wait);
        do {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement query = connection.prepareStatement(
                         "SELECT count(*) FROM callback_outbox WHERE transaction_id = ? AND delivered_at IS NOT NULL")) {
                query.setObject(1, UUID.fromString(transactionId));
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) == 1) {
                        return true;
                    }
                }
            }
        } while (Instant.now().isBefore(deadline));
        return false;
    }
}
