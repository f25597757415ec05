package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code expected_user_id} initiation parameter (a qrauth addition): only the named user's
 * phone can fetch the request, so an approval cannot be answered by another user's phone.
 */
@QuarkusTest
class ExpectedUserTest {

    TestPortal portal;

    @BeforeEach
    void createPortal() {
        portal = TestPortal.create();
    }

    private Response initiateFor(String expectedUserId) {
        return portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK,
                "message", "Approve the transfer", "expected_user_id", expectedUserId));
    }

    @Test
    void anotherUsersPhoneIsNotFoundAndTheRightOneCanStillApprove() {
        TestDevice alice = TestDevice.enrolled();
        TestDevice mallory = TestDevice.enrolled();
        Response started = initiateFor(alice.userId());
        started.then().statusCode(200);
        String transactionId = started.path("transaction_id");

        mallory.fetchRaw(started.path("otp")).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        portal.result(transactionId).then().body("status", equalTo("PENDING"));

        MobileAuthMessage message = alice.fetch(started.path("otp"));
        alice.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200).body("status", equalTo("CONFIRMED"));
        portal.result(transactionId).then().body("status", equalTo("CONFIRMED")).body("user_id", equalTo(alice.userId()));
    }

    @Test
    void anotherUsersPhoneLearnsNothingOnceTheRightOneScanned() {
        TestDevice alice = TestDevice.enrolled();
        TestDevice mallory = TestDevice.enrolled();
        Response started = initiateFor(alice.userId());
        alice.fetch(started.path("otp"));

        // The right user's second fetch is told it was handled; another user's is not.
        alice.fetchRaw(started.path("otp")).then().statusCode(409).body("error", equalTo("ALREADY_HANDLED"));
        mallory.fetchRaw(started.path("otp")).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        portal.result(started.path("transaction_id")).then().body("status", equalTo("SCANNED"));
    }

    @Test
    void withoutItAnyEnrolledPhoneMayAnswer() {
        TestDevice phone = TestDevice.enrolled();
        String transactionId = portal.answeredBy(phone, true);

        portal.result(transactionId).then().body("user_id", equalTo(phone.userId()));
    }

    @Test
    void anInvalidExpectedUserIdIsRefused() {
        for (String invalid : new String[] {"", "has space", "a/b", "x".repeat(256), "tab\there"}) {
            Response refused = initiateFor(invalid);
            assertThat(refused.statusCode()).as(invalid).isEqualTo(400);
            assertThat((String) refused.path("error_code")).as(invalid).isEqualTo("1003");
            assertThat((String) refused.path("error_message")).as(invalid).contains("expected_user_id");
        }
    }

    @Test
    void userIdIsStillRefusedForAnOtpType() {
        portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK,
                        "message", "Approve", "user_id", "alice", "expected_user_id", "alice"))
                .then().statusCode(400).body("error_code", equalTo("1003"));
    }
}
