package dev.qrauth.tokenserver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each API's authentication mechanism answers for its own paths only, with its own error body,
 * and only where a resource asks for a role: after routing, so an unknown path stays a 404, and
 * never on endpoints open to everyone.
 */
@QuarkusTest
class AuthenticationMechanismsTest {

    private static final String TYPES = "/admin/api/v1/mobile-auth-types";
    private static final String SELF = "/device/api/v1/devices/self";

    @Nested
    class AdminApi {
        @Test
        void missingCredentialsAreRefusedWithTheChallengeAndTheAdminBody() {
            given().get(TYPES).then().statusCode(401)
                    .header("WWW-Authenticate", equalTo("Basic realm=\"qrauth admin API\""))
                    .body("error", equalTo("unauthorized"))
                    .body("error_message", equalTo("Admin credentials required"));
        }

        @Test
        void credentialsThatAreNotBasicAreRefusedLikeMissingOnes() {
            given().header("Authorization", "Bearer " + TestApi.ADMIN_PASSWORD).get(TYPES).then().statusCode(401)
                    .header("WWW-Authenticate", equalTo("Basic realm=\"qrauth admin API\""))
                    .body("error", equalTo("unauthorized"));
        }

        @Test
        void aDevicesCredentialsDoNotOpenIt() {
            TestApi.DeviceCredentials device = TestApi.registerDevice();
            device.auth().get(TYPES).then().statusCode(401).body("error", equalTo("unauthorized"));
        }

        @Test
        void anUnknownPathIsNotFoundWithoutCredentials() {
            given().get("/admin/api/v1/no-such-thing").then().statusCode(404).body("error", equalTo("not_found"));
        }
    }

    @Nested
    class DeviceApi {
        @Test
        void missingCredentialsAreRefusedWithTheDeviceBodyAndNoChallenge() {
            given().contentType(ContentType.JSON).delete(SELF).then().statusCode(401)
                    .header("WWW-Authenticate", nullValue())
                    .body("error", equalTo("DEVICE_DEREGISTERED"))
                    .body("error_message", equalTo("This device is not registered"));
        }

        @Test
        void theAdminsCredentialsDoNotOpenIt() {
            TestApi.admin().delete(SELF).then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
        }

        @Test
        void registeringADeviceNeedsNoCredentialsWhateverTheHeaderCarries() {
            given().header("Authorization", "Basic bm90OmEtZGV2aWNl").contentType(ContentType.JSON)
                    .body(Map.of("name", "Test phone")).post("/device/api/v1/devices").then().statusCode(201);
        }

        @Test
        void anUnknownPathIsNotFoundWithoutCredentials() {
            given().contentType(ContentType.JSON).get("/device/api/v1/no-such-thing").then().statusCode(404)
                    .body("error", equalTo("NOT_FOUND"));
        }

        @Test
        void theDeviceTheCredentialsNameIsTheOneActedOn() {
            TestApi.DeviceCredentials kept = TestApi.registerDevice();
            TestApi.DeviceCredentials leaving = TestApi.registerDevice();
            leaving.auth().delete(SELF).then().statusCode(204);
            leaving.auth().delete(SELF).then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
            kept.auth().delete(SELF).then().statusCode(204);
        }
    }

    @Nested
    class PortalApi {
        private static final String DISABLE = "/oauth/api/v4/users/{u}/devices/{d}/disableMobileAuthentication";

        @Test
        void missingCredentialsAreRefusedWithTheChallengeAndTheOneginiBody() {
            given().delete("/oauth/api/v4/authenticate/transaction/{id}", UUID.randomUUID()).then().statusCode(401)
                    .header("WWW-Authenticate", equalTo("Basic realm=\"qrauth portal API\""))
                    .body("error", equalTo("invalid_client"));
        }

        @Test
        void credentialsInTheFormAreAccepted() {
            TestApi.Client client = TestApi.createClient();
            given().contentType(ContentType.URLENC)
                    .formParams(Map.of("client_id", client.clientId(), "client_secret", client.secret()))
                    .post(DISABLE, "someone", UUID.randomUUID()).then().statusCode(204);
        }

        @Test
        void wrongCredentialsInTheFormAreRefused() {
            TestApi.Client client = TestApi.createClient();
            given().contentType(ContentType.URLENC)
                    .formParams(Map.of("client_id", client.clientId(), "client_secret", "wrong"))
                    .post(DISABLE, "someone", UUID.randomUUID()).then().statusCode(401)
                    .body("error", equalTo("invalid_client"));
        }

        @Test
        void credentialsInTheHeaderAndTheFormAtOnceAreAnInvalidRequest() {
            TestApi.Client client = TestApi.createClient();
            client.auth().contentType(ContentType.URLENC)
                    .formParams(Map.of("client_id", client.clientId(), "client_secret", client.secret()))
                    .post(DISABLE, "someone", UUID.randomUUID()).then().statusCode(400)
                    .body("error", equalTo("invalid_request"));
        }

        @Test
        void credentialsInAFormSentOverHttp2AreAccepted() throws Exception {
            TestApi.Client client = TestApi.createClient();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            URI base = URI.create("http://127.0.0.1:" + RestAssured.port);
            // The first request upgrades the connection ("Upgrade: h2c"); the form goes over HTTP/2.
            http.send(HttpRequest.newBuilder(base.resolve("/q/health/live")).build(), HttpResponse.BodyHandlers.ofString());
            String form = "client_id=" + URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8)
                    + "&client_secret=" + URLEncoder.encode(client.secret(), StandardCharsets.UTF_8);
            HttpResponse<String> disabled = http.send(HttpRequest.newBuilder(base.resolve(
                            "/oauth/api/v4/users/someone/devices/" + UUID.randomUUID() + "/disableMobileAuthentication"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(disabled.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(204);
        }

        @Test
        void aFormWithBrokenEncodingSentOverHttp2IsABadRequest() throws Exception {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            URI base = URI.create("http://127.0.0.1:" + RestAssured.port);
            http.send(HttpRequest.newBuilder(base.resolve("/q/health/live")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(base.resolve(
                            "/oauth/api/v4/users/someone/devices/" + UUID.randomUUID() + "/disableMobileAuthentication"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("client_id=%ZZ&client_secret=x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("\"error_code\"").doesNotContain("Exception");
        }

        @Test
        void aClientsCredentialsDoNotOpenTheAdminOrTheDeviceApi() {
            TestApi.Client client = TestApi.createClient();
            client.auth().get(TYPES).then().statusCode(401).body("error", equalTo("unauthorized"));
            client.auth().delete(SELF).then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
        }

        @Test
        void anUnknownPathIsNotFoundWithoutCredentials() {
            given().get("/oauth/api/v4/no-such-thing").then().statusCode(404);
        }
    }
}
