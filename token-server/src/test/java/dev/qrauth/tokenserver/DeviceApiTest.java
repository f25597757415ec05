package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.PIN;
import static dev.qrauth.tokenserver.TestApi.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.qrauth.protocol.device.DeviceHeaders;
import dev.qrauth.protocol.pgp.PgpKey;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class DeviceApiTest {

    @Nested
    class DeviceRegistration {
        @Test
        void givesADeviceIdAndSecret() {
            given().contentType(ContentType.JSON).body(Map.of("name", "Alice's phone"))
                    .post("/device/api/v1/devices")
                    .then().statusCode(201)
                    .body("device_id", matchesPattern("[0-9a-f-]{36}"))
                    .body("device_secret", matchesPattern("[A-Za-z0-9_-]{43}"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"name\":\"\"}", "{\"name\":\"   \"}", "{\"name\":42}", "[]", "null"})
        void refusesABadName(String body) {
            given().contentType(ContentType.JSON).body(body).post("/device/api/v1/devices")
                    .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
        }

        @Test
        void refusesAnOverlongName() {
            given().contentType(ContentType.JSON).body(Map.of("name", "x".repeat(101))).post("/device/api/v1/devices")
                    .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
        }

        @Test
        void aDeviceCanDeregisterItself() {
            TestApi.Registered registered = TestApi.registerUser();
            registered.device().auth().delete("/device/api/v1/devices/self").then().statusCode(204);
            registered.device().auth().delete("/device/api/v1/devices/self")
                    .then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
            admin().get("/admin/api/v1/users/{u}", registered.userId()).then().body("devices.size()", equalTo(0));
        }

        @Test
        void wrongOrMissingDeviceCredentialsAreDeregistered() {
            TestApi.DeviceCredentials device = TestApi.registerDevice();
            String[][] attempts = {
                    {device.deviceId(), "wrong-secret"},
                    {UUID.randomUUID().toString(), device.secret()},
                    {"not-a-uuid", device.secret()}};
            for (String[] attempt : attempts) {
                given().auth().preemptive().basic(attempt[0], attempt[1]).contentType(ContentType.JSON)
                        .body(Map.of("pin", PIN)).post("/device/api/v1/users/u/session")
                        .then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
            }
            given().contentType(ContentType.JSON).body(Map.of("pin", PIN)).post("/device/api/v1/users/u/session")
                    .then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
            given().header("Authorization", "Bearer abc").contentType(ContentType.JSON).body(Map.of("pin", PIN))
                    .post("/device/api/v1/users/u/session")
                    .then().statusCode(401).body("error", equalTo("DEVICE_DEREGISTERED"));
        }
    }

    @Nested
    class UserRegistration {
        @Test
        void anActivationCodeWorksOnceAndIgnoresCaseAndSpaces() {
            TestApi.Code code = TestApi.createUser();
            TestApi.DeviceCredentials device = TestApi.registerDevice();
            device.auth().body(Map.of("user_id", code.userId(), "activation_code",
                            " " + code.activationCode().toLowerCase() + " ", "pin", PIN))
                    .post("/device/api/v1/users").then().statusCode(201).body("user_id", equalTo(code.userId()));
            TestApi.registerDevice().auth()
                    .body(Map.of("user_id", code.userId(), "activation_code", code.activationCode(), "pin", PIN))
                    .post("/device/api/v1/users")
                    .then().statusCode(400).body("error", equalTo("INVALID_ACTIVATION_CODE"));
        }

        @Test
        void aCodeOnlyWorksForItsOwnUser() {
            TestApi.Code alice = TestApi.createUser();
            TestApi.Code bob = TestApi.createUser();
            TestApi.registerDevice().auth()
                    .body(Map.of("user_id", bob.userId(), "activation_code", alice.activationCode(), "pin", PIN))
                    .post("/device/api/v1/users")
                    .then().statusCode(400).body("error", equalTo("INVALID_ACTIVATION_CODE"));
        }

        @Test
        void anUnknownCodeIsRefused() {
            TestApi.Code code = TestApi.createUser();
            TestApi.registerDevice().auth()
                    .body(Map.of("user_id", code.userId(), "activation_code", "AAAAA-AAAAA-AAAAA-AAAAA", "pin", PIN))
                    .post("/device/api/v1/users")
                    .then().statusCode(400).body("error", equalTo("INVALID_ACTIVATION_CODE"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1234", "11111", "12345", "98765", "01234", "abcde", "1234a", "123456789012345678901234567890123"})
        void weakOrMalformedPinsAreRefusedAndTheCodeIsNotSpent(String pin) {
            TestApi.Code code = TestApi.createUser();
            TestApi.DeviceCredentials device = TestApi.registerDevice();
            device.auth().body(Map.of("user_id", code.userId(), "activation_code", code.activationCode(), "pin", pin))
                    .post("/device/api/v1/users")
                    .then().statusCode(400).body("error", equalTo("PIN_NOT_ALLOWED"));
            device.auth().body(Map.of("user_id", code.userId(), "activation_code", code.activationCode(), "pin", PIN))
                    .post("/device/api/v1/users").then().statusCode(201);
        }

        @Test
        void missingFieldsAreInvalid() {
            TestApi.DeviceCredentials device = TestApi.registerDevice();
            device.auth().body(Map.of("user_id", "u", "pin", PIN)).post("/device/api/v1/users")
                    .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
            device.auth().body(Map.of("user_id", "has space", "activation_code", "x", "pin", PIN))
                    .post("/device/api/v1/users").then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
        }

        @Test
        void reRegisteringReplacesTheOldRegistration() {
            TestApi.Registered registered = TestApi.registerUser();
            String oldToken = registered.login();
            String code = admin().post("/admin/api/v1/users/{u}/activation-codes", registered.userId())
                    .then().statusCode(201).extract().path("activation_code");
            registered.device().auth()
                    .body(Map.of("user_id", registered.userId(), "activation_code", code, "pin", "97531"))
                    .post("/device/api/v1/users").then().statusCode(201);
            registered.session(oldToken).get("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
            registered.device().auth().body(Map.of("pin", "97531"))
                    .post("/device/api/v1/users/{u}/session", registered.userId()).then().statusCode(200);
        }
    }

    @Nested
    class PinLogin {
        @Test
        void theRightPinGivesAShortLivedToken() {
            TestApi.Registered registered = TestApi.registerUser();
            registered.device().auth().body(Map.of("pin", PIN))
                    .post("/device/api/v1/users/{u}/session", registered.userId())
                    .then().statusCode(200)
                    .body("access_token", matchesPattern("[A-Za-z0-9_-]{43}"))
                    .body("token_type", equalTo("Bearer"))
                    .body("expires_in", equalTo(300));
        }

        @Test
        void wrongPinsCountDownAndTheLastRemovesTheUser() {
            TestApi.Registered registered = TestApi.registerUser();
            for (int remaining = 2; remaining >= 1; remaining--) {
                registered.device().auth().body(Map.of("pin", "13579"))
                        .post("/device/api/v1/users/{u}/session", registered.userId())
                        .then().statusCode(401)
                        .body("error", equalTo("INVALID_PIN"))
                        .body("remaining_attempts", equalTo(remaining));
            }
            registered.device().auth().body(Map.of("pin", "13579"))
                    .post("/device/api/v1/users/{u}/session", registered.userId())
                    .then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"))
                    .body("remaining_attempts", nullValue());
            registered.device().auth().body(Map.of("pin", PIN))
                    .post("/device/api/v1/users/{u}/session", registered.userId())
                    .then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"));
            admin().queryParam("user_id", registered.userId()).queryParam("limit", 3).get("/admin/api/v1/audit")
                    .then().body("events.event_type", equalTo(java.util.List.of(
                            "USER_DEREGISTERED", "PIN_LOCKOUT", "PIN_REJECTED")));
        }

        @Test
        void aSuccessResetsTheCounter() {
            TestApi.Registered registered = TestApi.registerUser();
            for (int round = 0; round < 3; round++) {
                registered.device().auth().body(Map.of("pin", "13579"))
                        .post("/device/api/v1/users/{u}/session", registered.userId())
                        .then().statusCode(401).body("remaining_attempts", equalTo(2));
                registered.login();
            }
        }

        @Test
        void aUserNotOnThisDeviceIsDeregistered() {
            TestApi.Registered registered = TestApi.registerUser();
            TestApi.registerDevice().auth().body(Map.of("pin", PIN))
                    .post("/device/api/v1/users/{u}/session", registered.userId())
                    .then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"));
        }

        @Test
        void aMissingPinIsInvalid() {
            TestApi.Registered registered = TestApi.registerUser();
            registered.device().auth().body("{}").post("/device/api/v1/users/{u}/session", registered.userId())
                    .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
        }
    }

    @Nested
    class Sessions {
        @Test
        void sessionEndpointsNeedAValidToken() {
            TestApi.Registered registered = TestApi.registerUser();
            registered.device().auth().get("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
            registered.session("made-up").get("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
        }

        @Test
        void aTokenOnlyWorksForItsOwnUserAndDevice() {
            TestApi.Registered alice = TestApi.registerUser();
            TestApi.Registered bob = TestApi.registerUser();
            String aliceToken = alice.login();
            bob.session(aliceToken).get("/device/api/v1/users/{u}/mobile-auth/enrollment", bob.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
            bob.device().auth().header(DeviceHeaders.ACCESS_TOKEN, aliceToken)
                    .get("/device/api/v1/users/{u}/mobile-auth/enrollment", alice.userId())
                    .then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"));
        }

        @Test
        void logoutEndsTheSession() {
            TestApi.Registered registered = TestApi.registerUser();
            String token = registered.login();
            registered.session(token).delete("/device/api/v1/users/{u}/session", registered.userId())
                    .then().statusCode(204);
            registered.session(token).get("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
        }

        @Test
        void aUserCanLeaveTheDevice() {
            TestApi.Registered registered = TestApi.registerUser();
            String token = registered.login();
            registered.session(token).delete("/device/api/v1/users/{u}", registered.userId()).then().statusCode(204);
            registered.device().auth().body(Map.of("pin", PIN))
                    .post("/device/api/v1/users/{u}/session", registered.userId())
                    .then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"));
        }
    }

    @Nested
    class Enrollment {
        @Test
        void enrollingReturnsTheServerCertificateAndRecordsTheKey() {
            TestApi.Registered registered = TestApi.registerUser();
            String token = registered.login();
            registered.session(token).get("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().statusCode(200).body("enrolled", equalTo(false));
            PgpKey key = TestApi.PGP.generateKey("device");
            String serverCertificate = registered.session(token)
                    .body(Map.of("device_certificate", key.certificate().toArmoredString()))
                    .put("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().statusCode(200)
                    .body("device_key_fingerprint", equalTo(key.fingerprint()))
                    .extract().path("server_certificate");
            TestApi.PGP.readCertificate(serverCertificate);
            registered.session(token).get("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().statusCode(200).body("enrolled", equalTo(true))
                    .body("device_key_fingerprint", equalTo(key.fingerprint()));
        }

        @Test
        void reEnrollmentReplacesTheKeyAndTheServerKeyStaysTheSame() {
            TestApi.Registered registered = TestApi.registerUser();
            String token = registered.login();
            String first = enroll(registered, token, TestApi.PGP.generateKey("one"));
            PgpKey second = TestApi.PGP.generateKey("two");
            String again = enroll(registered, token, second);
            org.assertj.core.api.Assertions.assertThat(again).isEqualTo(first);
            registered.session(token).get("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().body("device_key_fingerprint", equalTo(second.fingerprint()));
        }

        @Test
        void certificatesOutsideTheProfileAreRefused() throws Exception {
            TestApi.Registered registered = TestApi.registerUser();
            String token = registered.login();
            OpenPGPKey v4 = new BcOpenPGPApi().generateKey(4).ed25519x25519Key("legacy").build();
            for (String certificate : new String[] {"not a certificate",
                    v4.toCertificate().toAsciiArmoredString(),
                    TestApi.PGP.generateKey("secret").toArmoredSecret()}) {
                registered.session(token).body(Map.of("device_certificate", certificate))
                        .put("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                        .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"))
                        .body("error_message", not(matchesPattern(".*(Exception|at org\\.).*")));
            }
            registered.session(token).body("{}")
                    .put("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
        }

        @Test
        void enrollmentNeedsASession() {
            TestApi.Registered registered = TestApi.registerUser();
            registered.device().auth()
                    .body(Map.of("device_certificate", TestApi.PGP.generateKey("d").certificate().toArmoredString()))
                    .put("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
        }

        private String enroll(TestApi.Registered registered, String token, PgpKey key) {
            return registered.session(token).body(Map.of("device_certificate", key.certificate().toArmoredString()))
                    .put("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                    .then().statusCode(200).body("server_certificate", notNullValue())
                    .extract().path("server_certificate");
        }
    }
}
