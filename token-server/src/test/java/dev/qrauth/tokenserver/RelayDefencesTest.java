package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import dev.qrauth.protocol.message.DenyReason;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.Proximity;
import dev.qrauth.tokenserver.transaction.Transactions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The defences against a relayed QR code (QRLJacking): the proximity of the phone to the browser
 * and the type's policy on it, and reverse code entry. {@code docs/PROTOCOL.md}, "Proximity" and
 * "Reverse code entry". The test phone fetches from 127.0.0.1.
 */
@QuarkusTest
class RelayDefencesTest {

    static final String PHONE_ADDRESS = "127.0.0.1";

    @Inject
    AgroalDataSource dataSource;

    TestPortal portal;
    TestDevice phone;

    @BeforeEach
    void portalAndPhone() {
        portal = TestPortal.create();
        phone = TestDevice.enrolled();
    }

    /** Creates a type with {@code options} besides a name, OTP and two minutes; returns its name. */
    static String createType(Map<String, Object> options) {
        Map<String, Object> request = new HashMap<>(options);
        String name = unique("relay");
        request.putAll(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 120, "default_message", "Log in"));
        admin().body(request).post("/admin/api/v1/mobile-auth-types").then().statusCode(201)
                .body("proximity", equalTo(options.getOrDefault("proximity", "off")))
                .body("reverse_code", equalTo(options.getOrDefault("reverse_code", false)));
        return name;
    }

    Response start(String type, String browserAddress) {
        Map<String, String> form = new HashMap<>(Map.of("type", type, "callback_uri", TestPortal.CALLBACK,
                "message", "Log in to Example"));
        if (browserAddress != null) {
            form.put("ip_address", browserAddress);
        }
        return portal.initiateRaw(form).then().statusCode(200).extract().response();
    }

    List<String> callbackStatuses(String transactionId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT status FROM callback_outbox WHERE transaction_id = ? ORDER BY id")) {
            query.setObject(1, UUID.fromString(transactionId));
            List<String> statuses = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    statuses.add(rows.getString(1));
                }
            }
            return statuses;
        }
    }

    @Nested
    class Proximities {

        Proximity toldToThePhone(String browserAddress) {
            String type = createType(Map.of("proximity", "warn"));
            Response started = start(type, browserAddress);
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            Proximity proximity = message.context().proximity();
            portal.result(started.path("transaction_id")).then().statusCode(200)
                    .body("proximity", equalTo(proximity.wireName()));
            return proximity;
        }

        @Test
        void aPhoneAtTheBrowsersAddressIsOnTheSameNetwork() {
            assertThat(toldToThePhone(PHONE_ADDRESS)).isEqualTo(Proximity.SAME_ADDRESS);
        }

        @Test
        void aPhoneInTheBrowsersSlash24IsOnTheSameNetwork() {
            assertThat(toldToThePhone("127.0.0.77")).isEqualTo(Proximity.SAME_NETWORK);
        }

        @Test
        void aPhoneElsewhereIsOnAnotherNetwork() {
            assertThat(toldToThePhone("192.0.2.10")).isEqualTo(Proximity.OTHER_NETWORK);
            assertThat(toldToThePhone("2001:db8::10")).isEqualTo(Proximity.OTHER_NETWORK);
        }

        @Test
        void withoutTheBrowsersAddressProximityIsUnknown() {
            assertThat(toldToThePhone(null)).isEqualTo(Proximity.UNKNOWN);
        }

        @Test
        void aTypeWithoutAPolicyTellsThePhoneNothing() {
            String type = createType(Map.of());
            Response started = start(type, "192.0.2.10");
            assertThat(phone.fetch(started.path("otp")).context().proximity()).isNull();
            portal.result(started.path("transaction_id")).then().body("proximity", nullValue());
        }

        @Test
        void anUnknownPolicyIsRefused() {
            admin().body(Map.of("name", unique("relay"), "method", "OTP", "time_to_live_seconds", 120,
                            "proximity", "sometimes"))
                    .post("/admin/api/v1/mobile-auth-types").then().statusCode(400)
                    .body("error_message", containsString("proximity"));
        }
    }

    @Nested
    class Policies {

        @Test
        void requireRefusesAnApprovalFromAnotherNetworkAndSaysWhy() throws Exception {
            String type = createType(Map.of("proximity", "require"));
            Response started = start(type, "192.0.2.10");
            String transactionId = started.path("transaction_id");
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            assertThat(message.context().proximity()).isEqualTo(Proximity.OTHER_NETWORK);
            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200)
                    .body("status", equalTo("REJECTED"));
            portal.result(transactionId).then().statusCode(200)
                    .body("is_authenticated", equalTo(false)).body("status", equalTo("REJECTED"))
                    .body("not_authenticated_reason.reason", equalTo("not_accepted"))
                    .body("not_authenticated_reason.detail", equalTo("proximity"))
                    .body("not_authenticated_reason.description", containsString("same network"));
            assertThat(callbackStatuses(transactionId)).containsExactly("REJECTED");
        }

        @Test
        void requireAcceptsAnApprovalFromTheBrowsersNetwork() {
            String type = createType(Map.of("proximity", "require"));
            Response started = start(type, "127.0.0.200");
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200)
                    .body("status", equalTo("CONFIRMED"));
            portal.result(started.path("transaction_id")).then().body("is_authenticated", equalTo(true))
                    .body("proximity", equalTo("same_network"));
        }

        @Test
        void requireNeedsTheBrowsersAddress() {
            String type = createType(Map.of("proximity", "require"));
            portal.initiateRaw(Map.of("type", type, "callback_uri", TestPortal.CALLBACK, "message", "Log in"))
                    .then().statusCode(400).body("error_code", equalTo("1003"));
        }

        @Test
        void warnLetsAnApprovalFromAnotherNetworkThroughAndReportsIt() {
            String type = createType(Map.of("proximity", "warn"));
            Response started = start(type, "192.0.2.10");
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            assertThat(message.context().proximity()).isEqualTo(Proximity.OTHER_NETWORK);
            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200)
                    .body("status", equalTo("CONFIRMED"));
            portal.result(started.path("transaction_id")).then().body("is_authenticated", equalTo(true))
                    .body("proximity", equalTo("other_network"));
        }
    }

    @Nested
    class ReverseCode {

        String type;
        String transactionId;
        MobileAuthMessage message;

        @BeforeEach
        void scanned() {
            type = createType(Map.of("reverse_code", true, "proximity", "warn"));
            Response started = start(type, PHONE_ADDRESS);
            assertThat((Boolean) started.path("reverse_code")).isTrue();
            transactionId = started.path("transaction_id");
            message = phone.fetch(started.path("otp"));
        }

        String approve() {
            String code = phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200)
                    .body("status", equalTo("SCANNED")).extract().path("reverse_code");
            assertThat(code).matches("\\d{6}");
            return code;
        }

        Response submit(String code) {
            return portal.client.auth().contentType(io.restassured.http.ContentType.URLENC).formParam("code", code)
                    .post("/oauth/api/v4/authenticate/transaction/{id}/reverse-code", transactionId);
        }

        static String wrong(String code) {
            return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
        }

        @Test
        void theRightCodeCompletesTheLoginAndOnlyThenIsItCalledBack() throws Exception {
            String code = approve();
            portal.result(transactionId).then().statusCode(200)
                    .body("status", equalTo("SCANNED")).body("is_authenticated", equalTo(false))
                    .body("awaiting_reverse_code", equalTo(true)).body("reverse_code_attempts_left", equalTo(3));
            assertThat(callbackStatuses(transactionId)).containsExactly("SCANNED");

            submit(code.substring(0, 3) + " " + code.substring(3)).then().statusCode(200)
                    .body("status", equalTo("CONFIRMED")).body("is_authenticated", equalTo(true))
                    .body("user_id", equalTo(phone.userId())).body("awaiting_reverse_code", nullValue());
            assertThat(callbackStatuses(transactionId)).containsExactly("SCANNED", "CONFIRMED");
        }

        @Test
        void aWrongCodeCountsDownAndTheThirdRejects() throws Exception {
            String code = approve();
            submit(wrong(code)).then().statusCode(200).body("status", equalTo("SCANNED"))
                    .body("reverse_code_attempts_left", equalTo(2));
            submit(wrong(code)).then().statusCode(200).body("reverse_code_attempts_left", equalTo(1));
            submit(wrong(code)).then().statusCode(200).body("status", equalTo("REJECTED"))
                    .body("is_authenticated", equalTo(false))
                    .body("not_authenticated_reason.reason", equalTo("not_accepted"))
                    .body("not_authenticated_reason.detail", equalTo("reverse_code"));
            // Exhausted: not even the right code completes it now.
            submit(code).then().statusCode(409).body("error_code", equalTo("9001"));
            portal.result(transactionId).then().body("status", equalTo("REJECTED"));
            assertThat(callbackStatuses(transactionId)).containsExactly("SCANNED", "REJECTED");
        }

        @Test
        void aCodeIsNotAcceptedTwiceNorTheApprovalReplayed() {
            String code = approve();
            // The approval again: it is already handled, and mints no second code.
            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(409)
                    .body("error", equalTo("ALREADY_HANDLED"));
            submit(code).then().statusCode(200).body("status", equalTo("CONFIRMED"));
            submit(code).then().statusCode(409).body("error_code", equalTo("9001"));
        }

        @Test
        void ofTwoConcurrentSubmissionsOfTheCodeExactlyOneCompletes() throws Exception {
            String code = approve();
            int submissions = 6;
            ExecutorService pool = Executors.newFixedThreadPool(submissions);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Response>> answers = new ArrayList<>();
                for (int i = 0; i < submissions; i++) {
                    // Fewer wrong codes than reject the transaction (so the right one always
                    // completes, in any order), the rest the right code: exactly one completes,
                    // and no wrong one counts after it.
                    String typed = i < Transactions.MAX_REVERSE_CODE_ATTEMPTS - 1 ? wrong(code) : code;
                    Callable<Response> submitOne = () -> {
                        go.await();
                        return submit(typed);
                    };
                    answers.add(pool.submit(submitOne));
                }
                go.countDown();
                int confirmed = 0;
                int refused = 0;
                for (Future<Response> answer : answers) {
                    Response response = answer.get(30, TimeUnit.SECONDS);
                    if (response.statusCode() == 200 && "CONFIRMED".equals(response.path("status"))) {
                        confirmed++;
                    } else if (response.statusCode() == 409) {
                        refused++;
                    } else {
                        assertThat(response.statusCode()).isEqualTo(200);
                        assertThat((String) response.path("status")).isEqualTo("SCANNED");
                    }
                }
                assertThat(confirmed).isEqualTo(1);
                assertThat(refused).isGreaterThanOrEqualTo(submissions / 2 - 1);
            } finally {
                pool.shutdownNow();
            }
            portal.result(transactionId).then().body("status", equalTo("CONFIRMED"));
            assertThat(callbackStatuses(transactionId)).containsExactly("SCANNED", "CONFIRMED");
        }

        @Test
        void aMalformedCodeIsRefusedWithoutCounting() {
            approve();
            submit("12345").then().statusCode(400).body("error_code", equalTo("1003"));
            submit(null).then().statusCode(400).body("error_code", equalTo("1003"));
            portal.result(transactionId).then().body("reverse_code_attempts_left", equalTo(3));
        }

        @Test
        void noCodeIsTakenBeforeThePhoneApprovesNorFromAnotherPortal() {
            submit("123456").then().statusCode(409).body("error_code", equalTo("9001"));
            String code = approve();
            TestPortal other = TestPortal.create();
            other.client.auth().contentType(io.restassured.http.ContentType.URLENC).formParam("code", code)
                    .post("/oauth/api/v4/authenticate/transaction/{id}/reverse-code", transactionId)
                    .then().statusCode(404).body("error_code", equalTo("3004"));
            portal.result(transactionId).then().body("status", equalTo("SCANNED"));
        }

        @Test
        void aDenialNeedsNoCode() throws Exception {
            phone.answerRaw(MobileAuthAnswer.deny(message, DenyReason.FRAUD)).then().statusCode(200)
                    .body("status", equalTo("REJECTED")).body("reverse_code", nullValue());
            portal.result(transactionId).then().body("fraud_reported", equalTo(true));
            assertThat(callbackStatuses(transactionId)).containsExactly("REJECTED");
        }
    }
}
