package dev.qrauth.tokenserver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.qrauth.tokenserver.security.SecretHasher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed authentications per client id, device id and admin user name: a small budget, then
 * {@code 429} with {@code Retry-After} and no hashing; unknown ids cost a hash like known ones.
 * The admin password is the generated, hashed kind here, so the admin path hashes too.
 */
@QuarkusTest
@TestProfile(FailedAuthenticationTest.SmallIdBudget.class)
class FailedAuthenticationTest {

    static final int BUDGET = 3;

    public static class SmallIdBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokenserver.auth-failures.per-id", String.valueOf(BUDGET),
                    "tokenserver.admin.password", "");
        }
    }

    @Inject
    SecretHasher hasher;

    @Inject
    EntityManager entities;

    @Inject
    MeterRegistry registry;

    /** Gives the generated admin password a value the tests know. */
    @BeforeEach
    void knownAdminPassword() {
        String hash = hasher.hash(TestApi.ADMIN_PASSWORD);
        QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery(
                "UPDATE admin_credential SET password_hash = ?1 WHERE username = 'admin'")
                .setParameter(1, hash).executeUpdate());
    }

    @Test
    void aClientIdIsRefusedWithoutHashingOnceItsFailuresAreSpent() {
        TestApi.Client client = TestApi.createClient();
        for (int i = 0; i < BUDGET; i++) {
            asClient(client.clientId(), "wrong").then().statusCode(401).body("error", equalTo("invalid_client"));
        }
        double before = credentialHashes();
        Response limited = asClient(client.clientId(), "wrong");
        limited.then().statusCode(429).body("error_code", equalTo("9002"));
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(credentialHashes()).as("nothing hashed for a refusal past the budget").isEqualTo(before);
        asClient(TestApi.createClient().clientId(), "wrong").then().statusCode(401);
    }

    @Test
    void aDeviceIdIsRefusedOnceItsFailuresAreSpent() {
        TestApi.DeviceCredentials device = TestApi.registerDevice();
        TestApi.DeviceCredentials wrong = new TestApi.DeviceCredentials(device.deviceId(), "wrong");
        for (int i = 0; i < BUDGET; i++) {
            wrong.auth().delete("/device/api/v1/devices/self")
                    .then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
        }
        Response limited = wrong.auth().delete("/device/api/v1/devices/self");
        limited.then().statusCode(429).body("error", equalTo("RATE_LIMITED"));
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    }

    @Test
    void anAdminUserNameIsRefusedOnceItsFailuresAreSpent() {
        String name = TestApi.unique("mallory");
        for (int i = 0; i < BUDGET; i++) {
            asAdmin(name, TestApi.ADMIN_PASSWORD).then().statusCode(401).body("error", equalTo("unauthorized"));
        }
        Response limited = asAdmin(name, TestApi.ADMIN_PASSWORD);
        limited.then().statusCode(429).body("error", equalTo("rate_limited"));
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        asAdmin("admin", TestApi.ADMIN_PASSWORD).then().statusCode(200);
    }

    @Test
    void theOperatorEndpointsAnswerASpentAdminBudgetWith429() {
        String name = TestApi.unique("mallory");
        for (int i = 0; i < BUDGET; i++) {
            given().auth().preemptive().basic(name, "wrong").get("/q/metrics").then().statusCode(401)
                    .header("WWW-Authenticate", equalTo("Basic realm=\"qrauth admin API\""))
                    .body("error", equalTo("unauthorized"));
        }
        Response limited = given().auth().preemptive().basic(name, "wrong").get("/q/metrics");
        limited.then().statusCode(429).body("error", equalTo("rate_limited"))
                .body("error_message", equalTo("Too many failed authentications; try again later"));
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    }

    @Test
    void aSecretInUseIsStillAcceptedWhileItsIdIsLimited() {
        TestApi.Client client = TestApi.createClient();
        asClient(client.clientId(), client.secret()).then().statusCode(404);
        for (int i = 0; i < BUDGET; i++) {
            asClient(client.clientId(), "wrong").then().statusCode(401);
        }
        asClient(client.clientId(), "wrong").then().statusCode(429);
        asClient(client.clientId(), client.secret()).then().statusCode(404).body("error_code", equalTo("3004"));
    }

    @Test
    void aSecretNotUsedRecentlyIsRefusedLikeAnyOtherWhileItsIdIsLimited() {
        TestApi.Client client = TestApi.createClient();
        for (int i = 0; i < BUDGET; i++) {
            asClient(client.clientId(), "wrong").then().statusCode(401);
        }
        asClient(client.clientId(), client.secret()).then().statusCode(429).body("error_code", equalTo("9002"));
    }

    @Test
    void anUnknownIdCostsOneHashLikeAKnownIdWithAWrongSecret() {
        TestApi.Client client = TestApi.createClient();
        TestApi.DeviceCredentials device = TestApi.registerDevice();

        assertThat(hashesFor(() -> asClient(client.clientId(), "wrong").then().statusCode(401))).isEqualTo(1);
        assertThat(hashesFor(() -> asClient(TestApi.unique("nobody"), "wrong").then().statusCode(401))).isEqualTo(1);

        assertThat(hashesFor(() -> new TestApi.DeviceCredentials(device.deviceId(), "wrong").auth()
                .delete("/device/api/v1/devices/self").then().statusCode(401))).isEqualTo(1);
        assertThat(hashesFor(() -> new TestApi.DeviceCredentials(UUID.randomUUID().toString(), "wrong").auth()
                .delete("/device/api/v1/devices/self").then().statusCode(401))).isEqualTo(1);

        assertThat(hashesFor(() -> asAdmin("admin", "wrong").then().statusCode(401))).isEqualTo(1);
        assertThat(hashesFor(() -> asAdmin(TestApi.unique("root"), "wrong").then().statusCode(401))).isEqualTo(1);
    }

    @Test
    void failuresWithTheClientInTheFormSpendTheSameBudget() {
        TestApi.Client client = TestApi.createClient();
        for (int i = 0; i < BUDGET; i++) {
            given().contentType(ContentType.URLENC)
                    .formParams(Map.of("client_id", client.clientId(), "client_secret", "wrong", "type", "login"))
                    .post("/oauth/api/v4/authenticate/user")
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
        }
        given().contentType(ContentType.URLENC)
                .formParams(Map.of("client_id", client.clientId(), "client_secret", client.secret(), "type", "login"))
                .post("/oauth/api/v4/authenticate/user")
                .then().statusCode(429).body("error_code", equalTo("9002"));
        asClient(client.clientId(), client.secret()).then().statusCode(429).body("error_code", equalTo("9002"));
    }

    @Test
    void failuresAtTheCallbackUriCheckSpendTheSameBudget() {
        // Otherwise the check would be a way to guess secrets past the budget.
        TestApi.Client client = TestApi.createClient();
        for (int i = 0; i < BUDGET; i++) {
            given().auth().preemptive().basic(client.clientId(), "wrong").contentType(ContentType.URLENC)
                    .formParam("callback_uri", "https://portal.example/callbacks")
                    .post("/oauth/api/v4/authenticate/callback-uri")
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
        }
        given().auth().preemptive().basic(client.clientId(), "guess").contentType(ContentType.URLENC)
                .formParam("callback_uri", "https://portal.example/callbacks")
                .post("/oauth/api/v4/authenticate/callback-uri")
                .then().statusCode(429).body("error_code", equalTo("9002"));
        asClient(client.clientId(), client.secret()).then().statusCode(429).body("error_code", equalTo("9002"));
    }

    private static Response asClient(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret)
                .get("/oauth/api/v4/authenticate/transaction/{id}", UUID.randomUUID());
    }

    private static Response asAdmin(String user, String password) {
        return given().auth().preemptive().basic(user, password).contentType(ContentType.JSON)
                .get("/admin/api/v1/mobile-auth-types");
    }

    private double credentialHashes() {
        return registry.counter("qrauth.hashing.verifications", "pool", "credential").count();
    }

    private double hashesFor(Runnable request) {
        double before = credentialHashes();
        request.run();
        return credentialHashes() - before;
    }
}
