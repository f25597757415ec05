package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.DenyReason;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpDecoding;
import dev.qrauth.protocol.otp.OtpPayload;
import dev.qrauth.protocol.pgp.PgpKey;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
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

/** Fetch and answer from the device's side, and what the portal reads afterwards. */
@QuarkusTest
class MobileAuthFlowTest {

    @Inject
    AgroalDataSource dataSource;

    TestPortal portal;

    @BeforeEach
    void createPortal() {
        portal = TestPortal.create();
    }

    /** Moves a transaction's expiry into the past, as if its time to live had run out. */
    void expire(String transactionId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE mobile_auth_transaction SET expires_at = now() - interval '1 second' WHERE transaction_id = ?")) {
            update.setObject(1, UUID.fromString(transactionId));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    /**
     * Fetch and answer authenticate the device, the user's registration on it and the session
     * in one statement; each refusal must still be the one its cause calls for, and change nothing.
     */
    @Nested
    class Authentication {

        TestDevice phone;
        TestDevice other;
        String transactionId;
        String otp;

        @BeforeEach
        void twoPhonesAndAPendingTransaction() {
            phone = TestDevice.enrolled();
            other = TestDevice.enrolled();
            Response started = portal.initiate();
            transactionId = started.path("transaction_id");
            otp = started.path("otp");
        }

        io.restassured.specification.RequestSpecification as(TestApi.DeviceCredentials device, String token) {
            return device.auth().header(dev.qrauth.protocol.device.DeviceHeaders.ACCESS_TOKEN, token);
        }

        Response fetch(io.restassured.specification.RequestSpecification request, String userId) {
            return request.body(Map.of("otp", otp)).post("/device/api/v1/users/{u}/mobile-auth/otp", userId);
        }

        Response answer(io.restassured.specification.RequestSpecification request, String userId, MobileAuthMessage message) {
            SealedMessage sealed = new SealedMessage(UUID.fromString(transactionId),
                    phone.seal(MobileAuthAnswer.confirm(message, null), phone.key));
            return request.body(sealed).post("/device/api/v1/users/{u}/mobile-auth/transactions/{t}/answer",
                    userId, transactionId);
        }

        void expireSessionOf(String token) throws Exception {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement update = connection.prepareStatement(
                         "UPDATE access_token SET expires_at = now() - interval '1 second' WHERE token_hash = ?")) {
                update.setString(1, dev.qrauth.tokenserver.security.Secrets.sha256Hex(token));
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
        }

        @Test
        void fetchRefusesEachFailureForItsOwnReasonAndConsumesNothing() throws Exception {
            TestApi.DeviceCredentials device = phone.registered.device();
            fetch(as(new TestApi.DeviceCredentials(device.deviceId(), "not-the-secret"), phone.accessToken), phone.userId())
                    .then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
            fetch(as(new TestApi.DeviceCredentials(UUID.randomUUID().toString(), device.secret()), phone.accessToken),
                    phone.userId()).then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
            fetch(as(device, phone.accessToken), other.userId())
                    .then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"));
            fetch(as(device, other.accessToken), phone.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
            fetch(as(device, "made-up"), phone.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
            portal.result(transactionId).then().body("status", equalTo("PENDING"));

            expireSessionOf(phone.accessToken);
            fetch(as(device, phone.accessToken), phone.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
            portal.result(transactionId).then().body("status", equalTo("PENDING"));

            // The OTP was not used up: a valid session still fetches it.
            String fresh = phone.registered.login();
            assertThat(fetch(as(device, fresh), phone.userId()).statusCode()).isEqualTo(200);
            portal.result(transactionId).then().body("status", equalTo("SCANNED"));
        }

        @Test
        void answerRefusesEachFailureForItsOwnReasonAndChangesNothing() throws Exception {
            MobileAuthMessage message = phone.fetch(otp);
            TestApi.DeviceCredentials device = phone.registered.device();
            answer(as(new TestApi.DeviceCredentials(device.deviceId(), "not-the-secret"), phone.accessToken),
                    phone.userId(), message).then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
            answer(as(device, phone.accessToken), other.userId(), message)
                    .then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"));
            answer(as(device, other.accessToken), phone.userId(), message)
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
            expireSessionOf(phone.accessToken);
            answer(as(device, phone.accessToken), phone.userId(), message)
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
            portal.result(transactionId).then().body("status", equalTo("SCANNED"));

            answer(as(device, phone.registered.login()), phone.userId(), message)
                    .then().statusCode(200);
            portal.result(transactionId).then().body("status", equalTo("CONFIRMED"));
        }
    }

    @Nested
    class Fetch {
        @Test
        void theMessageCarriesWhatThePhoneMustShow() {
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK,
                    "message", "Log in to Example", "secure_message", "From the office network",
                    "ip_address", "192.0.2.10",
                    "user_agent", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"));
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            assertThat(message.transactionId().toString()).isEqualTo(started.path("transaction_id"));
            assertThat(message.userId()).isEqualTo(phone.userId());
            assertThat(message.type()).isEqualTo(portal.loginType);
            assertThat(message.message()).isEqualTo("Log in to Example");
            assertThat(message.secureMessage()).isEqualTo("From the office network");
            assertThat(message.portalName()).isEqualTo("Example Portal");
            assertThat(message.context().browser()).isEqualTo("Firefox 140");
            assertThat(message.context().operatingSystem()).isEqualTo("Linux");
            assertThat(message.context().ipAddress()).isEqualTo("192.0.2.10");
            assertThat(message.expiresAt()).isEqualTo(Instant.parse(started.path("expires_at")));
            assertThat(message.numberChoices()).isNull();
            portal.result(started.path("transaction_id")).then().body("status", equalTo("SCANNED"));
        }

        @Test
        void numberMatchingOffersThreeNumbersOneOfThemTheBrowsers() {
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate(portal.matchingType, TestPortal.CALLBACK);
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            assertThat(message.numberChoices()).hasSize(3).doesNotHaveDuplicates()
                    .contains((Integer) started.path("binding_code"));
        }

        @Test
        void aSecondFetchIsAlreadyHandled() {
            TestDevice phone = TestDevice.enrolled();
            String otp = portal.initiate().path("otp");
            phone.fetch(otp);
            phone.fetchRaw(otp).then().statusCode(409).body("error", equalTo("ALREADY_HANDLED"));
            TestDevice.enrolled().fetchRaw(otp).then().statusCode(409).body("error", equalTo("ALREADY_HANDLED"));
        }

        @Test
        void aWrongCodeUnknownExpiredOrCancelledTransactionIsNotFound() throws Exception {
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate();
            OtpPayload real = ((OtpDecoding.Accepted) OtpCodec.decode(started.path("otp"))).payload();
            String wrongCode = OtpCodec.encode(new OtpPayload(real.transactionId(), "A".repeat(43)));
            phone.fetchRaw(wrongCode).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
            phone.fetchRaw(OtpCodec.encode(new OtpPayload(UUID.randomUUID(), real.code())))
                    .then().statusCode(404).body("error", equalTo("NOT_FOUND"));

            Response cancelled = portal.initiate();
            portal.client.auth().delete("/oauth/api/v4/authenticate/transaction/{id}",
                    (String) cancelled.path("transaction_id")).then().statusCode(204);
            phone.fetchRaw(cancelled.path("otp")).then().statusCode(404).body("error", equalTo("NOT_FOUND"));

            Response expiring = portal.initiate();
            expire(expiring.path("transaction_id"));
            phone.fetchRaw(expiring.path("otp")).then().statusCode(404).body("error", equalTo("NOT_FOUND"));

            phone.fetch(started.path("otp"));
        }

        @Test
        void aMalformedOtpIsInvalid() {
            TestDevice.enrolled().fetchRaw("not an otp").then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
        }

        @Test
        void notEnrolledAndDisenrolledAreTold() {
            TestApi.Registered registered = TestApi.registerUser();
            String otp = portal.initiate().path("otp");
            String token = registered.login();
            registered.session(token).body(Map.of("otp", otp))
                    .post("/device/api/v1/users/{u}/mobile-auth/otp", registered.userId())
                    .then().statusCode(403).body("error", equalTo("NOT_ENROLLED"));

            TestDevice phone = TestDevice.enrolled();
            portal.answeredBy(phone, true);
            portal.client.auth().post("/oauth/api/v4/users/{u}/devices/{d}/disableMobileAuthentication",
                    phone.userId(), phone.registered.device().deviceId()).then().statusCode(204);
            phone.fetchRaw(otp).then().statusCode(403).body("error", equalTo("USER_DISENROLLED"));
            portal.result(portal.initiate().path("transaction_id")).then().body("status", equalTo("PENDING"));
        }

        @Test
        void fetchNeedsASession() {
            TestDevice phone = TestDevice.enrolled();
            phone.registered.device().auth().body(Map.of("otp", (String) portal.initiate().path("otp")))
                    .post("/device/api/v1/users/{u}/mobile-auth/otp", phone.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
        }
    }

    @Nested
    class Answer {
        @Test
        void aConfirmationAuthenticatesTheUser() {
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate();
            String transactionId = started.path("transaction_id");
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            phone.answerRaw(MobileAuthAnswer.confirm(message, null))
                    .then().statusCode(200).body("status", equalTo("CONFIRMED"));
            portal.result(transactionId).then().statusCode(200)
                    .body("is_authenticated", equalTo(true))
                    .body("user_id", equalTo(phone.userId()))
                    .body("status", equalTo("CONFIRMED"))
                    .body("authentication_method", equalTo("otp"))
                    .body("not_authenticated_reason", org.hamcrest.Matchers.nullValue());
        }

        @Test
        void aDenialIsNotAccepted() {
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate();
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            phone.answerRaw(MobileAuthAnswer.deny(message, null)).then().statusCode(200).body("status", equalTo("REJECTED"));
            portal.result(started.path("transaction_id")).then()
                    .body("is_authenticated", equalTo(false))
                    .body("user_id", equalTo(phone.userId()))
                    .body("not_authenticated_reason.reason", equalTo("not_accepted"));
        }

        @Test
        void aFraudReportIsRecordedAuditedAndCounted() {
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate();
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            phone.answerRaw(MobileAuthAnswer.deny(message, DenyReason.FRAUD)).then().statusCode(200);
            portal.result(started.path("transaction_id")).then()
                    .body("not_authenticated_reason.reason", equalTo("not_accepted"))
                    .body("fraud_reported", equalTo(true));
            admin().queryParam("transaction_id", (String) started.path("transaction_id")).get("/admin/api/v1/audit")
                    .then().body("events.event_type", hasItem("FRAUD_REPORTED"));
            assertThat(TestApi.metrics()).containsPattern("qrauth_fraud_reports_total [1-9]");
        }

        @Test
        void numberMatchingNeedsTheBrowsersNumber() {
            TestDevice phone = TestDevice.enrolled();
            Response right = portal.initiate(portal.matchingType, TestPortal.CALLBACK);
            MobileAuthMessage message = phone.fetch(right.path("otp"));
            phone.answerRaw(MobileAuthAnswer.confirm(message, right.path("binding_code")))
                    .then().statusCode(200).body("status", equalTo("CONFIRMED"));

            Response wrong = portal.initiate(portal.matchingType, TestPortal.CALLBACK);
            MobileAuthMessage second = phone.fetch(wrong.path("otp"));
            int binding = wrong.path("binding_code");
            int other = second.numberChoices().stream().filter(n -> n != binding).findFirst().orElseThrow();
            phone.answerRaw(MobileAuthAnswer.confirm(second, other)).then().statusCode(200).body("status", equalTo("REJECTED"));
            portal.result(wrong.path("transaction_id")).then()
                    .body("is_authenticated", equalTo(false))
                    .body("not_authenticated_reason.reason", equalTo("invalid_answer"));

            Response none = portal.initiate(portal.matchingType, TestPortal.CALLBACK);
            MobileAuthMessage third = phone.fetch(none.path("otp"));
            phone.answerRaw(MobileAuthAnswer.confirm(third, null)).then().body("status", equalTo("REJECTED"));
        }

        @Test
        void aReplayOrSecondAnswerChangesNothing() {
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate();
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            SealedMessage confirm = new SealedMessage(message.transactionId(),
                    phone.seal(MobileAuthAnswer.confirm(message, null), phone.key));
            phone.sendSealed(message.transactionId().toString(), confirm).then().statusCode(200);
            phone.sendSealed(message.transactionId().toString(), confirm)
                    .then().statusCode(409).body("error", equalTo("ALREADY_HANDLED"));
            phone.answerRaw(MobileAuthAnswer.deny(message, DenyReason.FRAUD))
                    .then().statusCode(409).body("error", equalTo("ALREADY_HANDLED"));
            portal.result(started.path("transaction_id")).then().body("status", equalTo("CONFIRMED"));
        }

        @Test
        void tamperedForeignAndMismatchedAnswersAreRefusedAndChangeNothing() {
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate();
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            String id = message.transactionId().toString();

            byte[] sealed = java.util.Base64.getDecoder().decode(phone.seal(MobileAuthAnswer.confirm(message, null), phone.key));
            sealed[sealed.length / 2] ^= 1;
            refused(phone.sendSealed(id, new SealedMessage(message.transactionId(),
                    java.util.Base64.getEncoder().encodeToString(sealed))));

            PgpKey otherDevice = TestApi.PGP.generateKey("other device");
            refused(phone.sendSealed(id, new SealedMessage(message.transactionId(),
                    phone.seal(MobileAuthAnswer.confirm(message, null), otherDevice))));

            MobileAuthAnswer wrongNonce = new MobileAuthAnswer(1, message.transactionId(),
                    dev.qrauth.protocol.message.Nonce.generate(new java.security.SecureRandom()),
                    AnswerDecision.CONFIRMED, null, null);
            refused(phone.answerRaw(wrongNonce));

            refused(phone.sendSealed(id, new SealedMessage(message.transactionId(), "not base64!")));
            refused(phone.sendSealed(id, new SealedMessage(UUID.randomUUID(),
                    phone.seal(MobileAuthAnswer.confirm(message, null), phone.key))));

            portal.result(started.path("transaction_id")).then().body("status", equalTo("SCANNED"));
            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200);
        }

        @Test
        void anotherUsersDeviceCannotAnswer() {
            TestDevice phone = TestDevice.enrolled();
            TestDevice intruder = TestDevice.enrolled();
            Response started = portal.initiate();
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            intruder.answerRaw(MobileAuthAnswer.confirm(message, null))
                    .then().statusCode(404).body("error", equalTo("NOT_FOUND"));
            portal.result(started.path("transaction_id")).then().body("status", equalTo("SCANNED"));
        }

        @Test
        void anAnswerAfterExpiryIsNotFoundAndTheSweepExpiresIt() throws Exception {
            TestDevice phone = TestDevice.enrolled();
            Response started = portal.initiate();
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            expire(started.path("transaction_id"));
            phone.answerRaw(MobileAuthAnswer.confirm(message, null))
                    .then().statusCode(404).body("error", equalTo("NOT_FOUND"));
            Instant deadline = Instant.now().plusSeconds(10);
            String status = null;
            while (Instant.now().isBefore(deadline) && !"EXPIRED".equals(status)) {
                status = portal.result(started.path("transaction_id")).path("status");
            }
            assertThat(status).isEqualTo("EXPIRED");
            portal.result(started.path("transaction_id")).then()
                    .body("not_authenticated_reason.reason", equalTo("expired"))
                    .body("user_id", org.hamcrest.Matchers.nullValue());
        }

        private void refused(Response response) {
            response.then().statusCode(422).body("error", equalTo("INVALID_ANSWER"));
        }
    }

    @Nested
    class Concurrency {
        @Test
        void ofTwoConcurrentAnswersExactlyOneWins() throws Exception {
            for (int round = 0; round < 5; round++) {
                TestDevice phone = TestDevice.enrolled();
                Response started = portal.initiate();
                MobileAuthMessage message = phone.fetch(started.path("otp"));
                List<Integer> statuses = race(
                        () -> phone.answerRaw(MobileAuthAnswer.confirm(message, null)).statusCode(),
                        () -> phone.answerRaw(MobileAuthAnswer.deny(message, null)).statusCode());
                assertThat(statuses).containsExactlyInAnyOrder(200, 409);
                String status = portal.result(started.path("transaction_id")).path("status");
                assertThat(status).isIn("CONFIRMED", "REJECTED");
            }
        }

        @Test
        void ofConcurrentFetchesOfOneOtpExactlyOneSucceeds() throws Exception {
            String otp = portal.initiate().path("otp");
            TestDevice first = TestDevice.enrolled();
            TestDevice second = TestDevice.enrolled();
            TestDevice third = TestDevice.enrolled();
            List<Integer> statuses = race(
                    () -> first.fetchRaw(otp).statusCode(),
                    () -> second.fetchRaw(otp).statusCode(),
                    () -> third.fetchRaw(otp).statusCode());
            assertThat(statuses).containsExactlyInAnyOrder(200, 409, 409);
        }

        @SafeVarargs
        private List<Integer> race(Callable<Integer>... attempts) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(attempts.length);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Integer>> futures = new ArrayList<>();
                for (Callable<Integer> attempt : attempts) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return attempt.call();
                    }));
                }
                start.countDown();
                List<Integer> results = new ArrayList<>();
                for (Future<Integer> future : futures) {
                    results.add(future.get(30, TimeUnit.SECONDS));
                }
                return results;
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
