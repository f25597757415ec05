package dev.qrauth.tokenserver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpDecoding;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Onegini v4 portal API: initiate, read the result, cancel; every documented error. */
@QuarkusTest
class PortalApiTest {

    TestPortal portal;

    @BeforeEach
    void createPortal() {
        portal = TestPortal.create();
    }

    static Map<String, String> params(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Nested
    class Initiate {
        @Test
        void answersWithTheOneginiFieldsAndAnOtpForTheTransaction() {
            Instant before = Instant.now();
            Response response = portal.initiate();
            String transactionId = response.path("transaction_id");
            assertThat((String) response.path("auth_method")).isEqualTo("otp");
            assertThat((Integer) response.path("time_to_live")).isEqualTo(120_000);
            assertThat((Object) response.path("binding_code")).isNull();
            Instant expiresAt = Instant.parse(response.path("expires_at"));
            assertThat(expiresAt).isBetween(before.plusSeconds(119), Instant.now().plusSeconds(121));
            OtpDecoding decoding = OtpCodec.decode(response.path("otp"));
            assertThat(decoding).isInstanceOf(OtpDecoding.Accepted.class);
            assertThat(((OtpDecoding.Accepted) decoding).payload().transactionId().toString()).isEqualTo(transactionId);
        }

        @Test
        void aNumberMatchingTypeGivesTheBrowserANumber() {
            portal.initiate(portal.matchingType, TestPortal.CALLBACK)
                    .then().body("binding_code", allOf(greaterThanOrEqualTo(10), lessThanOrEqualTo(99)));
        }

        @Test
        void theTypesDefaultMessageStandsInForAMissingOne() {
            portal.initiateRaw(params("type", portal.loginType, "callback_uri", TestPortal.CALLBACK))
                    .then().statusCode(200);
            portal.initiateRaw(params("type", portal.matchingType, "callback_uri", TestPortal.CALLBACK))
                    .then().statusCode(400).body("error_code", equalTo("1003"));
        }

        @Test
        void badClientsAreInvalidClient() {
            given().contentType(ContentType.URLENC).formParams(params("type", portal.loginType))
                    .post("/oauth/api/v4/authenticate/user")
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
            given().auth().preemptive().basic(portal.client.clientId(), "wrong").contentType(ContentType.URLENC)
                    .formParams(params("type", portal.loginType)).post("/oauth/api/v4/authenticate/user")
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
        }

        @Test
        void eachBadParameterHasItsOneginiCode() {
            String cb = TestPortal.CALLBACK;
            String type = portal.loginType;
            assertError(params("callback_uri", cb, "message", "m"), 400, 1003);
            assertError(params("type", "no-such-type", "callback_uri", cb, "message", "m"), 404, 3005);
            assertError(params("type", type, "callback_uri", cb, "message", "m", "user_id", "alice"), 400, 1003);
            assertError(params("type", type, "message", "m"), 400, 1003);
            assertError(params("type", type, "callback_uri", "ftp://portal.example/cb", "message", "m"), 400, 1003);
            assertError(params("type", type, "callback_uri", "https://evil.example/cb", "message", "m"), 400, 1003);
            assertError(params("type", type, "callback_uri", cb + "/", "message", "m"), 400, 1003);
            assertError(params("type", type, "callback_uri", cb, "message", "x".repeat(156)), 400, 1005);
            assertError(params("type", type, "callback_uri", cb, "message", "m", "secure_message", "x".repeat(8193)),
                    400, 1005);
            assertError(params("type", type, "callback_uri", cb, "message", "m", "ip_address", "example.com"), 400, 1003);
            assertError(params("type", type, "callback_uri", cb, "message", "m", "ip_address", "300.1.1.1"), 400, 1003);
            assertError(params("type", type, "callback_uri", cb, "message", "m", "language_code", "en_US!"), 400, 1003);
            assertError(params("type", type, "callback_uri", cb, "message", "m", "user_agent", "x".repeat(513)), 400, 1003);
        }

        @Test
        void aMessageOfExactlyTheMaximumAndIpv6AreAccepted() {
            portal.initiateRaw(params("type", portal.loginType, "callback_uri", TestPortal.CALLBACK,
                    "message", "x".repeat(155), "ip_address", "2001:db8::1", "language_code", "nl-NL"))
                    .then().statusCode(200);
        }

        @Test
        void aJsonBodyIsNotAForm() {
            portal.client.auth().contentType(ContentType.JSON).body("{\"type\":\"login\"}")
                    .post("/oauth/api/v4/authenticate/user")
                    .then().statusCode(415).body("error_code", notNullValue());
        }

        private void assertError(Map<String, String> parameters, int status, int code) {
            portal.initiateRaw(parameters).then().statusCode(status).body("error_code", equalTo(String.valueOf(code)))
                    .body("error_message", notNullValue());
        }
    }

    @Nested
    class Result {
        @Test
        void aPendingTransactionSaysSo() {
            Response started = portal.initiate();
            portal.result(started.path("transaction_id")).then().statusCode(200)
                    .body("transaction_id", equalTo(started.path("transaction_id")))
                    .body("callback_uri", equalTo(TestPortal.CALLBACK))
                    .body("is_authenticated", equalTo(false))
                    .body("status", equalTo("PENDING"))
                    .body("user_id", nullValue())
                    .body("timestamp", notNullValue())
                    .body("expires_at", equalTo(started.path("expires_at")))
                    .body("not_authenticated_reason", nullValue());
        }

        @Test
        void onlyTheCreatingClientCanReadOrCancel() {
            String transactionId = portal.initiate().path("transaction_id");
            TestPortal other = TestPortal.create();
            other.result(transactionId).then().statusCode(404).body("error_code", equalTo("3004"));
            other.client.auth().delete("/oauth/api/v4/authenticate/transaction/{id}", transactionId)
                    .then().statusCode(404).body("error_code", equalTo("3004"));
            portal.result(transactionId).then().statusCode(200).body("status", equalTo("PENDING"));
        }

        @Test
        void unknownAndMalformedIdsAreNotFound() {
            portal.result(UUID.randomUUID().toString()).then().statusCode(404).body("error_code", equalTo("3004"));
            portal.result("not-a-uuid").then().statusCode(404).body("error_code", equalTo("3004"));
        }
    }

    @Nested
    class Cancel {
        @Test
        void cancelsOnceAndThenIsNoLongerPending() {
            String transactionId = portal.initiate().path("transaction_id");
            portal.client.auth().delete("/oauth/api/v4/authenticate/transaction/{id}", transactionId)
                    .then().statusCode(204);
            portal.result(transactionId).then().statusCode(200)
                    .body("status", equalTo("CANCELLED"))
                    .body("is_authenticated", equalTo(false))
                    .body("not_authenticated_reason.reason", equalTo("cancelled"));
            portal.client.auth().delete("/oauth/api/v4/authenticate/transaction/{id}", transactionId)
                    .then().statusCode(409).body("error_code", equalTo("9001"));
        }
    }
}
