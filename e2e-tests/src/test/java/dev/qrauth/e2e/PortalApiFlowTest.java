package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.DirectoryStore;
import dev.qrauth.testkit.CallbackInbox;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A portal's whole conversation with the real token server, the phone played by the SDK:
 * initiate through the v4 API, receive the signed callback, read the result.
 */
class PortalApiFlowTest {

    static final Duration CALLBACK_WAIT = Duration.ofSeconds(10);

    static TokenServerProcess server;
    static CallbackInbox inbox;
    static String clientId;
    static String clientSecret;
    static String signingSecret;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        inbox = CallbackInbox.start();
        server = TokenServerProcess.start();
        CreatedClient client = server.admin().createClient(
                NewClient.of("api-flow", "API Flow Portal", List.of(inbox.uri())).withCallbackOnScan(true));
        clientId = client.clientId();
        clientSecret = client.clientSecret();
        signingSecret = client.callbackSigningSecret();
        server.admin().createType(MobileAuthTypeView.otp("login", 120).withDefaultMessage("Log in"));
        server.admin().createType(MobileAuthTypeView.otp("short", 10).withDefaultMessage("Log in"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (inbox != null) {
            inbox.close();
        }
    }

    private LoginSystem.Phone phone() {
        String userId = "user-" + UUID.randomUUID().toString().substring(0, 8);
        String activationCode = server.admin().createUser(userId).activationCode();
        UserClient client = UserClient.builder().serverUri(server.uri)
                .store(new DirectoryStore(home)).deviceName("api phone").build();
        UserProfile profile = client.registerUser(userId, activationCode, LoginSystem.PIN);
        client.authenticateUser(profile, LoginSystem.PIN);
        client.enrollForMobileAuth();
        return new LoginSystem.Phone(client, profile);
    }

    private static Map<String, Object> initiate(String type) {
        TokenServerProcess.Response started = server.call("POST", "/oauth/api/v4/authenticate/user", clientId, clientSecret,
                "application/x-www-form-urlencoded",
                "type=" + type + "&callback_uri=" + URLEncoder.encode(inbox.uri(), StandardCharsets.UTF_8));
        assertThat(started.status()).isEqualTo(200);
        return started.body();
    }

    private static Map<String, Object> result(Object transactionId) {
        return server.call("GET", "/oauth/api/v4/authenticate/transaction/" + transactionId, clientId, clientSecret,
                null, null).body();
    }

    /** The callback for the transaction and status arrived, signed with the client's secret. */
    private static void assertSignedCallback(Object transactionId, String status) {
        CallbackInbox.Delivery delivery = inbox.await(transactionId, status, CALLBACK_WAIT)
                .orElseThrow(() -> new AssertionError("no " + status + " callback for " + transactionId + ": " + server.log()));
        assertThat(CallbackSignature.verify(signingSecret, delivery.signature(), delivery.body(), Instant.now(),
                CallbackSignature.DEFAULT_TOLERANCE)).isEqualTo(CallbackSignature.Outcome.VALID);
        assertThat(delivery.text()).contains("\"callback_uri\":\"" + inbox.uri() + "\"");
    }

    @Test
    void aConfirmationIsCalledBackAndReadsAuthenticated() throws Exception {
        LoginSystem.Phone phone = phone();
        Map<String, Object> started = initiate("login");
        Object id = started.get("transaction_id");

        assertThat(Outcome.confirm(phone.client(), (String) started.get("otp"))).isEqualTo("CONFIRMED");

        assertSignedCallback(id, "SCANNED");
        assertSignedCallback(id, "CONFIRMED");
        assertThat(result(id)).containsEntry("is_authenticated", true).containsEntry("user_id", phone.userId())
                .containsEntry("status", "CONFIRMED").doesNotContainKey("not_authenticated_reason");
    }

    @Test
    void aDenialIsCalledBackAndReadsNotAccepted() throws Exception {
        LoginSystem.Phone phone = phone();
        Map<String, Object> started = initiate("login");
        Object id = started.get("transaction_id");

        assertThat(Outcome.handle(phone.client(), (String) started.get("otp"), (r, answer) -> answer.deny()))
                .isEqualTo("ACTION_CANCELLED");

        assertSignedCallback(id, "REJECTED");
        Map<String, Object> result = result(id);
        assertThat(result).containsEntry("is_authenticated", false).containsEntry("user_id", phone.userId());
        assertThat(result.get("not_authenticated_reason").toString()).contains("reason=not_accepted");
    }

    @Test
    void aFraudReportIsCalledBackAndReadsNotAcceptedWithTheFraudFlag() throws Exception {
        LoginSystem.Phone phone = phone();
        Map<String, Object> started = initiate("login");
        Object id = started.get("transaction_id");

        assertThat(Outcome.handle(phone.client(), (String) started.get("otp"), (r, answer) -> answer.denyAsFraud()))
                .isEqualTo("ACTION_CANCELLED");

        assertSignedCallback(id, "REJECTED");
        Map<String, Object> result = result(id);
        assertThat(result.get("not_authenticated_reason").toString()).contains("reason=not_accepted");
        assertThat(result).containsEntry("fraud_reported", true);
    }

    @Test
    void anExpiryIsCalledBackAndTheCodeIsThenRefused() throws Exception {
        LoginSystem.Phone phone = phone();
        Map<String, Object> started = initiate("short");
        Object id = started.get("transaction_id");

        // Ten seconds to live, then the sweep (about once a second) expires it and calls back.
        CallbackInbox.Delivery expired = inbox.await(id, "EXPIRED", Duration.ofSeconds(25))
                .orElseThrow(() -> new AssertionError("no EXPIRED callback: " + server.log()));
        assertThat(CallbackSignature.verify(signingSecret, expired.signature(), expired.body(), Instant.now(),
                CallbackSignature.DEFAULT_TOLERANCE)).isEqualTo(CallbackSignature.Outcome.VALID);
        assertThat(result(id)).containsEntry("status", "EXPIRED").containsEntry("is_authenticated", false);
        assertThat(Outcome.confirm(phone.client(), (String) started.get("otp"))).isEqualTo("NOT_FOUND");
    }

    @Test
    void aCancellationEndsTheTransactionWithoutACallback() throws Exception {
        LoginSystem.Phone phone = phone();
        Map<String, Object> started = initiate("login");
        Object id = started.get("transaction_id");

        assertThat(server.call("DELETE", "/oauth/api/v4/authenticate/transaction/" + id, clientId, clientSecret, null, null)
                .status()).isEqualTo(204);

        assertThat(result(id)).containsEntry("status", "CANCELLED").containsEntry("is_authenticated", false);
        assertThat(Outcome.confirm(phone.client(), (String) started.get("otp"))).isEqualTo("NOT_FOUND");
        assertThat(inbox.all(id)).isEmpty();
    }
}
