package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpPayload;
import dev.qrauth.testkit.CallbackInbox;
import dev.qrauth.testkit.ServerProcess;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The audit events of refusals and of a transaction's life (docs/PROTOCOL.md, "Audit events"). */
@QuarkusTest
class AuditEventsTest {

    private static final String AUDIT = "/admin/api/v1/audit";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    AgroalDataSource dataSource;

    private static List<Map<String, Object>> events(String filter, Object value, String type) {
        return admin().queryParam(filter, value).queryParam("type", type).get(AUDIT)
                .then().statusCode(200).extract().path("events");
    }

    /** Polls {@code check} until it is non-empty; fails when {@code WAIT} passes first. */
    private static <T extends List<?>> T await(Supplier<T> check) {
        return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(check::get, result -> !result.isEmpty());
    }

    @Test
    void failedAuthenticationsAreAuditedWithoutTheSecret() {
        Instant start = Instant.now().minusSeconds(1);
        TestApi.Client client = TestApi.createClient();
        TestApi.DeviceCredentials device = TestApi.registerDevice();

        given().auth().preemptive().basic(client.clientId(), "wrong-client-secret-1")
                .get("/oauth/api/v4/authenticate/transaction/{id}", UUID.randomUUID()).then().statusCode(401);
        given().auth().preemptive().basic(device.deviceId(), "wrong-device-secret-2").contentType(ContentType.JSON)
                .body(Map.of("user_id", "u", "activation_code", "x", "pin", "13579"))
                .post("/device/api/v1/users").then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong-admin-password-3").get("/admin/api/v1/mobile-auth-types")
                .then().statusCode(401);
        String unknownId = "secret-typed-as-a-name-" + UUID.randomUUID();
        given().auth().preemptive().basic(unknownId, "x")
                .get("/oauth/api/v4/authenticate/transaction/{id}", UUID.randomUUID()).then().statusCode(401);

        List<Map<String, Object>> byClient = events("client_id", client.clientId(), "AUTHENTICATION_FAILED");
        assertThat(byClient).singleElement().satisfies(event -> {
            assertThat(event).containsEntry("actor", "client:" + client.clientId());
            assertThat((String) event.get("details")).startsWith("client authentication failed: wrong secret");
        });
        assertThat(events("device_id", device.deviceId(), "AUTHENTICATION_FAILED")).singleElement()
                .satisfies(event -> assertThat(event).containsEntry("actor", "device:" + device.deviceId()));
        List<Map<String, Object>> recent = admin().queryParam("type", "AUTHENTICATION_FAILED")
                .queryParam("from", start.toString()).queryParam("limit", 1000).get(AUDIT)
                .then().statusCode(200).extract().path("events");
        assertThat(recent).anySatisfy(event -> {
            assertThat(event).containsEntry("actor", "admin");
            assertThat((String) event.get("details")).startsWith("admin authentication failed: wrong secret");
        });
        assertThat(recent).anySatisfy(event -> {
            assertThat(event).containsEntry("actor", "unknown");
            assertThat((String) event.get("details")).startsWith("client authentication failed: unknown id");
        });
        assertThat(recent.toString()).doesNotContain("wrong-client-secret-1", "wrong-device-secret-2",
                "wrong-admin-password-3", unknownId);
    }

    @Test
    void aRefusedActivationCodeIsAuditedWithoutTheCode() {
        TestApi.Code user = TestApi.createUser();
        TestApi.DeviceCredentials device = TestApi.registerDevice();
        String wrongCode = user.activationCode().substring(1) + "x";

        device.auth().body(Map.of("user_id", user.userId(), "activation_code", wrongCode, "pin", TestApi.PIN))
                .post("/device/api/v1/users").then().statusCode(400).body("error", equalTo("INVALID_ACTIVATION_CODE"));

        List<Map<String, Object>> refused = events("user_id", user.userId(), "ACTIVATION_CODE_REFUSED");
        assertThat(refused).singleElement().satisfies(event -> {
            assertThat(event).containsEntry("device_id", device.deviceId());
            assertThat(event.toString()).doesNotContain(wrongCode);
        });
    }

    @Test
    void refusedFetchesAreAuditedAndTheStartOfRateLimitingOnce() {
        TestDevice phone = TestDevice.enrolled();
        String deviceId = phone.registered.device().deviceId();
        String unknown = OtpCodec.encode(new OtpPayload(UUID.randomUUID(), "A".repeat(43)));
        phone.fetchRaw("not an otp").then().statusCode(400);
        for (int i = 1; i < 10; i++) {
            phone.fetchRaw(unknown).then().statusCode(404);
        }
        phone.fetchRaw(unknown).then().statusCode(429);
        phone.fetchRaw(unknown).then().statusCode(429);

        assertThat(events("device_id", deviceId, "FETCH_REFUSED")).hasSize(10);
        assertThat(events("device_id", deviceId, "FETCH_RATE_LIMITED")).singleElement()
                .satisfies(event -> assertThat(event).containsEntry("user_id", phone.userId()));
    }

    @Test
    void aTransactionsLifeIsAudited() {
        TestPortal portal = TestPortal.create();
        TestDevice phone = TestDevice.enrolled();
        Response started = portal.initiate();
        String id = started.path("transaction_id");
        phone.fetch(started.path("otp"));
        portal.client.auth().delete("/oauth/api/v4/authenticate/transaction/{id}", id).then().statusCode(204);

        admin().queryParam("transaction_id", id).get(AUDIT).then()
                .body("events.event_type", equalTo(List.of("TRANSACTION_CANCELLED", "TRANSACTION_SCANNED",
                        "TRANSACTION_INITIATED")))
                .body("events.client_id", everyItem(equalTo(portal.client.clientId())))
                .body("events[1].actor", equalTo("device:" + phone.registered.device().deviceId()))
                .body("events[1].user_id", equalTo(phone.userId()))
                .body("events[2].actor", equalTo("client:" + portal.client.clientId()))
                .body("events[2].details", equalTo("type " + portal.loginType));
    }

    @Test
    void anExpiryIsAuditedByTheSweep() throws Exception {
        TestPortal portal = TestPortal.create();
        String id = portal.initiate().path("transaction_id");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE mobile_auth_transaction "
                     + "SET expires_at = now() - interval '1 second' WHERE transaction_id = ?")) {
            update.setObject(1, UUID.fromString(id));
            update.executeUpdate();
        }
        List<Map<String, Object>> expired = await(() -> events("transaction_id", id, "TRANSACTION_EXPIRED"));
        assertThat(expired).singleElement().satisfies(event -> assertThat(event)
                .containsEntry("actor", "system").containsEntry("client_id", portal.client.clientId()));
    }

    @Test
    void anAbandonedCallbackIsAudited() {
        // No allow-list and a loopback address: the callback is refused before anything is sent.
        String uri = CallbackInbox.uriOn(ServerProcess.freePort());
        TestPortal portal = TestPortal.create(List.of(), null, null, false);
        TestDevice phone = TestDevice.enrolled();
        Response started = portal.initiate(portal.loginType, uri);
        String id = started.path("transaction_id");
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200);

        List<Map<String, Object>> abandoned = await(() -> events("transaction_id", id, "CALLBACK_ABANDONED"));
        assertThat(abandoned).singleElement().satisfies(event -> {
            assertThat(event).containsEntry("actor", "system").containsEntry("client_id", portal.client.clientId());
            assertThat((String) event.get("details")).startsWith("CONFIRMED callback abandoned after 1 attempts: "
                    + "callback address refused");
        });
    }
}
