package dev.qrauth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.callback.CallbackSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallbackInboxTest {

    private static final String SECRET = "the-signing-secret";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void recordsEachCallbackAndTellsWhenATransactionsFinalOneArrived() throws Exception {
        UUID id = UUID.randomUUID();
        try (CallbackInbox inbox = CallbackInbox.start()) {
            assertThat(post(inbox, callback(id, "SCANNED"), null)).isEqualTo(204);
            assertThat(inbox.arrival(id)).isNotDone();
            assertThat(post(inbox, callback(id, "CONFIRMED"), "Basic dXNlcjpwYXNz")).isEqualTo(204);

            assertThat(inbox.arrival(id)).isDone();
            assertThat(inbox.await(id, "CONFIRMED", Duration.ofSeconds(10))).get()
                    .satisfies(d -> assertThat(d.authorization()).isEqualTo("Basic dXNlcjpwYXNz"));
            assertThat(inbox.all(id)).extracting(d -> d.notification().status().name()).containsExactly("SCANNED", "CONFIRMED");
            assertThat(inbox.all(UUID.randomUUID())).isEmpty();
            assertThat(inbox.await(id, "REJECTED", Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    void whenVerifyingABadSignatureIsRefusedAndCountedNotRecorded() throws Exception {
        UUID id = UUID.randomUUID();
        try (CallbackInbox inbox = CallbackInbox.start().verifying(SECRET)) {
            byte[] body = callback(id, "CONFIRMED");
            assertThat(post(inbox, body, null, CallbackSignature.sign("another-secret", Instant.now(), body))).isEqualTo(401);
            assertThat(inbox.badSignatures()).isEqualTo(1);
            assertThat(inbox.all()).isEmpty();

            assertThat(post(inbox, body, null, CallbackSignature.sign(SECRET, Instant.now(), body))).isEqualTo(204);
            assertThat(inbox.all(id)).hasSize(1);
        }
    }

    @Test
    void whileRefusingEveryCallbackIsAnswered503AndKeptApart() throws Exception {
        UUID id = UUID.randomUUID();
        try (CallbackInbox inbox = CallbackInbox.start()) {
            inbox.refuse(true);
            assertThat(post(inbox, callback(id, "CONFIRMED"), null)).isEqualTo(503);
            assertThat(inbox.refused()).singleElement().satisfies(r -> assertThat(r.text()).contains(id.toString()));
            assertThat(inbox.all()).isEmpty();

            inbox.refuse(false);
            assertThat(post(inbox, callback(id, "CONFIRMED"), null)).isEqualTo(204);
            assertThat(inbox.all()).hasSize(1);
        }
    }

    @Test
    void plannedStatusesAnswerTheNextCallbacksInOrderThenTheyAreAccepted() throws Exception {
        UUID id = UUID.randomUUID();
        try (CallbackInbox inbox = CallbackInbox.start()) {
            inbox.answerNext(500, 429);
            assertThat(post(inbox, callback(id, "CONFIRMED"), null)).isEqualTo(500);
            assertThat(post(inbox, callback(id, "CONFIRMED"), null)).isEqualTo(429);
            assertThat(post(inbox, callback(id, "CONFIRMED"), null)).isEqualTo(204);

            assertThat(inbox.refused()).extracting(CallbackInbox.Refused::status).containsExactly(500, 429);
            assertThat(inbox.all(id)).singleElement()
                    .satisfies(d -> assertThat(d.header("Content-Type")).isEqualTo("application/json"));
        }
    }

    @Test
    void anInboxStartedLaterOnAFreePortReceivesAtTheUriGivenBefore() throws Exception {
        int port = ServerProcess.freePort();
        String uri = CallbackInbox.uriOn(port);
        try (CallbackInbox inbox = CallbackInbox.startOn(port)) {
            assertThat(inbox.uri()).isEqualTo(uri);
            assertThat(post(inbox, callback(UUID.randomUUID(), "EXPIRED"), null)).isEqualTo(204);
            assertThat(inbox.all()).hasSize(1);
        }
    }

    private static byte[] callback(UUID id, String status) {
        return ("{\"transaction_id\":\"" + id + "\",\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private int post(CallbackInbox inbox, byte[] body, String authorization) throws Exception {
        return post(inbox, body, authorization, CallbackSignature.sign(SECRET, Instant.now(), body));
    }

    private int post(CallbackInbox inbox, byte[] body, String authorization, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(inbox.uri()))
                .header("Content-Type", "application/json").header(CallbackSignature.HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
