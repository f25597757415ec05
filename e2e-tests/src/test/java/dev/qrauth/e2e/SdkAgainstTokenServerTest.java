package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.sdk.MobileAuthConfirmation;
import dev.qrauth.sdk.SdkErrorCode;
import dev.qrauth.sdk.SdkException;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.internal.Vault;
import dev.qrauth.sdk.storage.DirectoryStore;
import dev.qrauth.testkit.CallbackInbox;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device SDK against the real token server, started from its jar: every error it can meet there. */
class SdkAgainstTokenServerTest {

    static final String PIN = "24680";
    static final String CALLBACK = "http://127.0.0.1:9/callbacks/mobile-auth";

    static TokenServerProcess server;
    static String clientId;
    static String clientSecret;

    @TempDir
    Path home;

    @BeforeAll
    static void startServer() {
        server = TokenServerProcess.start();
        CreatedClient client = server.admin().createClient(NewClient.of("e2e", "E2E Portal", List.of(CALLBACK)));
        clientId = client.clientId();
        clientSecret = client.clientSecret();
        server.admin().createType(MobileAuthTypeView.otp("login", 120).withDefaultMessage("Log in"));
        server.admin().createType(MobileAuthTypeView.otp("short", 10).withDefaultMessage("Log in"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A fresh user with an activation code, and a phone with an empty store. */
    UserClient phone() {
        return UserClient.builder().serverUri(server.uri).store(new DirectoryStore(home)).deviceName("e2e phone").build();
    }

    static String newUser() {
        String userId = "user-" + UUID.randomUUID();
        return userId + " " + server.admin().createUser(userId).activationCode();
    }

    UserProfile readyProfile(UserClient client) {
        String[] user = newUser().split(" ");
        UserProfile profile = client.registerUser(user[0], user[1], PIN);
        client.authenticateUser(profile, PIN);
        client.enrollForMobileAuth();
        return profile;
    }

    static Map<String, Object> initiate(String type) {
        TokenServerProcess.Response started = server.call("POST", "/oauth/api/v4/authenticate/user", clientId, clientSecret,
                "application/x-www-form-urlencoded",
                "type=" + type + "&callback_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8));
        assertThat(started.status()).isEqualTo(200);
        return started.body();
    }

    static Map<String, Object> result(Object transactionId) {
        return server.call("GET", "/oauth/api/v4/authenticate/transaction/" + transactionId, clientId, clientSecret,
                null, null).body();
    }

    @Test
    void confirmedAndRejectedAreWhatThePortalReads() throws Exception {
        UserClient client = phone();
        UserProfile profile = readyProfile(client);

        Map<String, Object> login = initiate("login");
        assertThat(Outcome.confirm(client, (String) login.get("otp"))).isEqualTo("CONFIRMED");
        assertThat(result(login.get("transaction_id"))).containsEntry("is_authenticated", true)
                .containsEntry("user_id", profile.userId());

        Map<String, Object> denied = initiate("login");
        assertThat(Outcome.handle(client, (String) denied.get("otp"), (r, c) -> c.deny())).isEqualTo("ACTION_CANCELLED");
        assertThat(result(denied.get("transaction_id"))).containsEntry("status", "REJECTED");
    }

    @Test
    void anExpiredTransactionIsNotFound() throws Exception {
        UserClient client = phone();
        readyProfile(client);
        Map<String, Object> started = initiate("short");
        // The type lives ten seconds; the server's sweep marks it EXPIRED soon after.
        Duration untilExpiredAndSwept = Duration.between(Instant.now(), Instant.parse((String) started.get("expires_at")))
                .plusSeconds(15);
        org.awaitility.Awaitility.await().atMost(untilExpiredAndSwept).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(result(started.get("transaction_id"))).containsEntry("status", "EXPIRED"));
        assertThat(Outcome.confirm(client, (String) started.get("otp"))).isEqualTo("NOT_FOUND");
    }

    @Test
    void aSecondHandlingOfOneOtpIsAlreadyHandled() throws Exception {
        UserClient client = phone();
        readyProfile(client);
        String otp = (String) initiate("login").get("otp");
        assertThat(Outcome.confirm(client, otp)).isEqualTo("CONFIRMED");
        assertThat(Outcome.confirm(client, otp)).isEqualTo("ALREADY_HANDLED");
    }

    @Test
    void aDisenrolledUserIsToldAndLosesTheLocalKeys() throws Exception {
        UserClient client = phone();
        UserProfile profile = readyProfile(client);
        UUID deviceId = client.deviceId().orElseThrow();
        // Only a client that has seen the user answer may disable them.
        assertThat(Outcome.confirm(client, (String) initiate("login").get("otp"))).isEqualTo("CONFIRMED");
        assertThat(server.call("POST", "/oauth/api/v4/users/" + profile.userId() + "/devices/" + deviceId
                + "/disableMobileAuthentication", clientId, clientSecret, null, null).status()).isEqualTo(204);
        assertThat(Outcome.confirm(client, (String) initiate("login").get("otp"))).isEqualTo("USER_DISENROLLED");
        assertThat(client.isUserEnrolledForMobileAuth(profile)).isFalse();
    }

    @Test
    void wrongPinsCountDownThenDeregisterTheUser() {
        UserClient client = phone();
        UserProfile profile = readyProfile(client);
        for (int remaining = 2; remaining >= 1; remaining--) {
            try {
                client.authenticateUser(profile, "13579");
                throw new AssertionError("a wrong PIN was accepted");
            } catch (SdkException e) {
                assertThat(e.code()).isEqualTo(SdkErrorCode.INVALID_PIN);
                assertThat(e.remainingAttempts()).isEqualTo(remaining);
            }
        }
        assertThat(Outcome.codeOf(() -> client.authenticateUser(profile, "13579"))).isEqualTo(SdkErrorCode.USER_DEREGISTERED);
        assertThat(client.userProfiles()).doesNotContain(profile);
    }

    @Test
    void aDeletedDeviceIsDeregisteredAndWiped() {
        UserClient client = phone();
        UserProfile profile = readyProfile(client);
        server.admin().deleteDevice(client.deviceId().orElseThrow());
        assertThat(Outcome.codeOf(() -> client.authenticateUser(profile, PIN))).isEqualTo(SdkErrorCode.DEVICE_DEREGISTERED);
        assertThat(client.isDeviceRegistered()).isFalse();
        assertThat(client.userProfiles()).isEmpty();
    }

    @Test
    void aSessionTheServerEndedIsNotAuthenticated() throws Exception {
        UserClient client = phone();
        UserProfile profile = readyProfile(client);
        // End the session on the server only, as an expiry would, behind the app's back.
        Vault vault = new Vault(new DirectoryStore(home));
        Vault.DeviceRecord device = vault.device().orElseThrow();
        String token = vault.profile(profile.userId()).orElseThrow().accessToken();
        java.net.http.HttpResponse<Void> logout = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(server.uri.resolve("/device/api/v1/users/" + profile.userId() + "/session"))
                        .DELETE()
                        .header("Authorization", new BasicCredentials(device.deviceId().toString(), device.deviceSecret()).header())
                        .header("X-Access-Token", token).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(Outcome.confirm(client, (String) initiate("login").get("otp"))).isEqualTo("USER_NOT_AUTHENTICATED");
        assertThat(client.authenticatedUserProfile()).isEmpty();
    }

    @Test
    void withoutLoginOrEnrollmentOrAValidOtpNothingHappens() throws Exception {
        UserClient client = phone();
        String[] user = newUser().split(" ");
        UserProfile profile = client.registerUser(user[0], user[1], PIN);
        String otp = (String) initiate("login").get("otp");
        assertThat(Outcome.confirm(client, otp)).isEqualTo("USER_NOT_AUTHENTICATED");
        client.authenticateUser(profile, PIN);
        assertThat(Outcome.confirm(client, otp)).isEqualTo("NOT_ENROLLED");
        assertThat(Outcome.confirm(client, "not an otp")).isEqualTo("NOT_HANDLEABLE");
        Object transactionId = ProtocolJson.read(java.util.Base64.getDecoder().decode(otp), Map.class).get("transaction_id");
        assertThat(result(transactionId))
                .containsEntry("status", "PENDING");
    }

    @Test
    void noServerIsANetworkFailure() {
        UserClient offline = UserClient.builder()
                .serverUri(URI.create("http://127.0.0.1:" + TokenServerProcess.freePort()))
                .store(new DirectoryStore(home)).build();
        assertThat(Outcome.codeOf(offline::registerDevice)).isEqualTo(SdkErrorCode.NETWORK_CONNECTIVITY_FAILURE);
    }

    @Test
    void aServerThatIsNotATokenServerIsNotReachable() {
        // A real HTTP server answering the device API's paths with its own 404 page.
        try (CallbackInbox notATokenServer = CallbackInbox.start()) {
            UserClient confused = UserClient.builder()
                    .serverUri(URI.create(notATokenServer.uri().replace(CallbackInbox.PATH, "")))
                    .store(new DirectoryStore(home)).build();
            assertThat(Outcome.codeOf(confused::registerDevice)).isEqualTo(SdkErrorCode.SERVER_NOT_REACHABLE);
        }
    }

    @Test
    void aSecondRequestWhileOneIsOpenIsAlreadyInProgress() throws Exception {
        UserClient client = phone();
        readyProfile(client);
        String first = (String) initiate("login").get("otp");
        String second = (String) initiate("login").get("otp");
        CountDownLatch asked = new CountDownLatch(1);
        CompletableFuture<MobileAuthConfirmation> pending = new CompletableFuture<>();
        CompletableFuture<String> firstOutcome = CompletableFuture.supplyAsync(() -> {
            try {
                return Outcome.handle(client, first, (request, confirmation) -> {
                    pending.complete(confirmation);
                    asked.countDown();
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(asked.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(Outcome.confirm(client, second)).isEqualTo("ACTION_ALREADY_IN_PROGRESS");

        pending.get().confirm();
        assertThat(firstOutcome.get(30, TimeUnit.SECONDS)).isEqualTo("CONFIRMED");
        assertThat(Outcome.confirm(client, second)).isEqualTo("CONFIRMED");
    }

    @Test
    void aUserRemovedFromTheDeviceIsDeregisteredThere() throws Exception {
        UserClient client = phone();
        UserProfile profile = readyProfile(client);
        server.admin().removeUserFromDevice(profile.userId(), client.deviceId().orElseThrow());

        assertThat(Outcome.confirm(client, (String) initiate("login").get("otp"))).isEqualTo("USER_DEREGISTERED");
        assertThat(client.userProfiles()).doesNotContain(profile);
    }
}
