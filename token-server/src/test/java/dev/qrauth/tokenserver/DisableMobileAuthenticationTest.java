package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /oauth/api/v4/users/{userId}/devices/{deviceId}/disableMobileAuthentication}: only a
 * client that read the user in a result may disable them, and the answer is {@code 204} whatever
 * happened, so no client learns which users are on which device.
 */
@QuarkusTest
class DisableMobileAuthenticationTest {

    private static final String PATH = "/oauth/api/v4/users/{u}/devices/{d}/disableMobileAuthentication";
    /** Sends the Content-Type as written, without the charset RestAssured otherwise appends. */
    private static final RestAssuredConfig EXACT_CONTENT_TYPE = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    @Test
    void aClientThatNeverSawTheUserChangesNothing() {
        TestDevice phone = TestDevice.enrolled();
        TestPortal stranger = TestPortal.create();
        TestPortal.create().answeredBy(phone, true);

        stranger.client.auth().post(PATH, phone.userId(), phone.registered.device().deviceId())
                .then().statusCode(204);

        assertEnrolled(phone, true);
        String transactionId = stranger.answeredBy(phone, true);
        stranger.result(transactionId).then().body("status", equalTo("CONFIRMED"));
        admin().queryParam("user_id", phone.userId()).get("/admin/api/v1/audit")
                .then().body("events.event_type", not(hasItem("MOBILE_AUTH_DISENROLLED")));
    }

    @Test
    void aClientThatSawTheUserConfirmDisablesThemAndIsAudited() {
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        portal.answeredBy(phone, true);

        portal.client.auth().post(PATH, phone.userId(), phone.registered.device().deviceId())
                .then().statusCode(204);

        assertEnrolled(phone, false);
        phone.fetchRaw(portal.initiate().path("otp")).then().statusCode(403).body("error", equalTo("USER_DISENROLLED"));
        admin().queryParam("user_id", phone.userId()).get("/admin/api/v1/audit")
                .then().body("events.find { it.event_type == 'MOBILE_AUTH_DISENROLLED' }.client_id",
                        equalTo(portal.client.clientId()));
    }

    @Test
    void aDenialAlsoShowsTheClientWhoTheUserIs() {
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        portal.answeredBy(phone, false);

        portal.client.auth().post(PATH, phone.userId(), phone.registered.device().deviceId())
                .then().statusCode(204);

        assertEnrolled(phone, false);
    }

    @Test
    void unknownUsersAndDevicesAreAnsweredLikeKnownOnes() {
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        portal.answeredBy(phone, true);
        TestApi.Registered elsewhere = TestApi.registerUser();

        portal.client.auth().post(PATH, "nobody", phone.registered.device().deviceId()).then().statusCode(204);
        portal.client.auth().post(PATH, phone.userId(), UUID.randomUUID()).then().statusCode(204);
        portal.client.auth().post(PATH, phone.userId(), elsewhere.device().deviceId()).then().statusCode(204);
        portal.client.auth().post(PATH, elsewhere.userId(), elsewhere.device().deviceId()).then().statusCode(204);

        assertEnrolled(phone, true);
    }

    @Test
    void onlyBadCredentialsAreStillRefused() {
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        portal.answeredBy(phone, true);

        given().post(PATH, phone.userId(), phone.registered.device().deviceId())
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic(portal.client.clientId(), "wrong")
                .post(PATH, phone.userId(), phone.registered.device().deviceId())
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        portal.client.auth().post(PATH, phone.userId(), "not-a-uuid").then().statusCode(204);

        assertEnrolled(phone, true);
    }

    /** Found by the hostile-input suite: a broken multipart body was parsed for form credentials, and failed with 500. */
    @Test
    void aBodyThatIsNotAFormIsNeverParsed() {
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        portal.answeredBy(phone, true);

        given().auth().preemptive().basic(portal.client.clientId(), "wrong")
                .contentType("multipart/form-data; boundary=x").body("{\"a\":".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post(PATH, phone.userId(), phone.registered.device().deviceId())
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        portal.client.auth().contentType("multipart/form-data; boundary=x").body("{\"a\":".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post(PATH, phone.userId(), phone.registered.device().deviceId()).then().statusCode(204);

        assertEnrolled(phone, false);
    }

    /**
     * Found by the hostile-input suite (seed 20261128): a Content-Type that is not a media type
     * made the choice between this path's form and header-only methods fail with 500.
     */
    @Test
    void aContentTypeThatIsNotAMediaTypeIsRefusedWith415() {
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        portal.answeredBy(phone, true);
        byte[] deeplyNested = ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.UTF_8);

        Response refused = portal.client.auth().config(EXACT_CONTENT_TYPE).contentType(";;;").body(deeplyNested)
                .post(PATH, "hostile-" + UUID.randomUUID().toString().substring(0, 8), "not-a-uuid");

        BadInputTest.assertCleanRefusal(refused, 415, "error_code");
        refused.then().body("error_code", equalTo("1003"))
                .body("description", equalTo("Unsupported media type"))
                .body("error_message", equalTo("Unsupported media type"));
        portal.client.auth().config(EXACT_CONTENT_TYPE).contentType("garbage").body(deeplyNested)
                .post(PATH, phone.userId(), phone.registered.device().deviceId())
                .then().statusCode(415).body("error_code", equalTo("1003"));
        assertEnrolled(phone, true);
    }

    private static void assertEnrolled(TestDevice phone, boolean enrolled) {
        Response state = phone.registered.session(phone.accessToken)
                .get("/device/api/v1/users/{u}/mobile-auth/enrollment", phone.userId());
        state.then().statusCode(200).body("enrolled", equalTo(enrolled));
    }
}
