package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hot path (transaction/HotPath): a client or device user seen once is served from memory
 * with one statement per request, and every statement checks again what memory says, so that a
 * disabled or deleted client, device, user or enrollment is refused at once, and a changed type
 * is seen at once.
 */
@QuarkusTest
class HotPathTest {

    private static final Pattern COUNTER = Pattern.compile(
            "qrauth_requests_total\\{path=\"(hot|full)\",step=\"(\\w+)\"\\} ([0-9.E]+)");

    @Test
    void aSecondFlowOfTheSameClientAndPhoneRunsEveryStepOnTheHotPath() {
        TestPortal portal = TestPortal.create();
        TestDevice phone = TestDevice.enrolled();
        portal.answeredBy(phone, true);
        Map<String, Double> before = counters();

        String transactionId = portal.answeredBy(phone, true);
        portal.result(transactionId).then().statusCode(200).body("is_authenticated", equalTo(true))
                .body("user_id", equalTo(phone.userId()));

        Map<String, Double> after = counters();
        for (String step : new String[] {"initiate", "fetch", "answer", "result"}) {
            assertThat(delta(before, after, "hot", step)).as("hot " + step).isEqualTo(1.0);
            assertThat(delta(before, after, "full", step)).as("full " + step).isZero();
        }
    }

    @Test
    void aClientDisabledAfterItWasRememberedIsRefusedAtOnce() {
        TestPortal portal = TestPortal.create();
        String transactionId = portal.initiate().path("transaction_id");
        portal.result(transactionId).then().statusCode(200);

        admin().body(Map.of("enabled", false)).patch("/admin/api/v1/clients/{id}", portal.client.clientId())
                .then().statusCode(200);

        portal.result(transactionId).then().statusCode(401);
        portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK)).then().statusCode(401);
    }

    @Test
    void aRotatedSecretStopsWorkingWhenItsOverlapEndsThoughItWasRemembered() {
        TestPortal portal = TestPortal.create();
        String transactionId = portal.initiate().path("transaction_id");
        portal.result(transactionId).then().statusCode(200);

        admin().body(Map.of("overlap_seconds", 0)).post("/admin/api/v1/clients/{id}/secrets", portal.client.clientId())
                .then().statusCode(201);

        portal.result(transactionId).then().statusCode(401);
    }

    @Test
    void aUserDisenrolledAfterTheSessionWasRememberedCannotFetchOrAnswer() {
        TestPortal portal = TestPortal.create();
        TestDevice phone = TestDevice.enrolled();
        portal.answeredBy(phone, true);
        Response started = portal.initiate();
        MobileAuthMessage message = phone.fetch(started.path("otp"));

        admin().post("/admin/api/v1/users/{u}/disenroll", phone.userId()).then().statusCode(200);

        phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(403)
                .body("error", equalTo("USER_DISENROLLED"));
        portal.result(started.path("transaction_id")).then().statusCode(200).body("is_authenticated", equalTo(false));
        phone.fetchRaw(portal.initiate().path("otp")).then().statusCode(403).body("error", equalTo("USER_DISENROLLED"));
    }

    @Test
    void aDeviceDeletedAfterTheSessionWasRememberedIsRefusedAtOnce() {
        TestPortal portal = TestPortal.create();
        TestDevice phone = TestDevice.enrolled();
        portal.answeredBy(phone, true);
        Response started = portal.initiate();

        phone.registered.device().auth().delete("/device/api/v1/devices/self").then().statusCode(204);

        phone.fetchRaw(started.path("otp")).then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
        portal.result(started.path("transaction_id")).then().statusCode(200).body("status", equalTo("PENDING"));
    }

    @Test
    void aLoggedOutSessionIsRefusedAtOnce() {
        TestPortal portal = TestPortal.create();
        TestDevice phone = TestDevice.enrolled();
        portal.answeredBy(phone, true);

        phone.registered.session(phone.accessToken).delete("/device/api/v1/users/{u}/session", phone.userId())
                .then().statusCode(204);

        phone.fetchRaw(portal.initiate().path("otp")).then().statusCode(401)
                .body("error", equalTo("USER_NOT_AUTHENTICATED"));
    }

    @Test
    void aTypeChangedAfterItWasRememberedIsUsedAsChanged() {
        TestPortal portal = TestPortal.create();
        portal.initiate();
        admin().body(Map.of("time_to_live_seconds", 30)).patch("/admin/api/v1/mobile-auth-types/{name}", portal.loginType)
                .then().statusCode(200);

        Response started = portal.initiate();

        assertThat(((Number) started.path("time_to_live")).longValue()).isEqualTo(30_000L);
    }

    @Test
    void aDeletedTypeIsNotFoundAtOnce() {
        TestPortal portal = TestPortal.create();
        portal.initiate();
        admin().delete("/admin/api/v1/mobile-auth-types/{name}", portal.loginType).then().statusCode(204);

        portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK))
                .then().statusCode(404).body("error_code", equalTo("3005"));
    }

    @Test
    void aCallbackUriRemovedFromTheAllowListIsRefusedAtOnce() {
        TestPortal portal = TestPortal.create();
        portal.initiate();
        admin().body(Map.of("callback_uris", java.util.List.of("https://portal.example/other")))
                .patch("/admin/api/v1/clients/{id}", portal.client.clientId()).then().statusCode(200);

        portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK, "message", "Log in"))
                .then().statusCode(400).body("error_message", org.hamcrest.Matchers.containsString("allow-list"));
    }

    @Test
    void textPostgreSQLRefusesIsABadRequestOnTheHotPathToo() {
        TestPortal portal = TestPortal.create();
        portal.initiate();

        portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK, "message", "Log in",
                "user_agent", "Mozilla/5.0 \u0000")).then().statusCode(400).body("error_code", equalTo("1003"));
    }

    private static Map<String, Double> counters() {
        Map<String, Double> values = new java.util.HashMap<>();
        Matcher matcher = COUNTER.matcher(TestApi.metrics());
        while (matcher.find()) {
            values.put(matcher.group(1) + " " + matcher.group(2), Double.parseDouble(matcher.group(3)));
        }
        return values;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String path, String step) {
        String key = path + " " + step;
        return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }
}
