package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.PIN;
import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.tokenserver.device.Devices;
import dev.qrauth.tokenserver.transaction.Outcome;
import dev.qrauth.tokenserver.transaction.Transactions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.testkit.CallbackInbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The duress PIN ({@code docs/PROTOCOL.md}, "Duress PIN"): it logs in like the PIN, nothing the
 * phone receives tells the two apart, and answers given in its sessions reach the portal flagged
 * (or refused, as the type says).
 */
@QuarkusTest
class DuressPinTest {

    static final String DURESS_PIN = "86420";
    static final Duration WAIT = Duration.ofSeconds(15);

    /** A user registered on a fresh device with {@link TestApi#PIN} and {@link #DURESS_PIN}. */
    static TestApi.Registered registerWithDuressPin() {
        TestApi.Code code = TestApi.createUser();
        TestApi.DeviceCredentials device = TestApi.registerDevice();
        device.auth().body(Map.of("user_id", code.userId(), "activation_code", code.activationCode(), "pin", PIN,
                        "duress_pin", DURESS_PIN))
                .post("/device/api/v1/users").then().statusCode(201);
        return new TestApi.Registered(device, code.userId());
    }

    static Response login(TestApi.Registered registered, String pin) {
        return registered.device().auth().body(Map.of("pin", pin))
                .post("/device/api/v1/users/{u}/session", registered.userId());
    }

    static List<String> auditTypes(String parameter, String value) {
        return admin().queryParam(parameter, value).get("/admin/api/v1/audit")
                .then().statusCode(200).extract().path("events.event_type");
    }

    @Nested
    class Registration {
        @Test
        void eitherPinLogsInAndTheAnswersLookAlike() {
            TestApi.Registered registered = registerWithDuressPin();
            Response normal = login(registered, PIN);
            Response duress = login(registered, DURESS_PIN);

            assertThat(duress.statusCode()).isEqualTo(normal.statusCode()).isEqualTo(200);
            Map<String, Object> normalBody = normal.jsonPath().getMap("");
            Map<String, Object> duressBody = duress.jsonPath().getMap("");
            assertThat(duressBody.keySet()).isEqualTo(normalBody.keySet());
            assertThat(duressBody.get("token_type")).isEqualTo(normalBody.get("token_type"));
            assertThat(duressBody.get("expires_in")).isEqualTo(normalBody.get("expires_in"));
            assertThat((String) duressBody.get("access_token")).matches("[A-Za-z0-9_-]{43}");
            assertThat(duress.getHeader("Content-Type")).isEqualTo(normal.getHeader("Content-Type"));
        }

        @Test
        void aDuressPinEqualToThePinIsRefusedAndTheCodeIsNotSpent() {
            TestApi.Code code = TestApi.createUser();
            TestApi.DeviceCredentials device = TestApi.registerDevice();
            device.auth().body(Map.of("user_id", code.userId(), "activation_code", code.activationCode(), "pin", PIN,
                            "duress_pin", PIN))
                    .post("/device/api/v1/users")
                    .then().statusCode(400).body("error", equalTo("PIN_NOT_ALLOWED"))
                    .body("error_message", equalTo("The duress PIN must differ from the PIN"));
            device.auth().body(Map.of("user_id", code.userId(), "activation_code", code.activationCode(), "pin", PIN))
                    .post("/device/api/v1/users").then().statusCode(201);
        }

        @ParameterizedTest
        @ValueSource(strings = {"1234", "11111", "12345", "98765", "abcde", "123456789012345678901234567890123"})
        void aDuressPinBreakingThePinRulesIsRefusedAndTheCodeIsNotSpent(String duressPin) {
            TestApi.Code code = TestApi.createUser();
            TestApi.DeviceCredentials device = TestApi.registerDevice();
            device.auth().body(Map.of("user_id", code.userId(), "activation_code", code.activationCode(), "pin", PIN,
                            "duress_pin", duressPin))
                    .post("/device/api/v1/users")
                    .then().statusCode(400).body("error", equalTo("PIN_NOT_ALLOWED"))
                    .body("error_message", matchesPattern("The duress PIN must .*"));
            device.auth().body(Map.of("user_id", code.userId(), "activation_code", code.activationCode(), "pin", PIN))
                    .post("/device/api/v1/users").then().statusCode(201);
        }

        @Test
        void withoutADuressPinTheDuressPinIsJustAWrongPin() {
            TestApi.Registered registered = TestApi.registerUser();
            login(registered, DURESS_PIN).then().statusCode(401).body("error", equalTo("INVALID_PIN"));
        }
    }

