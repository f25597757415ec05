package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.testkit.CallbackInbox;
import dev.qrauth.testkit.ServerProcess;
import dev.qrauth.tokenserver.callback.CallbackSenders;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin API's API clients: list, read, change, disable, rotate, delete (docs/PROTOCOL.md, Admin API). */
@QuarkusTest
class ClientAdminApiTest {

    static final String CLIENTS = "/admin/api/v1/clients";
    static final String CLIENT = "/admin/api/v1/clients/{id}";
    static final String SECRETS = "/admin/api/v1/clients/{id}/secrets";
    static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CallbackSenders senders;

    @ParameterizedTest
    @CsvSource({"GET,/admin/api/v1/clients", "PATCH,/admin/api/v1/clients/x", "POST,/admin/api/v1/clients/x/secrets"})
    void theNewEndpointsNeedTheAdminsCredentials(String method, String path) {
        given().contentType(ContentType.JSON).body("{}").request(method, path)
                .then().statusCode(401).body("error", equalTo("unauthorized"));
        given().auth().preemptive().basic("admin", "wrong").contentType(ContentType.JSON).body("{}")
                .request(method, path).then().statusCode(401).body("error", equalTo("unauthorized"));
    }

    @Nested
    class Listing {
        @Test
        void listsEveryClientByNameWithoutSecrets() {
            TestApi.Client first = TestApi.createClient();
            TestApi.Client second = TestApi.createClient();
            String listing = admin().get(CLIENTS).then().statusCode(200)
                    .body("client_id", hasItems(first.clientId(), second.clientId()))
                    .body("find { it.client_id == '" + first.clientId() + "' }.enabled", equalTo(true))
                    .extract().asString();
            assertThat(listing).doesNotContain(first.secret(), first.signingSecret(), second.secret(), "secret\"");
            List<String> names = JsonPath.from(listing).getList("name");
            assertThat(names).isSorted();
        }
    }

