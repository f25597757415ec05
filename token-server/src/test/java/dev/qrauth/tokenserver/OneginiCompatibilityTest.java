package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.qrauth.protocol.message.DenyReason;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A portal written from Onegini's "Mobile Authentication API version 4" reference alone: each
 * test sends what the reference's examples send and reads what they say comes back
 * ({@code docs/PROTOCOL.md}, "Compatibility with the Onegini v4 API").
 */
@QuarkusTest
class OneginiCompatibilityTest {

    private static final String INITIATE = "/oauth/api/v4/authenticate/user";
    private static final String RESULT = "/oauth/api/v4/authenticate/transaction/{id}";
    private static final String DISABLE = "/oauth/api/v4/users/{u}/devices/{d}/disableMobileAuthentication";
    /** A device id in Onegini's form: 64 hexadecimal digits. */
    private static final String ONEGINI_DEVICE_ID = "0D7293A4F2860EDABDB0F0B47FB356F2D088323A5636813887B2EE9C14677838";

    /** The reference's OTP request body, with our type's name. */
    private static Map<String, String> otpRequest(TestPortal portal) {
        return Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK,
                "message", "Please authenticate for mine.acme.com", "ip_address", "127.0.0.1",
                "user_agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X x.y; rv:42.0) Gecko/20100101 Firefox/42.0");
    }

    @Nested
    class Result {

        @Test
        void timestampIsTheInitiationInEpochMilliseconds() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();
            long before = System.currentTimeMillis();
            Response started = portal.initiate();
            long after = System.currentTimeMillis();
            String id = started.path("transaction_id");

            Object pending = portal.result(id).path("timestamp");
            assertThat(pending).as("a JSON integer, like 1402390451564").isInstanceOf(Long.class);
            assertThat((Long) pending).isBetween(before - 1, after + 1);

            MobileAuthMessage message = phone.fetch(started.path("otp"));
            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200);
            Object answered = portal.result(id).path("timestamp");
            assertThat(answered).as("still the moment the request was sent, not the answer").isEqualTo(pending);
        }

        @Test
        void aPendingResultHasNoNotAuthenticatedReason() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();
            Response started = portal.initiate();
            String id = started.path("transaction_id");
            portal.result(id).then().statusCode(200).body("is_authenticated", equalTo(false))
                    .body("$", not(org.hamcrest.Matchers.hasKey("not_authenticated_reason")));

            phone.fetch(started.path("otp"));
            portal.result(id).then().body("status", equalTo("SCANNED"))
                    .body("$", not(org.hamcrest.Matchers.hasKey("not_authenticated_reason")));
        }

        @Test
        void aFraudReportReadsNotAcceptedWithTheFraudFlag() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();
            Response started = portal.initiate();
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            phone.answerRaw(MobileAuthAnswer.deny(message, DenyReason.FRAUD)).then().statusCode(200);

            portal.result(started.path("transaction_id")).then().statusCode(200)
                    .body("is_authenticated", equalTo(false))
                    .body("not_authenticated_reason.reason", equalTo("not_accepted"))
                    .body("not_authenticated_reason.description", notNullValue())
                    .body("fraud_reported", equalTo(true));
        }

        @Test
        void aPlainDenialCarriesNoFraudFlag() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();
            String id = portal.answeredBy(phone, false);
            portal.result(id).then().body("not_authenticated_reason.reason", equalTo("not_accepted"))
                    .body("$", not(org.hamcrest.Matchers.hasKey("fraud_reported")));
        }

        @Test
        void theMethodIsWrittenAsTheReferenceWritesIt() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();
            Response started = portal.initiateRaw(otpRequest(portal)).then().statusCode(200).extract().response();
            assertThat((String) started.path("auth_method")).as("like \"push\" and \"sms\"").isEqualTo("otp");
            assertThat((Integer) started.path("time_to_live")).isEqualTo(120_000);
            MobileAuthMessage message = phone.fetch(started.path("otp"));
            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200);
            portal.result(started.path("transaction_id")).then().body("authentication_method", equalTo("otp"));
        }
    }

    @Nested
    class Errors {

        @Test
        void anUnknownTransactionIsInvalidTransactionId3004() {
            TestPortal portal = TestPortal.create();
            for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
                portal.result(id).then().statusCode(404)
                        .body("error_code", equalTo("3004"))
                        .body("description", notNullValue());
            }
            String othersTransaction = TestPortal.create().initiate().path("transaction_id");
            portal.result(othersTransaction).then().statusCode(404).body("error_code", equalTo("3004"));
        }

        @Test
        void aCodedErrorHasAStringCodeAndADescription() {
            TestPortal portal = TestPortal.create();
            Map<String, String> request = new java.util.HashMap<>(otpRequest(portal));
            request.put("type", "no_such_type_" + UUID.randomUUID());
            Response refused = portal.initiateRaw(request);
            refused.then().statusCode(404).contentType(ContentType.JSON)
                    .body("error_code", equalTo("3005"))
                    .body("description", equalTo(refused.path("error_message")));
        }

        @Test
        void badClientCredentialsAreTheOAuthErrorResponse() {
            given().header("Authorization", "Basic aW52YWxpZDppbnZhbGlk").contentType(ContentType.URLENC)
                    .formParams(Map.of("type", "otp", "callback_uri", TestPortal.CALLBACK, "message", "Hi"))
                    .post(INITIATE)
                    .then().statusCode(401).body("error", equalTo("invalid_client"))
                    .body("error_description", notNullValue());
        }
    }

    @Nested
    class FormCredentials {

        @Test
        void initiationAcceptsTheClientInTheForm() {
            TestPortal portal = TestPortal.create();
            Map<String, String> request = new java.util.HashMap<>(otpRequest(portal));
            request.put("client_id", portal.client.clientId());
            request.put("client_secret", portal.client.secret());
            Response started = given().contentType(ContentType.URLENC).formParams(request).post(INITIATE);
            started.then().statusCode(200).body("transaction_id", notNullValue());
            portal.result(started.path("transaction_id")).then().statusCode(200).body("status", equalTo("PENDING"));
        }

        @Test
        void aWrongSecretInTheFormIsInvalidClient() {
            TestPortal portal = TestPortal.create();
            Map<String, String> request = new java.util.HashMap<>(otpRequest(portal));
            request.put("client_id", portal.client.clientId());
            request.put("client_secret", "wrong");
            given().contentType(ContentType.URLENC).formParams(request).post(INITIATE)
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
            request.remove("client_secret");
            given().contentType(ContentType.URLENC).formParams(request).post(INITIATE)
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
        }

        @Test
        void theHeaderAndTheFormTogetherAreRefused() {
            TestPortal portal = TestPortal.create();
            Map<String, String> request = new java.util.HashMap<>(otpRequest(portal));
            request.put("client_id", portal.client.clientId());
            request.put("client_secret", portal.client.secret());
            portal.form().formParams(request).post(INITIATE)
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
        }

        @Test
        void reverseCodeEntryAcceptsTheClientInTheForm() {
            TestPortal portal = TestPortal.create();
            String id = portal.initiate().path("transaction_id");
            given().contentType(ContentType.URLENC)
                    .formParams(Map.of("client_id", portal.client.clientId(), "client_secret", portal.client.secret(),
                            "code", "123456"))
                    .post("/oauth/api/v4/authenticate/transaction/{id}/reverse-code", id)
                    .then().statusCode(409).body("error_code", equalTo("9001"));
        }

        @Test
        void disablingAcceptsTheClientInTheForm() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();
            portal.answeredBy(phone, true);
            given().contentType(ContentType.URLENC)
                    .formParams(Map.of("client_id", portal.client.clientId(), "client_secret", portal.client.secret()))
                    .post(DISABLE, phone.userId(), phone.registered.device().deviceId())
                    .then().statusCode(204);
            phone.fetchRaw(portal.initiate().path("otp")).then().statusCode(403);
            given().contentType(ContentType.URLENC)
                    .formParams(Map.of("client_id", portal.client.clientId(), "client_secret", "wrong"))
                    .post(DISABLE, phone.userId(), phone.registered.device().deviceId())
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
        }
    }

    @Nested
    class Availability {

        @Test
        void aUserWhoAnsweredThisClientCanUseEveryOtpType() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();
            portal.answeredBy(phone, true);

            portal.client.auth().get("/oauth/api/v4/authenticate/user/{u}/enabled", phone.userId())
                    .then().statusCode(200)
                    .body("enabled.find { it.type == '" + portal.loginType + "' }.method", equalTo("OTP"))
                    .body("enabled.find { it.type == '" + portal.matchingType + "' }.method", equalTo("OTP"));
            portal.client.auth().get("/oauth/api/v4/authenticate/user/{u}/device/{d}/enabled",
                            phone.userId(), phone.registered.device().deviceId())
                    .then().statusCode(200)
                    .body("enabled", hasItem(portal.loginType))
                    .body("enabled", hasItem(portal.matchingType));
        }

        @Test
        void anUnknownUserOrDeviceHasAnEmptyList() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();
            portal.answeredBy(phone, true);

            portal.client.auth().get("/oauth/api/v4/authenticate/user/{u}/enabled", "nobody-" + UUID.randomUUID())
                    .then().statusCode(200).body("enabled", equalTo(List.of()));
            for (String device : List.of(ONEGINI_DEVICE_ID, UUID.randomUUID().toString())) {
                portal.client.auth().get("/oauth/api/v4/authenticate/user/{u}/device/{d}/enabled", phone.userId(), device)
                        .then().statusCode(200).body("enabled", equalTo(List.of()));
            }
        }

        @Test
        void aClientIsNotToldAboutUsersItNeverSaw() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal.create().answeredBy(phone, true);
            TestPortal stranger = TestPortal.create();
            stranger.client.auth().get("/oauth/api/v4/authenticate/user/{u}/enabled", phone.userId())
                    .then().statusCode(200).body("enabled", equalTo(List.of()));
        }

        @Test
        void aDisenrolledUserHasNoTypes() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();
            portal.answeredBy(phone, true);
            portal.client.auth().post(DISABLE, phone.userId(), phone.registered.device().deviceId())
                    .then().statusCode(204);
            portal.client.auth().get("/oauth/api/v4/authenticate/user/{u}/enabled", phone.userId())
                    .then().statusCode(200).body("enabled", equalTo(List.of()));
        }

        @Test
        void badCredentialsAreRefused() {
            given().auth().preemptive().basic("invalid", "invalid")
                    .get("/oauth/api/v4/authenticate/user/{u}/enabled", "someone")
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
        }
    }

    @Nested
    class Disable {

        @Test
        void aDeviceIdInOneginisFormIsAnsweredNoContent() {
            TestPortal portal = TestPortal.create();
            portal.client.auth().post(DISABLE, "someone", ONEGINI_DEVICE_ID).then().statusCode(204);
            portal.client.auth().post(DISABLE, "someone", "x").then().statusCode(204);
            given().auth().preemptive().basic(portal.client.clientId(), "wrong")
                    .post(DISABLE, "someone", ONEGINI_DEVICE_ID).then().statusCode(401);
        }
    }

    @Nested
    class Caching {

        @Test
        void everyAnswerOfEveryApiForbidsCaching() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            List<Response> answers = List.of(
                    portal.initiate(),
                    portal.result(UUID.randomUUID().toString()),
                    given().auth().preemptive().basic("invalid", "invalid").get(RESULT, UUID.randomUUID()),
                    admin().get("/admin/api/v1/clients/{id}", portal.client.clientId()),
                    admin().get("/admin/api/v1/clients/{id}", "nope"),
                    phone.fetchRaw("not-an-otp"),
                    given().get("/oauth/api/v4/nothing-here"),
                    given().contentType(ContentType.URLENC).body("type=" + "x".repeat(70_000)).post(INITIATE));
            for (Response answer : answers) {
                assertThat(answer.header("Cache-Control")).as(answer.statusLine()).contains("no-store");
                assertThat(answer.header("Pragma")).as(answer.statusLine()).isEqualTo("no-cache");
            }
        }
    }
}