    @Nested
    class Lockout {
        @Test
        void wrongPinsStillDeregisterAndADuressLoginResetsTheCount() {
            TestApi.Registered registered = registerWithDuressPin();
            login(registered, "13579").then().statusCode(401).body("remaining_attempts", equalTo(2));
            login(registered, "13579").then().statusCode(401).body("remaining_attempts", equalTo(1));
            login(registered, DURESS_PIN).then().statusCode(200);
            login(registered, "13579").then().statusCode(401).body("remaining_attempts", equalTo(2));
            login(registered, "13579").then().statusCode(401).body("remaining_attempts", equalTo(1));
            login(registered, "13579").then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"));
            login(registered, DURESS_PIN).then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"));
        }
    }

    @Nested
    class SetAndRemove {
        @Test
        void aDuressPinSetLaterLogsInUntilItIsRemoved() {
            TestApi.Registered registered = TestApi.registerUser();
            String token = registered.login();
            registered.session(token).body(Map.of("duress_pin", DURESS_PIN))
                    .put("/device/api/v1/users/{u}/duress-pin", registered.userId()).then().statusCode(204);
            login(registered, DURESS_PIN).then().statusCode(200);

            registered.session(token).delete("/device/api/v1/users/{u}/duress-pin", registered.userId())
                    .then().statusCode(204);
            login(registered, DURESS_PIN).then().statusCode(401).body("error", equalTo("INVALID_PIN"));
            login(registered, PIN).then().statusCode(200);
            assertThat(auditTypes("user_id", registered.userId())).contains("DURESS_PIN_SET", "DURESS_PIN_REMOVED");
        }

        @Test
        void aDuressPinEqualToThePinOrBreakingTheRulesIsRefused() {
            TestApi.Registered registered = TestApi.registerUser();
            String token = registered.login();
            registered.session(token).body(Map.of("duress_pin", PIN))
                    .put("/device/api/v1/users/{u}/duress-pin", registered.userId())
                    .then().statusCode(400).body("error", equalTo("PIN_NOT_ALLOWED"))
                    .body("error_message", equalTo("The duress PIN must differ from the PIN"));
            registered.session(token).body(Map.of("duress_pin", "12345"))
                    .put("/device/api/v1/users/{u}/duress-pin", registered.userId())
                    .then().statusCode(400).body("error", equalTo("PIN_NOT_ALLOWED"));
            registered.session(token).body(Map.of())
                    .put("/device/api/v1/users/{u}/duress-pin", registered.userId())
                    .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
            login(registered, "12345").then().statusCode(401).body("error", equalTo("INVALID_PIN"));
        }

