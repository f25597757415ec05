package dev.qrauth.tokenserver;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each API's authentication mechanism answers for its own paths only, with its own error body,
 * and only where a resource asks for a role: after routing, so an unknown path stays a 404, and
 * never on endpoints open to everyone.
 */
@QuarkusTest
class AuthenticationMechanismsTest {

    private static final String TYPES = "/admin/api/v1/mobile-auth-types";
    private static final String SELF = "/device/api/v1/devices/self";

    @Nested
    class AdminApi {
        @Test
        void missingCredentialsAreRefusedWithTheChallengeAndTheAdminBody() {
            given().get(TYPES).then().statusCode(401)
                    .header("WWW-Authenticate", equalTo("Basic realm=\"qrauth admin API\""))
                    .body("error", equalTo("unauthorized"))
                    .body("error_message", equalTo("Admin credentials required"));
        }

        @Test
        void credentialsThatAreNotBasicAreRefusedLikeMissingOnes() {
            given().header("Authorization", "Bearer " + TestApi.ADMIN_PASSWORD).get(TYPES).then().statusCode(401)
                    .header("WWW-Authenticate", equalTo("Basic realm=\"qrauth admin API\""))
                    .body("error", equalTo("unauthorized"));
        }

        @Test
        void aDevicesCredentialsDoNotOpenIt() {
            TestApi.DeviceCredentials device = TestApi.registerDevice();
            device.auth().get(TYPES).then().statusCode(401).body("error", equalTo("unauthorized"));
        }

        @Test
        void anUnknownPathIsNotFoundWithoutCredentials() {
            given().get("/admin/api/v1/no-such-thing").then().statusCode(404).body("error", equalTo("not_found"));
        }
    }

    @Nested
    class DeviceApi {
        @Test
        void missingCredentialsAreRefusedWithTheDeviceBodyAndNoChallenge() {
            given().contentType(ContentType.JSON).delete(SELF).then().statusCode(401)
                    .header("WWW-Authenticate", nullValue())
                    .body("error", equalTo("DEVICE_DEREGISTERED"))
                    .body("error_message", equalTo("This device is not registered"));
        }

        @Test
        void theAdminsCredentialsDoNotOpenIt() {
            TestApi.admin().delete(SELF).then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
        }

        @Test
        void registeringADeviceNeedsNoCredentialsWhateverTheHeaderCarries() {
            given().header("Authorization", "Basic bm90OmEtZGV2aWNl").contentType(ContentType.JSON)
                    .body(Map.of("name", "Test phone")).post("/device/api/v1/devices").then().statusCode(201);
        }

        @Test
        void anUnknownPathIsNotFoundWithoutCredentials() {
            given().contentType(ContentType.JSON).get("/device/api/v1/no-such-thing").then().statusCode(404)
                    .body("error", equalTo("NOT_FOUND"));
        }

        @Test
        void theDeviceTheCredentialsNameIsTheOneActedOn() {
            TestApi.DeviceCredentials kept = TestApi.registerDevice();
            TestApi.DeviceCredentials leaving = TestApi.registerDevice();
            leaving.auth().delete(SELF).then().statusCode(204);
            leaving.auth().delete(SELF).then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
            kept.auth().delete(SELF).then().statusCode(204);
        }
    }
}
