package dev.qrauth.tokenserver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.qrauth.protocol.device.DeviceHeaders;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
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
    private static final String FETCH = "/device/api/v1/users/{u}/mobile-auth/otp";
    private static final String SHORT_CODE_FETCH = "/device/api/v1/users/{u}/mobile-auth/short-code";
    private static final String ANSWER = "/device/api/v1/users/{u}/mobile-auth/transactions/{t}/answer";
    private static final String INITIATE = "/oauth/api/v4/authenticate/user";
    private static final String RESULT = "/oauth/api/v4/authenticate/transaction/{id}";

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

    /** A flow's fetch and answer: the device's credentials, the user's access token and the user in the path. */
    @Nested
    class DeviceUserOnAFlow {

        @Test
        void missingCredentialsAreRefusedWithTheDeviceBodyAndNoChallenge() {
            String transactionId = UUID.randomUUID().toString();
            for (Response refused : new Response[] {
                    given().contentType(ContentType.JSON).body(Map.of("otp", "x")).post(FETCH, "someone"),
                    given().contentType(ContentType.JSON).body(Map.of("short_code", "x")).post(SHORT_CODE_FETCH, "someone"),
                    given().contentType(ContentType.JSON).body(Map.of("transaction_id", transactionId, "message", "AAAA"))
                            .post(ANSWER, "someone", transactionId)}) {
                refused.then().statusCode(401).header("WWW-Authenticate", nullValue())
                        .body("error", equalTo("DEVICE_DEREGISTERED"))
                        .body("error_message", equalTo("This device is not registered"));
            }
        }

        @Test
        void wrongCredentialsAreRefusedBeforeTheBodyIsRead() {
            TestDevice phone = TestDevice.enrolled();
            given().auth().preemptive().basic(phone.registered.device().deviceId(), "not-the-secret")
                    .header(DeviceHeaders.ACCESS_TOKEN, phone.accessToken).contentType(ContentType.JSON)
                    .body("{\"otp\":").post(FETCH, phone.userId())
                    .then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
        }

        @Test
        void aClientsOrTheAdminsCredentialsDoNotOpenIt() {
            TestApi.Client client = TestApi.createClient();
            TestDevice phone = TestDevice.enrolled();
            client.auth().header(DeviceHeaders.ACCESS_TOKEN, phone.accessToken).contentType(ContentType.JSON)
                    .body(Map.of("otp", "x")).post(FETCH, phone.userId())
                    .then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
            TestApi.admin().header(DeviceHeaders.ACCESS_TOKEN, phone.accessToken)
                    .body(Map.of("otp", "x")).post(FETCH, phone.userId())
                    .then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
        }

        @Test
        void anAccessTokenOfAnotherUserOnTheSameDeviceDoesNotOpenIt() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();
            portal.answeredBy(phone, true);
            TestApi.Code code = TestApi.createUser();
            phone.registered.device().auth().body(Map.of("user_id", code.userId(), "activation_code",
                    code.activationCode(), "pin", TestApi.PIN)).post("/device/api/v1/users").then().statusCode(201);
            String otherToken = new TestApi.Registered(phone.registered.device(), code.userId()).login();

            phone.registered.session(otherToken).body(Map.of("otp", (String) portal.initiate().path("otp")))
                    .post(FETCH, phone.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
        }

        @Test
        void aRememberedSessionWhoseTokenWasRevokedIsRefusedOnEveryCall() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            portal.answeredBy(phone, true);
            Response started = portal.initiate();
            MobileAuthMessage message = phone.fetch(started.path("otp"));

            phone.registered.session(phone.accessToken).delete("/device/api/v1/users/{u}/session", phone.userId())
                    .then().statusCode(204);

            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(401)
                    .body("error", equalTo("USER_NOT_AUTHENTICATED"));
            phone.registered.session(phone.accessToken).body(Map.of("short_code", (String) portal.initiate().path("short_code")))
                    .post(SHORT_CODE_FETCH, phone.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
            portal.result(started.path("transaction_id")).then().statusCode(200).body("status", equalTo("SCANNED"));
        }

        @Test
        void aDeviceDeregisteredAfterASuccessCannotAnswer() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate();
            MobileAuthMessage message = phone.fetch(started.path("otp"));

            phone.registered.device().auth().delete(SELF).then().statusCode(204);

            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(401)
                    .body("error", equalTo("DEVICE_DEREGISTERED"));
            portal.result(started.path("transaction_id")).then().statusCode(200).body("status", equalTo("SCANNED"));
        }

        @Test
        void theDeviceUsersCredentialsDoNotOpenTheDevicesOwnCalls() {
            TestDevice phone = TestDevice.enrolled();
            // The enrollment is a call of the device (Roles.DEVICE) under the same /users/{u}/mobile-auth prefix.
            phone.registered.session(phone.accessToken).get("/device/api/v1/users/{u}/mobile-auth/enrollment", phone.userId())
                    .then().statusCode(200);
        }
    }

    /** A portal's initiation and result read, served from memory once the credentials were verified. */
    @Nested
    class PortalFlow {

        @Test
        void missingCredentialsAreRefusedWithTheChallengeAndTheOneginiBody() {
            for (Response refused : new Response[] {
                    given().contentType(ContentType.URLENC).formParams(Map.of("type", "login",
                            "callback_uri", TestPortal.CALLBACK)).post(INITIATE),
                    given().get(RESULT, UUID.randomUUID())}) {
                refused.then().statusCode(401)
                        .header("WWW-Authenticate", equalTo("Basic realm=\"qrauth portal API\""))
                        .body("error", equalTo("invalid_client"))
                        .body("error_description", equalTo("Client authentication failed"));
            }
        }

        @Test
        void aDevicesCredentialsDoNotOpenIt() {
            TestDevice phone = TestDevice.enrolled();
            TestApi.DeviceCredentials device = phone.registered.device();
            given().auth().preemptive().basic(device.deviceId(), device.secret()).contentType(ContentType.URLENC)
                    .formParams(Map.of("type", "login", "callback_uri", TestPortal.CALLBACK)).post(INITIATE)
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
            phone.registered.session(phone.accessToken).get(RESULT, UUID.randomUUID())
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
        }

        @Test
        void aRememberedClientsCredentialsOpenOnlyItsOwnTransactions() {
            TestPortal owner = TestPortal.create();
            TestPortal other = TestPortal.create();
            String transactionId = owner.initiate().path("transaction_id");
            other.initiate();

            other.result(transactionId).then().statusCode(404).body("error_code", equalTo("3004"));
            owner.result(transactionId).then().statusCode(200).body("status", equalTo("PENDING"));
        }

        @Test
        void credentialsInTheHeaderAndTheFormAtOnceAreAnInvalidRequestThoughRemembered() {
            TestPortal portal = TestPortal.create();
            portal.initiate();
            portal.client.auth().contentType(ContentType.URLENC)
                    .formParams(Map.of("client_id", portal.client.clientId(), "client_secret", portal.client.secret(),
                            "type", portal.loginType, "callback_uri", TestPortal.CALLBACK, "message", "Log in"))
                    .post(INITIATE).then().statusCode(400).body("error", equalTo("invalid_request"));
        }

        @Test
        void credentialsInTheFormStartATransaction() {
            TestPortal portal = TestPortal.create();
            for (int i = 0; i < 2; i++) {
                given().contentType(ContentType.URLENC)
                        .formParams(Map.of("client_id", portal.client.clientId(), "client_secret", portal.client.secret(),
                                "type", portal.loginType, "callback_uri", TestPortal.CALLBACK, "message", "Log in"))
                        .post(INITIATE).then().statusCode(200).body("transaction_id", org.hamcrest.Matchers.notNullValue());
            }
        }

        /**
         * The JDK's HTTP client, which portal-client uses, upgrades to HTTP/2 ("Upgrade: h2c"):
         * an initiation's form then goes over HTTP/2, with the credentials in the header or in
         * the form.
         */
        @Test
        void anInitiationSentOverHttp2StartsATransaction() throws Exception {
            TestPortal portal = TestPortal.create();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            URI base = URI.create("http://127.0.0.1:" + RestAssured.port);
            http.send(HttpRequest.newBuilder(base.resolve("/q/health/live")).build(), HttpResponse.BodyHandlers.ofString());
            String fields = "type=" + portal.loginType + "&message=Log+in&callback_uri="
                    + URLEncoder.encode(TestPortal.CALLBACK, StandardCharsets.UTF_8);
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    (portal.client.clientId() + ":" + portal.client.secret()).getBytes(StandardCharsets.UTF_8));
            String inForm = fields + "&client_id=" + URLEncoder.encode(portal.client.clientId(), StandardCharsets.UTF_8)
                    + "&client_secret=" + URLEncoder.encode(portal.client.secret(), StandardCharsets.UTF_8);
            for (HttpRequest initiation : List.of(
                    HttpRequest.newBuilder(base.resolve(INITIATE)).header("Authorization", basic)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(fields)).build(),
                    HttpRequest.newBuilder(base.resolve(INITIATE))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(inForm)).build())) {
                HttpResponse<String> started = http.send(initiation, HttpResponse.BodyHandlers.ofString());
                assertThat(started.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
                assertThat(started.body()).contains("\"transaction_id\"");
            }
        }

        @Test
        void anInitiatorsCredentialsStillOpenTheClientsOtherCalls() {
            TestPortal portal = TestPortal.create();
            String transactionId = portal.initiate().path("transaction_id");
            portal.client.auth().delete(RESULT, transactionId).then().statusCode(204);
            portal.result(transactionId).then().statusCode(200).body("status", equalTo("CANCELLED"));
        }
    }
}