        @Test
        void setAndRemoveNeedTheUsersSession() {
            TestApi.Registered registered = TestApi.registerUser();
            registered.device().auth().body(Map.of("duress_pin", DURESS_PIN))
                    .put("/device/api/v1/users/{u}/duress-pin", registered.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
            registered.device().auth().delete("/device/api/v1/users/{u}/duress-pin", registered.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
        }

        @Test
        void underDuressSetAndRemoveAnswerAsUsualButChangeNothing() {
            TestApi.Registered registered = registerWithDuressPin();
            String duressToken = registered.login(DURESS_PIN);

            registered.session(duressToken).delete("/device/api/v1/users/{u}/duress-pin", registered.userId())
                    .then().statusCode(204);
            registered.session(duressToken).body(Map.of("duress_pin", "97531"))
                    .put("/device/api/v1/users/{u}/duress-pin", registered.userId()).then().statusCode(204);

            login(registered, DURESS_PIN).then().statusCode(200);
            login(registered, "97531").then().statusCode(401).body("error", equalTo("INVALID_PIN"));
            assertThat(auditTypes("user_id", registered.userId()))
                    .contains("DURESS_PIN_CHANGE_IGNORED")
                    .doesNotContain("DURESS_PIN_REMOVED")
                    .filteredOn("DURESS_PIN_SET"::equals).hasSize(1);
        }

        @Test
        void underDuressTheDuressPinIsThePinTheHolderKnows() {
            TestApi.Registered registered = registerWithDuressPin();
            String duressToken = registered.login(DURESS_PIN);
            // As a normal session refuses a duress PIN equal to its PIN.
            registered.session(duressToken).body(Map.of("duress_pin", DURESS_PIN))
                    .put("/device/api/v1/users/{u}/duress-pin", registered.userId())
                    .then().statusCode(400).body("error", equalTo("PIN_NOT_ALLOWED"));
            // And the real PIN is taken like any other value, telling nothing.
            registered.session(duressToken).body(Map.of("duress_pin", PIN))
                    .put("/device/api/v1/users/{u}/duress-pin", registered.userId()).then().statusCode(204);
            login(registered, DURESS_PIN).then().statusCode(200);
        }
    }

    @Nested
    class Answers {
        /** A phone whose user has a duress PIN, enrolled, acting in a session opened with the duress PIN. */
        TestDevice phoneUnderDuress() {
            TestDevice phone = TestDevice.enrolled();
            phone.registered.session(phone.accessToken).body(Map.of("duress_pin", DURESS_PIN))
                    .put("/device/api/v1/users/{u}/duress-pin", phone.userId()).then().statusCode(204);
            return phone.withSession(phone.registered.login(DURESS_PIN));
        }

        String typeWithDuress(String policy, boolean reverseCode) {
            String name = unique("duress");
            Map<String, Object> type = new HashMap<>(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 120,
                    "default_message", "Log in", "reverse_code", reverseCode));
            if (policy != null) {
                type.put("duress", policy);
            }
            admin().body(type).post("/admin/api/v1/mobile-auth-types").then().statusCode(201);
            return name;
        }

        @Test
        void anApprovalUnderDuressWithPolicyFlagLogsInFlaggedInResultCallbackAndAudit() throws Exception {
            try (CallbackInbox receiver = CallbackInbox.start()) {
                TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
                TestDevice phone = phoneUnderDuress();
                Response started = portal.initiate(typeWithDuress(null, false), receiver.uri());
                String transactionId = started.path("transaction_id");
                MobileAuthMessage message = phone.fetch(started.path("otp"));

                phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200)
                        .body(equalTo("{\"status\":\"CONFIRMED\"}"));

                portal.result(transactionId).then().statusCode(200)
                        .body("status", equalTo("CONFIRMED")).body("is_authenticated", equalTo(true))
                        .body("duress", equalTo(true));
                CallbackInbox.Delivery callback = receiver.await(transactionId, "CONFIRMED", WAIT).orElseThrow();
                assertThat(callback.text()).isEqualTo("{\"callback_uri\":\"" + receiver.uri() + "\",\"transaction_id\":\""
                        + transactionId + "\",\"status\":\"CONFIRMED\",\"duress\":true}");
                assertThat(CallbackSignature.verify(portal.client.signingSecret(), callback.header("x-signature"),
                        callback.body(), Instant.now(), CallbackSignature.DEFAULT_TOLERANCE))
                        .isEqualTo(CallbackSignature.Outcome.VALID);
                admin().queryParam("transaction_id", transactionId)
                        .get("/admin/api/v1/audit").then().statusCode(200)
                        .body("events.event_type", hasItem("DURESS_ANSWER"))
                        .body("events.find { it.event_type == 'DURESS_ANSWER' }.details",
                                equalTo("confirmed, policy flag, status CONFIRMED"));
            }
        }

        @Test
        void anApprovalUnderDuressWithPolicyRefuseLooksConfirmedOnThePhoneButDoesNotLogIn() throws Exception {
            try (CallbackInbox receiver = CallbackInbox.start()) {
                TestPortal portal = TestPortal.create(List.of(receiver.uri()), null, null, false);
                TestDevice phone = phoneUnderDuress();
                Response started = portal.initiate(typeWithDuress("refuse", false), receiver.uri());
                String transactionId = started.path("transaction_id");
                MobileAuthMessage message = phone.fetch(started.path("otp"));

                phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200)
                        .body(equalTo("{\"status\":\"CONFIRMED\"}"));

                portal.result(transactionId).then().statusCode(200)
                        .body("status", equalTo("REJECTED")).body("is_authenticated", equalTo(false))
                        .body("not_authenticated_reason.reason", equalTo("not_accepted"))
                        .body("duress", equalTo(true));
                CallbackInbox.Delivery callback = receiver.await(transactionId, "REJECTED", WAIT).orElseThrow();
                assertThat(callback.text()).contains("\"duress\":true");
                assertThat(auditTypes("transaction_id", transactionId))
                        .contains("DURESS_ANSWER", "TRANSACTION_REJECTED").doesNotContain("TRANSACTION_CONFIRMED");
            }
        }

