package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class AdminApiTest {

    @Nested
    class Authentication {
        @ParameterizedTest
        @CsvSource({
                "GET,/admin/api/v1/mobile-auth-types",
                "POST,/admin/api/v1/clients",
                "GET,/admin/api/v1/clients/x",
                "DELETE,/admin/api/v1/clients/x",
                "POST,/admin/api/v1/mobile-auth-types",
                "DELETE,/admin/api/v1/mobile-auth-types/x",
                "POST,/admin/api/v1/users",
                "POST,/admin/api/v1/users/x/activation-codes",
                "GET,/admin/api/v1/users/x",
                "DELETE,/admin/api/v1/devices/x",
                "DELETE,/admin/api/v1/users/x/devices/y",
                "GET,/admin/api/v1/audit",
                "PATCH,/admin/api/v1/mobile-auth-types/x",
                "GET,/admin/api/v1/users",
                "DELETE,/admin/api/v1/users/x",
                "POST,/admin/api/v1/users/x/disenroll"})
        void everyEndpointRefusesMissingAndWrongCredentials(String method, String path) {
            given().contentType(ContentType.JSON).body("{}").request(method, path)
                    .then().statusCode(401).body("error", equalTo("unauthorized"))
                    .header("WWW-Authenticate", notNullValue());
            given().auth().preemptive().basic("admin", "wrong").contentType(ContentType.JSON).body("{}")
                    .request(method, path).then().statusCode(401).body("error", equalTo("unauthorized"));
            given().auth().preemptive().basic("root", TestApi.ADMIN_PASSWORD).contentType(ContentType.JSON).body("{}")
                    .request(method, path).then().statusCode(401);
        }
    }

    @Nested
    class Clients {
        @Test
        void createShowsSecretsOnceAndGetNeverShowsThem() {
            String name = unique("portal");
            Map<String, Object> request = new HashMap<>(Map.of("name", name, "display_name", "Example Portal",
                    "callback_uris", List.of("https://portal.example/cb", "http://127.0.0.1:8080/cb"),
                    "callback_username", "portal", "callback_password", "cb-pass"));
            request.put("callback_on_scan", true);
            String clientId = admin().body(request).post("/admin/api/v1/clients")
                    .then().statusCode(201)
                    .body("client_id", notNullValue())
                    .body("client_secret", matchesPattern("[A-Za-z0-9_-]{43}"))
                    .body("callback_signing_secret", matchesPattern("[A-Za-z0-9_-]{43}"))
                    .extract().path("client_id");

            String shown = admin().get("/admin/api/v1/clients/{id}", clientId)
                    .then().statusCode(200)
                    .body("name", equalTo(name))
                    .body("display_name", equalTo("Example Portal"))
                    .body("callback_uris", equalTo(List.of("https://portal.example/cb", "http://127.0.0.1:8080/cb")))
                    .body("callback_username", equalTo("portal"))
                    .body("callback_on_scan", equalTo(true))
                    .extract().asString();
            assertThat(shown).doesNotContain("secret", "cb-pass");
        }

        @Test
        void aDuplicateNameConflicts() {
            String name = unique("portal");
            Map<String, Object> request = Map.of("name", name, "display_name", "P", "callback_uris", List.of());
            admin().body(request).post("/admin/api/v1/clients").then().statusCode(201);
            admin().body(request).post("/admin/api/v1/clients").then().statusCode(409).body("error", equalTo("conflict"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "{\"display_name\":\"P\",\"callback_uris\":[]}",
                "{\"name\":\"bad name\",\"display_name\":\"P\",\"callback_uris\":[]}",
                "{\"name\":\"ok\",\"callback_uris\":[]}",
                "{\"name\":\"ok\",\"display_name\":\"P\"}",
                "{\"name\":\"ok\",\"display_name\":\"P\",\"callback_uris\":[\"ftp://host/cb\"]}",
                "{\"name\":\"ok\",\"display_name\":\"P\",\"callback_uris\":[\"/relative\"]}",
                "{\"name\":\"ok\",\"display_name\":\"P\",\"callback_uris\":[\"https://u:p@host/cb\"]}",
                "{\"name\":\"ok\",\"display_name\":\"P\",\"callback_uris\":[\"https://host/cb#frag\"]}",
                "{\"name\":\"ok\",\"display_name\":\"P\",\"callback_uris\":[],\"callback_username\":\"only-user\"}",
                "{\"name\":\"ok\",\"display_name\":\"P\",\"callback_uris\":\"https://host/cb\"}",
                "{\"name\":\"ok\",\"display_name\":\"P\",\"callback_uris\":[],\"colour\":\"blue\"}"})
        void invalidRequestsAreRefused(String body) {
            admin().body(body).post("/admin/api/v1/clients")
                    .then().statusCode(400).body("error", equalTo("invalid_request"))
                    .body("error_message", notNullValue());
        }

        @Test
        void unknownClientsAreNotFound() {
            admin().get("/admin/api/v1/clients/{id}", "nope").then().statusCode(404).body("error", equalTo("not_found"));
            admin().delete("/admin/api/v1/clients/{id}", "nope").then().statusCode(404);
        }

        @Test
        void deletedClientsAreGoneAndCannotAuthenticate() {
            TestApi.Client client = TestApi.createClient();
            admin().delete("/admin/api/v1/clients/{id}", client.clientId()).then().statusCode(204);
            admin().get("/admin/api/v1/clients/{id}", client.clientId()).then().statusCode(404);
            client.auth().post("/oauth/api/v4/users/u/devices/{d}/disableMobileAuthentication", UUID.randomUUID())
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
        }
    }

    @Nested
    class MobileAuthTypes {
        @Test
        void createListAndDelete() {
            String name = unique("login");
            admin().body(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 120,
                            "default_message", "Log in", "number_matching", true))
                    .post("/admin/api/v1/mobile-auth-types")
                    .then().statusCode(201)
                    .body("name", equalTo(name)).body("number_matching", equalTo(true))
                    .body("max_message_length", equalTo(155));
            admin().get("/admin/api/v1/mobile-auth-types").then().statusCode(200).body("name", hasItem(name));
            admin().body(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 60))
                    .post("/admin/api/v1/mobile-auth-types").then().statusCode(409);
            admin().delete("/admin/api/v1/mobile-auth-types/{name}", name).then().statusCode(204);
            admin().delete("/admin/api/v1/mobile-auth-types/{name}", name).then().statusCode(404);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "{\"name\":\"t1\",\"method\":\"PUSH\",\"time_to_live_seconds\":60}",
                "{\"name\":\"t1\",\"time_to_live_seconds\":60}",
                "{\"name\":\"t1\",\"method\":\"OTP\"}",
                "{\"name\":\"t1\",\"method\":\"OTP\",\"time_to_live_seconds\":5}",
                "{\"name\":\"t1\",\"method\":\"OTP\",\"time_to_live_seconds\":\"soon\"}",
                "{\"name\":\"T 1\",\"method\":\"OTP\",\"time_to_live_seconds\":60}",
                "{\"name\":\"t1\",\"method\":\"OTP\",\"time_to_live_seconds\":60,\"default_message\":\"\"}",
                "{\"name\":\"t1\",\"method\":\"OTP\",\"time_to_live_seconds\":60,\"max_message_length\":0}"})
        void invalidTypesAreRefused(String body) {
            admin().body(body).post("/admin/api/v1/mobile-auth-types")
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
        }
    }

    @Nested
    class Users {
        @Test
        void createGivesAnActivationCodeAndAFreshOneCanBeIssued() {
            String userId = unique("user");
            admin().body(Map.of("user_id", userId)).post("/admin/api/v1/users")
                    .then().statusCode(201)
                    .body("user_id", equalTo(userId))
                    .body("activation_code", matchesPattern("[A-Z2-9]{5}(-[A-Z2-9]{5}){3}"))
                    .body("expires_at", notNullValue());
            admin().body(Map.of("user_id", userId)).post("/admin/api/v1/users").then().statusCode(409);
            admin().post("/admin/api/v1/users/{id}/activation-codes", userId)
                    .then().statusCode(201).body("activation_code", notNullValue());
            admin().get("/admin/api/v1/users/{id}", userId)
                    .then().statusCode(200).body("user_id", equalTo(userId)).body("devices", empty());
        }

        @Test
        void showsTheDevicesAUserIsRegisteredOn() {
            TestApi.Registered registered = TestApi.registerUser();
            registered.enroll();
            admin().get("/admin/api/v1/users/{id}", registered.userId())
                    .then().statusCode(200)
                    .body("devices", hasSize(1))
                    .body("devices[0].device_id", equalTo(registered.device().deviceId()))
                    .body("devices[0].name", equalTo("Test phone"))
                    .body("devices[0].mobile_auth_enrolled", equalTo(true))
                    .body("devices[0].device_key_fingerprint", matchesPattern("[0-9A-F]{64}"));
        }

        @Test
        void invalidAndUnknownUsers() {
            admin().body(Map.of("user_id", "has space")).post("/admin/api/v1/users").then().statusCode(400);
            admin().body("{}").post("/admin/api/v1/users").then().statusCode(400);
            admin().post("/admin/api/v1/users/{id}/activation-codes", "nobody").then().statusCode(404);
            admin().get("/admin/api/v1/users/{id}", "nobody").then().statusCode(404).body("error", equalTo("not_found"));
        }
    }

    @Nested
    class Devices {
        @Test
        void deletingADeviceDeregistersIt() {
            TestApi.Registered registered = TestApi.registerUser();
            admin().delete("/admin/api/v1/devices/{id}", registered.device().deviceId()).then().statusCode(204);
            registered.device().auth().body(Map.of("pin", TestApi.PIN))
                    .post("/device/api/v1/users/{u}/session", registered.userId())
                    .then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
            admin().delete("/admin/api/v1/devices/{id}", registered.device().deviceId()).then().statusCode(404);
        }

        @Test
        void removingAUserFromADeviceDeregistersTheUser() {
            TestApi.Registered registered = TestApi.registerUser();
            admin().delete("/admin/api/v1/users/{u}/devices/{d}", registered.userId(), registered.device().deviceId())
                    .then().statusCode(204);
            registered.device().auth().body(Map.of("pin", TestApi.PIN))
                    .post("/device/api/v1/users/{u}/session", registered.userId())
                    .then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"));
            admin().delete("/admin/api/v1/users/{u}/devices/{d}", registered.userId(), registered.device().deviceId())
                    .then().statusCode(404);
        }

        @Test
        void malformedDeviceIdsAreInvalid() {
            admin().delete("/admin/api/v1/devices/{id}", "not-a-uuid").then().statusCode(400)
                    .body("error", equalTo("invalid_request"));
        }
    }

    @Nested
    class Audit {
        @Test
        void filtersByUserAndDeviceNewestFirst() {
            TestApi.Registered registered = TestApi.registerUser();
            registered.login();
            admin().queryParam("user_id", registered.userId()).get("/admin/api/v1/audit")
                    .then().statusCode(200)
                    .body("events.event_type", equalTo(List.of(
                            "PIN_ACCEPTED", "USER_REGISTERED", "ACTIVATION_CODE_ISSUED", "USER_CREATED")))
                    .body("events.user_id", everyItem(equalTo(registered.userId())));
            admin().queryParam("device_id", registered.device().deviceId()).queryParam("limit", 1)
                    .get("/admin/api/v1/audit")
                    .then().statusCode(200)
                    .body("events", hasSize(1))
                    .body("events[0].event_type", equalTo("PIN_ACCEPTED"));
        }

        @Test
        void recordsAdminActionsWithoutSecrets() {
            TestApi.Client client = TestApi.createClient();
            String listing = admin().queryParam("limit", 1000).get("/admin/api/v1/audit")
                    .then().statusCode(200).extract().asString();
            assertThat(listing).contains("CLIENT_CREATED").contains(client.clientId())
                    .doesNotContain(client.secret(), client.signingSecret());
        }

        @Test
        void badFiltersAreRefused() {
            admin().queryParam("limit", 0).get("/admin/api/v1/audit").then().statusCode(400);
            admin().queryParam("limit", "many").get("/admin/api/v1/audit").then().statusCode(400);
            admin().queryParam("device_id", "x").get("/admin/api/v1/audit").then().statusCode(400);
            admin().queryParam("transaction_id", UUID.randomUUID()).get("/admin/api/v1/audit")
                    .then().statusCode(200).body("events", empty());
        }

        @Test
        void eventsHaveTheDocumentedFields() {
            TestApi.createUser();
            admin().queryParam("limit", 1).get("/admin/api/v1/audit")
                    .then().statusCode(200)
                    .body("events[0].id", notNullValue())
                    .body("events[0].occurred_at", notNullValue())
                    .body("events[0].actor", equalTo("admin"))
                    .body("events[0].transaction_id", nullValue());
        }
    }
}