    @Nested
    class Changing {
        @Test
        void changesEveryMemberGivenAndLeavesTheOthers() {
            TestApi.Client client = TestApi.createClient();
            String name = admin().get(CLIENT, client.clientId()).then().extract().path("name");
            Map<String, Object> change = new HashMap<>();
            change.put("display_name", "Renamed Portal");
            change.put("callback_uris", List.of("https://portal.example/new-cb"));
            change.put("callback_username", "cb-user");
            change.put("callback_password", "cb-password");
            change.put("callback_on_scan", true);
            String answer = admin().body(change).patch(CLIENT, client.clientId())
                    .then().statusCode(200)
                    .body("name", equalTo(name))
                    .body("display_name", equalTo("Renamed Portal"))
                    .body("callback_uris", equalTo(List.of("https://portal.example/new-cb")))
                    .body("callback_username", equalTo("cb-user"))
                    .body("callback_on_scan", equalTo(true))
                    .body("enabled", equalTo(true))
                    .body("updated_at", notNullValue())
                    .extract().asString();
            assertThat(answer).doesNotContain("cb-password");
            admin().get(CLIENT, client.clientId()).then().statusCode(200)
                    .body("display_name", equalTo("Renamed Portal")).body("callback_on_scan", equalTo(true));
            assertThat(auditOf(client.clientId())).contains("CLIENT_UPDATED");

            admin().body("{\"callback_username\":null,\"callback_password\":null,\"name\":\"" + name + "-2\"}")
                    .patch(CLIENT, client.clientId())
                    .then().statusCode(200).body("callback_username", nullValue()).body("name", equalTo(name + "-2"))
                    .body("display_name", equalTo("Renamed Portal"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{}",
                "{\"colour\":\"blue\"}",
                "{\"display_name\":\"Fine\",\"colour\":\"blue\"}",
                "{\"display_name\":\"\"}",
                "{\"display_name\":null}",
                "{\"display_name\":\"A\\u202eB\"}",
                "{\"name\":\"bad name\"}",
                "{\"name\":null}",
                "{\"callback_uris\":null}",
                "{\"callback_uris\":\"https://host/cb\"}",
                "{\"callback_uris\":[\"ftp://host/cb\"]}",
                "{\"callback_uris\":[\"/relative\"]}",
                "{\"callback_uris\":[\"https://u:p@host/cb\"]}",
                "{\"callback_uris\":[\"https://host/cb#frag\"]}",
                "{\"callback_username\":\"only-user\"}",
                "{\"callback_username\":\"a:b\",\"callback_password\":\"p\"}",
                "{\"callback_username\":null,\"callback_password\":\"p\"}",
                "{\"callback_on_scan\":null}",
                "{\"callback_on_scan\":1}",
                "{\"enabled\":\"no\"}",
                "{\"enabled\":null}",
                "{\"display_name\":\"X\",\"display_name\":\"Y\"}",
                "not json",
                "[]"})
        void badChangesAreRefusedAndChangeNothing(String body) {
            TestApi.Client client = TestApi.createClient();
            String before = admin().get(CLIENT, client.clientId()).then().statusCode(200).extract().asString();
            admin().body(body).patch(CLIENT, client.clientId())
                    .then().statusCode(400).body("error", equalTo("invalid_request"))
                    .body("error_message", notNullValue());
            assertThat(admin().get(CLIENT, client.clientId()).then().statusCode(200).extract().asString())
                    .isEqualTo(before);
            authenticated(client, true);
        }

        @Test
        void anEmptyBodyIsRefused() {
            TestApi.Client client = TestApi.createClient();
            admin().patch(CLIENT, client.clientId()).then().statusCode(400).body("error", equalTo("invalid_request"));
        }

        @Test
        void unknownClientsAreNotFoundAndTakenNamesConflict() {
            admin().body(Map.of("display_name", "X")).patch(CLIENT, "nope")
                    .then().statusCode(404).body("error", equalTo("not_found"));
            TestApi.Client first = TestApi.createClient();
            TestApi.Client second = TestApi.createClient();
            String taken = admin().get(CLIENT, first.clientId()).then().extract().path("name");
            String before = admin().get(CLIENT, second.clientId()).then().extract().asString();
            admin().body(Map.of("name", taken, "display_name", "Changed")).patch(CLIENT, second.clientId())
                    .then().statusCode(409).body("error", equalTo("conflict"));
            assertThat(admin().get(CLIENT, second.clientId()).then().extract().asString()).isEqualTo(before);
        }
    }

    @Nested
    class Disabling {
        @Test
        void aDisabledClientIsRefusedAtOnceEvenRightAfterASuccessfulAuthentication() {
            TestPortal portal = TestPortal.create();
            // Accepted, so this node now remembers the secret as verified.
            String transactionId = portal.initiate().path("transaction_id");
            portal.result(transactionId).then().statusCode(200);

            admin().body(Map.of("enabled", false)).patch(CLIENT, portal.client.clientId())
                    .then().statusCode(200).body("enabled", equalTo(false));

            portal.result(transactionId).then().statusCode(401).body("error", equalTo("invalid_client"))
                    .body("error_description", equalTo("Client authentication failed"));
            portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK))
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
            assertThat(auditOf(portal.client.clientId())).contains("CLIENT_DISABLED");

            admin().body(Map.of("enabled", true)).patch(CLIENT, portal.client.clientId())
                    .then().statusCode(200).body("enabled", equalTo(true));
            // Its open transaction was cancelled by the disabling, and stays cancelled.
            portal.result(transactionId).then().statusCode(200)
                    .body("status", equalTo("CANCELLED"));
            portal.initiate();
            assertThat(auditOf(portal.client.clientId())).contains("CLIENT_ENABLED");
        }