        @Test
        void withPolicyRefuseAReverseCodeTypeStillShowsACodeOnThePhone() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = phoneUnderDuress();
            Response started = portal.initiate(typeWithDuress("refuse", true), TestPortal.CALLBACK);
            String transactionId = started.path("transaction_id");
            MobileAuthMessage message = phone.fetch(started.path("otp"));

            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200)
                    .body("status", equalTo("SCANNED")).body("reverse_code", matchesPattern("[0-9]{6}"));

            portal.result(transactionId).then().statusCode(200)
                    .body("status", equalTo("REJECTED")).body("duress", equalTo(true));
        }

        /**
         * The full path ({@code Transactions#answer}, which the hot path falls back on) decides
         * as the hot path's statement does: called directly here, since a request in a test
         * always finds the hot path able to act.
         */
        @Test
        void theFullPathRefusesAndFlagsAsTheHotPathDoes() throws Exception {
            TestPortal portal = TestPortal.create();
            TestDevice phone = phoneUnderDuress();
            Response started = portal.initiate(typeWithDuress("refuse", false), TestPortal.CALLBACK);
            String transactionId = started.path("transaction_id");
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            MobileAuthAnswer answer = MobileAuthAnswer.confirm(message, null);
            SealedMessage sealed = new SealedMessage(answer.transactionId(), phone.seal(answer, phone.key));
            String authorization = new BasicCredentials(phone.registered.device().deviceId(),
                    phone.registered.device().secret()).header();

            Outcome<AnswerAccepted> outcome = QuarkusTransaction.requiringNew().call(() -> transactions.answer(
                    devices.mobileAuthSession(authorization, phone.accessToken, phone.userId()),
                    UUID.fromString(transactionId), sealed));

            assertThat(outcome).isEqualTo(Outcome.accepted(new AnswerAccepted(TransactionStatus.CONFIRMED)));
            portal.result(transactionId).then().statusCode(200)
                    .body("status", equalTo("REJECTED")).body("is_authenticated", equalTo(false))
                    .body("duress", equalTo(true));
            assertThat(outboxDuress(transactionId)).containsExactly(true);
            admin().queryParam("transaction_id", transactionId).get("/admin/api/v1/audit").then().statusCode(200)
                    .body("events.find { it.event_type == 'DURESS_ANSWER' }.details",
                            equalTo("confirmed, policy refuse, status REJECTED"));
        }

        /** An approval under duress that waits for the browser's code, and expires there, stays flagged. */
        @Test
        void anApprovalUnderDuressLeftWaitingForItsCodeExpiresFlagged() throws Exception {
            TestPortal portal = TestPortal.create();
            TestDevice phone = phoneUnderDuress();
            Response started = portal.initiate(typeWithDuress(null, true), TestPortal.CALLBACK);
            String transactionId = started.path("transaction_id");
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200)
                    .body("status", equalTo("SCANNED"));
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement due = connection.prepareStatement(
                         "UPDATE mobile_auth_transaction SET expires_at = now() - interval '1 second' WHERE transaction_id = ?")) {
                due.setObject(1, UUID.fromString(transactionId));
                assertThat(due.executeUpdate()).isOne();
            }

            // Expired here, or by the background sweep first: the same statement either way.
            QuarkusTransaction.requiringNew().call(() -> transactions.expireDue(100));

            portal.result(transactionId).then().statusCode(200)
                    .body("status", equalTo("EXPIRED")).body("duress", equalTo(true));
            assertThat(outboxDuress(transactionId)).last().isEqualTo(true);
        }

        @Test
        void aDenialUnderDuressIsAFlaggedDenial() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = phoneUnderDuress();
            Response started = portal.initiate();
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            phone.answerRaw(MobileAuthAnswer.deny(message, null)).then().statusCode(200)
                    .body(equalTo("{\"status\":\"REJECTED\"}"));
            portal.result(started.path("transaction_id")).then().statusCode(200)
                    .body("status", equalTo("REJECTED")).body("duress", equalTo(true));
        }

        @Test
        void aNormalApprovalOfAUserWithADuressPinHasNoDuressMember() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            phone.registered.session(phone.accessToken).body(Map.of("duress_pin", DURESS_PIN))
                    .put("/device/api/v1/users/{u}/duress-pin", phone.userId()).then().statusCode(204);
            String transactionId = portal.answeredBy(phone, true);
            Map<String, Object> result = portal.result(transactionId).then().statusCode(200)
                    .body("is_authenticated", equalTo(true)).extract().jsonPath().getMap("");
            assertThat(result).doesNotContainKey("duress");
            assertThat(auditTypes("transaction_id", transactionId)).doesNotContain("DURESS_ANSWER");
        }

        /**
         * The holder and a coercer answering the same request at once, one in a PIN session and
         * one in a duress session: one answer wins, and the result, the callback and the audit
         * trail are flagged exactly when the duress answer is the one that won.
         */
        @Test
        void anOrdinaryAndADuressApprovalAtOnceAreFlaggedExactlyWhenTheDuressOneWon() throws Exception {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            phone.registered.session(phone.accessToken).body(Map.of("duress_pin", DURESS_PIN))
                    .put("/device/api/v1/users/{u}/duress-pin", phone.userId()).then().statusCode(204);
            TestDevice coerced = phone.withSession(phone.registered.login(DURESS_PIN));
            String type = typeWithDuress(null, false);
            int rounds = 12;
            Map<Boolean, Integer> wins = new HashMap<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < rounds; i++) {
                    Response started = portal.initiate(type, TestPortal.CALLBACK);
                    String transactionId = started.path("transaction_id");
                    MobileAuthMessage message = phone.fetch(started.path("otp"));
                    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                    java.util.concurrent.Future<Response> ordinary = pool.submit(() -> {
                        go.await();
                        return phone.answerRaw(MobileAuthAnswer.confirm(message, null));
                    });
                    java.util.concurrent.Future<Response> underDuress = pool.submit(() -> {
                        go.await();
                        return coerced.answerRaw(MobileAuthAnswer.confirm(message, null));
                    });
                    go.countDown();
                    int ordinaryStatus = ordinary.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode();
                    int duressStatus = underDuress.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode();
                    assertThat(List.of(ordinaryStatus, duressStatus)).as("round %d: one answer wins, the other is refused", i)
                            .containsOnlyOnce(200).allMatch(status -> status == 200 || status >= 400 && status < 500);
                    boolean duressWon = duressStatus == 200;
                    wins.merge(duressWon, 1, Integer::sum);

                    Map<String, Object> result = portal.result(transactionId).then().statusCode(200)
                            .body("status", equalTo("CONFIRMED")).extract().jsonPath().getMap("");
                    assertThat(result.get("duress")).as("round %d", i).isEqualTo(duressWon ? Boolean.TRUE : null);
                    assertThat(outboxDuress(transactionId)).as("round %d", i).containsExactly(duressWon);
                    assertThat(auditTypes("transaction_id", transactionId).contains("DURESS_ANSWER"))
                            .as("round %d", i).isEqualTo(duressWon);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(wins.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(rounds);
            // Each round's one applied answer left one receipt, whichever session gave it.
            List<?> receipts = phone.registered.session(phone.accessToken).queryParam("limit", 100)
                    .get("/device/api/v1/users/{u}/receipts", phone.userId())
                    .then().statusCode(200).extract().path("receipts");
            assertThat(receipts).hasSize(rounds);
        }
    }

    @Inject
    Transactions transactions;

    @Inject
    Devices devices;

    @Inject
    AgroalDataSource dataSource;

    /** The duress flags of the transaction's callbacks, in the order they were written. */
    List<Boolean> outboxDuress(String transactionId) throws Exception {
        List<Boolean> flags = new java.util.ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT duress FROM callback_outbox WHERE transaction_id = ? ORDER BY id")) {
            query.setObject(1, UUID.fromString(transactionId));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    flags.add(rows.getBoolean(1));
                }
            }
        }
        return flags;
    }

    @Nested
    class TypeOption {
        @Test
        void theDuressPolicyIsFlagUnlessSetAndCanBeChanged() {
            String name = unique("duress");
            admin().body(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 60))
                    .post("/admin/api/v1/mobile-auth-types").then().statusCode(201).body("duress", equalTo("flag"));
            admin().body(Map.of("duress", "refuse")).patch("/admin/api/v1/mobile-auth-types/{n}", name)
                    .then().statusCode(200).body("duress", equalTo("refuse"));
            admin().get("/admin/api/v1/mobile-auth-types").then().statusCode(200)
                    .body("find { it.name == '" + name + "' }.duress", equalTo("refuse"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"block", "FLAG", ""})
        void anUnknownDuressPolicyIsRefused(String policy) {
            String name = unique("duress");
            admin().body(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 60, "duress", policy))
                    .post("/admin/api/v1/mobile-auth-types").then().statusCode(400)
                    .body("error", equalTo("invalid_request"));
            admin().body(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 60))
                    .post("/admin/api/v1/mobile-auth-types").then().statusCode(201);
            admin().body(Map.of("duress", policy)).patch("/admin/api/v1/mobile-auth-types/{n}", name)
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
            admin().get("/admin/api/v1/mobile-auth-types").then()
                    .body("find { it.name == '" + name + "' }.duress", not(equalTo(policy)));
        }
    }
}
