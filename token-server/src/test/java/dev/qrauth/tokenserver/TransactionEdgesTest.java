package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transitions and refusals at the edges of the state machine. */
@QuarkusTest
class TransactionEdgesTest {

    @Inject
    AgroalDataSource dataSource;

    TestPortal portal;

    @BeforeEach
    void createPortal() {
        portal = TestPortal.create();
    }

    @Test
    void aScannedTransactionCanBeCancelledAndThenNotAnswered() throws Exception {
        TestDevice phone = TestDevice.enrolled();
        Response started = portal.initiate();
        String id = started.path("transaction_id");
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        portal.client.auth().delete("/oauth/api/v4/authenticate/transaction/{id}", id).then().statusCode(204);
        phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        portal.result(id).then().body("status", equalTo("CANCELLED"));
        assertThat(outboxCount(id)).as("a cancellation is not called back").isZero();
        admin().queryParam("transaction_id", id).get("/admin/api/v1/audit")
                .then().body("events.event_type", hasItem("TRANSACTION_CANCELLED"));
    }

    @Test
    void anAnswerBeforeAnyFetchIsNotFound() {
        TestDevice phone = TestDevice.enrolled();
        String id = portal.initiate().path("transaction_id");
        phone.registered.session(phone.accessToken).body(Map.of("transaction_id", id, "message", "AAAA"))
                .post("/device/api/v1/users/{u}/mobile-auth/transactions/{t}/answer", phone.userId(), id)
                .then().statusCode(404).body("error", equalTo("NOT_FOUND"));
    }

    @Test
    void malformedAnswerRequestsAreRefused() {
        TestDevice phone = TestDevice.enrolled();
        phone.registered.session(phone.accessToken).body(Map.of("transaction_id", UUID.randomUUID().toString(), "message", "AAAA"))
                .post("/device/api/v1/users/{u}/mobile-auth/transactions/{t}/answer", phone.userId(), "not-a-uuid")
                .then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        phone.registered.session(phone.accessToken).body("{\"transaction_id\": 7}")
                .post("/device/api/v1/users/{u}/mobile-auth/transactions/{t}/answer", phone.userId(), UUID.randomUUID())
                .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
    }

    @Test
    void refusedAnswersAreAudited() {
        TestDevice phone = TestDevice.enrolled();
        Response started = portal.initiate();
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        String foreign = phone.seal(MobileAuthAnswer.confirm(message, null), TestApi.PGP.generateKey("intruder"));
        phone.sendSealed(message.transactionId().toString(),
                        new dev.qrauth.protocol.message.SealedMessage(message.transactionId(), foreign))
                .then().statusCode(422);
        admin().queryParam("transaction_id", (String) started.path("transaction_id")).get("/admin/api/v1/audit")
                .then().body("events.event_type", hasItem("ANSWER_REFUSED"));
    }

    @Test
    void anInitiationBodyOver64KibIsRefused() {
        portal.form().body("type=" + "x".repeat(70 * 1024)).post("/oauth/api/v4/authenticate/user")
                .then().statusCode(413).body("error_code", equalTo("9003"));
    }

    @Test
    void controlCharactersInTheSecureMessageAreRefused() {
        portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK,
                "secure_message", "a\u0001b")).then().statusCode(400).body("error_code", equalTo("1003"));
    }

    @Test
    void hostileButValidBrowserDetailsStillGiveAFetchableMessage() {
        TestDevice phone = TestDevice.enrolled();
        Response started = portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK,
                "user_agent", "Mozilla/5.0 Firefox/" + "9".repeat(400), "ip_address", "::ffff:192.0.2.1"));
        started.then().statusCode(200);
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        assertThat(message.context().browser()).isEqualTo("Firefox 9999");
    }

    @Test
    void theLatencyHistogramsCountFlows() {
        double answeredBefore = metric("qrauth_transaction_initiate_to_answer_seconds_count");
        TestDevice phone = TestDevice.enrolled();
        Response started = portal.initiate();
        phone.answerRaw(MobileAuthAnswer.confirm(phone.fetch(started.path("otp")), null)).then().statusCode(200);
        assertThat(metric("qrauth_transaction_initiate_to_answer_seconds_count")).isGreaterThan(answeredBefore);
        assertThat(TestApi.metrics()).contains("qrauth_transactions_total{outcome=\"confirmed\"}");
    }

    private static double metric(String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.Ee+-]+)$")
                .matcher(TestApi.metrics());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private int outboxCount(String transactionId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM callback_outbox WHERE transaction_id = ?")) {
            query.setObject(1, UUID.fromString(transactionId));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