        @Test
        void aPhoneCannotFetchATransactionOfADisabledClient() throws Exception {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate();
            String transactionId = started.path("transaction_id");
            admin().body(Map.of("enabled", false)).patch(CLIENT, portal.client.clientId()).then().statusCode(200);
            phone.fetchRaw(started.path("otp")).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
            // Even one left open (by an initiation racing the disabling) cannot be fetched.
            execute("UPDATE mobile_auth_transaction SET status = 'PENDING', finished_at = NULL, reason = NULL "
                    + "WHERE transaction_id = '" + transactionId + "'");
            phone.fetchRaw(started.path("otp")).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        }

        @Test
        void aDisabledClientsUndeliveredCallbacksAreAbandoned() throws Exception {
            int port = ServerProcess.freePort();
            String uri = CallbackInbox.uriOn(port);
            TestPortal portal = TestPortal.create(List.of(uri), null, null, false);
            String transactionId = confirmFlow(portal, uri);
            awaitOutbox(transactionId, "attempts > 0");
            admin().body(Map.of("enabled", false)).patch(CLIENT, portal.client.clientId()).then().statusCode(200);
            try (CallbackInbox receiver = CallbackInbox.startOn(port)) {
                awaitOutbox(transactionId, "abandoned_at IS NOT NULL AND last_error = 'the client is disabled'");
                assertThat(receiver.all()).isEmpty();
            }
        }
    }

    @Nested
    class Rotating {
        @Test
        void theOldSecretWorksDuringTheOverlapAndNotAfter() throws Exception {
            TestPortal portal = TestPortal.create();
            TestApi.Client old = portal.client;
            authenticated(old, true);

            Response rotated = admin().body(Map.of("overlap_seconds", 3600)).post(SECRETS, old.clientId())
                    .then().statusCode(201)
                    .header("Cache-Control", org.hamcrest.Matchers.containsString("no-store"))
                    .body("client_id", equalTo(old.clientId()))
                    .body("client_secret", matchesPattern("[A-Za-z0-9_-]{43}"))
                    .body("callback_signing_secret", matchesPattern("[A-Za-z0-9_-]{43}"))
                    .body("rotation_overlap_until", notNullValue())
                    .extract().response();
            TestApi.Client renewed = new TestApi.Client(old.clientId(), rotated.path("client_secret"),
                    rotated.path("callback_signing_secret"));
            assertThat(renewed.secret()).isNotEqualTo(old.secret());
            assertThat(renewed.signingSecret()).isNotEqualTo(old.signingSecret());
            Instant until = Instant.parse(rotated.path("rotation_overlap_until"));
            assertThat(until).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
            admin().get(CLIENT, old.clientId()).then().body("rotation_overlap_until", notNullValue());

            authenticated(old, true);
            authenticated(renewed, true);

            execute("UPDATE api_client SET previous_secrets_until = now() - interval '1 second' "
                    + "WHERE client_id = '" + old.clientId() + "'");
            // Refused although this node verified it moments ago.
            authenticated(old, false);
            authenticated(renewed, true);
            admin().get(CLIENT, old.clientId()).then().body("rotation_overlap_until", nullValue());
            String audit = auditOf(old.clientId());
            assertThat(audit).contains("CLIENT_SECRETS_ROTATED").doesNotContain(renewed.secret(), old.secret());
        }

        @Test
        void withoutAnOverlapTheOldSecretStopsAtOnceAndAnEarlierOneStopsAtTheNextRotation() {
            TestPortal portal = TestPortal.create();
            TestApi.Client first = portal.client;
            TestApi.Client second = rotate(first, "{\"overlap_seconds\":3600}");
            authenticated(first, true);
            TestApi.Client third = rotate(first, "{\"overlap_seconds\":3600}");
            authenticated(first, false);
            authenticated(second, true);
            TestApi.Client fourth = rotate(first, "{\"overlap_seconds\":0}");
            authenticated(second, false);
            authenticated(third, false);
            authenticated(fourth, true);
            admin().get(CLIENT, first.clientId()).then().body("rotation_overlap_until", nullValue());
        }

        @Test
        void withoutABodyTheOverlapIsTheConfiguredDefault() {
            TestApi.Client client = TestApi.createClient();
            String until = admin().post(SECRETS, client.clientId()).then().statusCode(201)
                    .extract().path("rotation_overlap_until");
            assertThat(Instant.parse(until)).isBetween(Instant.now().plus(Duration.ofHours(23)),
                    Instant.now().plus(Duration.ofHours(25)));
            authenticated(client, true);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"overlap_seconds\":-1}", "{\"overlap_seconds\":2592001}",
                "{\"overlap_seconds\":\"60\"}", "{\"overlap_seconds\":1.5}", "{\"overlap\":60}", "not json"})
        void badRotationsAreRefusedAndChangeNothing(String body) {
            TestApi.Client client = TestApi.createClient();
            admin().body(body).post(SECRETS, client.clientId())
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
            authenticated(client, true);
            admin().get(CLIENT, client.clientId()).then().body("rotation_overlap_until", nullValue());
        }

        @Test
        void anUnknownClientIsNotFound() {
            admin().body("{\"overlap_seconds\":60}").post(SECRETS, "nope").then().statusCode(404)
                    .body("error", equalTo("not_found"));
        }

        @Test
        void duringTheOverlapCallbacksCarryASignatureForEachSigningSecret() throws Exception {
            try (CallbackInbox receiver = CallbackInbox.start()) {
                TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
                TestApi.Client renewed = rotate(portal.client, "{\"overlap_seconds\":3600}");
                String transactionId = confirmFlow(portal, receiver.uri());
                CallbackInbox.Delivery callback = receiver.await(transactionId, "CONFIRMED", WAIT).orElseThrow();
                String header = callback.headers().get("x-signature");
                byte[] body = callback.body();
                assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
                assertThat(verify(portal.client.signingSecret(), header, body)).isEqualTo(CallbackSignature.Outcome.VALID);
                assertThat(verify(renewed.signingSecret(), header, body)).isEqualTo(CallbackSignature.Outcome.VALID);

                execute("UPDATE api_client SET previous_secrets_until = now() - interval '1 second' "
                        + "WHERE client_id = '" + renewed.clientId() + "'");
                // A change made behind the admin API's back is announced as the admin API does.
                senders.invalidate(renewed.clientId());
                String later = confirmFlow(portal, receiver.uri(), renewed);
                CallbackInbox.Delivery after = receiver.await(later, "CONFIRMED", WAIT).orElseThrow();
                String single = after.headers().get("x-signature");
                byte[] laterBody = after.body();
                assertThat(single).matches("t=\\d+,v1=[0-9a-f]{64}");
                assertThat(verify(renewed.signingSecret(), single, laterBody)).isEqualTo(CallbackSignature.Outcome.VALID);
                assertThat(verify(portal.client.signingSecret(), single, laterBody))
                        .isEqualTo(CallbackSignature.Outcome.MISMATCH);
            }
        }
    }

    @Nested
    class Deleting {
        @Test
        void aClientWithOpenTransactionsIsKeptUntilDisabled() {
            TestPortal portal = TestPortal.create();
            String transactionId = portal.initiate().path("transaction_id");
            admin().delete(CLIENT, portal.client.clientId()).then().statusCode(409).body("error", equalTo("conflict"));
            portal.result(transactionId).then().statusCode(200).body("status", equalTo("PENDING"));

            admin().body(Map.of("enabled", false)).patch(CLIENT, portal.client.clientId()).then().statusCode(200);
            admin().delete(CLIENT, portal.client.clientId()).then().statusCode(204);
            admin().get(CLIENT, portal.client.clientId()).then().statusCode(404);
            assertThat(auditOf(portal.client.clientId())).contains("CLIENT_DELETED");
        }

        @Test
        void aDeletedClientIsRefusedEvenRightAfterASuccessfulAuthentication() {
            TestApi.Client client = TestApi.createClient();
            authenticated(client, true);
            admin().delete(CLIENT, client.clientId()).then().statusCode(204);
            authenticated(client, false);
            admin().body(Map.of("enabled", true)).patch(CLIENT, client.clientId()).then().statusCode(404);
            admin().post(SECRETS, client.clientId()).then().statusCode(404);
            admin().delete(CLIENT, client.clientId()).then().statusCode(404);
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheEndpointsAndTheirAuthentication() {
        JsonPath document = admin().accept(ContentType.JSON).get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        assertThat(document.getString("components.securitySchemes.admin.type"))
                .as(() -> document.prettify().substring(0, Math.min(3000, document.prettify().length())))
                .isEqualTo("http");
        assertThat(document.getString("components.securitySchemes.admin.scheme")).isEqualTo("basic");
        for (String operation : List.of("'/admin/api/v1/clients'.get", "'/admin/api/v1/clients'.post",
                "'/admin/api/v1/clients/{client_id}'.get", "'/admin/api/v1/clients/{client_id}'.patch",
                "'/admin/api/v1/clients/{client_id}'.delete", "'/admin/api/v1/clients/{client_id}/secrets'.post")) {
            assertThat(document.getString("paths." + operation + ".summary")).as(operation).isNotBlank();
            assertThat(document.getString("paths." + operation + ".description")).as(operation).isNotBlank();
            assertThat(document.getList("paths." + operation + ".security.admin")).as(operation).isNotNull();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * A portal API call that only authenticates: an unknown transaction is {@code 404} to an
     * accepted client and {@code 401} to a refused one.
     */
    private static io.restassured.response.ValidatableResponse authenticated(TestApi.Client client, boolean accepted) {
        var response = client.auth().get("/oauth/api/v4/authenticate/transaction/{id}", UUID.randomUUID()).then();
        return accepted ? response.statusCode(404).body("error_code", equalTo("3004"))
                : response.statusCode(401).body("error", equalTo("invalid_client"));
    }

    private static TestApi.Client rotate(TestApi.Client client, String body) {
        Response rotated = admin().body(body).post(SECRETS, client.clientId()).then().statusCode(201).extract().response();
        return new TestApi.Client(client.clientId(), rotated.path("client_secret"), rotated.path("callback_signing_secret"));
    }

    private static CallbackSignature.Outcome verify(String secret, String header, byte[] body) {
        return CallbackSignature.verify(secret, header, body, Instant.now(), CallbackSignature.DEFAULT_TOLERANCE);
    }

    private static String confirmFlow(TestPortal portal, String callbackUri) {
        return confirmFlow(portal, callbackUri, portal.client);
    }

    private static String confirmFlow(TestPortal portal, String callbackUri, TestApi.Client as) {
        TestDevice phone = TestDevice.enrolled();
        Response started = as.auth().contentType(ContentType.URLENC)
                .formParams(Map.of("type", portal.loginType, "callback_uri", callbackUri, "message", "Log in"))
                .post("/oauth/api/v4/authenticate/user").then().statusCode(200).extract().response();
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200);
        return started.path("transaction_id");
    }

    private static String auditOf(String clientId) {
        return admin().queryParam("limit", 1000).get("/admin/api/v1/audit").then().statusCode(200).extract().jsonPath()
                .getList("events.findAll { it.client_id == '" + clientId + "' }.event_type").toString();
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    private void awaitOutbox(String transactionId, String condition) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement query = connection.prepareStatement(
                         "SELECT 1 FROM callback_outbox WHERE transaction_id = ? AND " + condition)) {
                query.setObject(1, UUID.fromString(transactionId));
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no outbox row of " + transactionId + " with " + condition + " within " + WAIT);
    }
}
