package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.qrauth.protocol.message.MobileAuthMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text the phone shows (message, secure message, the portal's name, user ids, device names)
 * carries no control or format characters: an ESC sequence, a carriage return, a bidi override
 * or a zero-width character is refused where it enters, in the API's own error shape.
 */
@QuarkusTest
class ShownTextTest {

    /** ESC (an "invisible" SGR), CR, NUL, C1 NEL, right-to-left override, zero-width space, BOM. */
    static final String ESC = "Pay EUR 0.001\u001B[8m From: Firefox on Linux";
    static final String CR = "Pay EUR 0.001\rPay EUR 1000";
    static final String NUL = "Pay\u0000";
    static final String NEL = "Pay\u0085EUR 1000";
    static final String RLO = "Pay EUR \u202E0.001";
    static final String ZWSP = "Pay EUR 1\u200B000";
    static final String BOM = "\uFEFFPay EUR 1000";

    /** Accents, CJK, Arabic, an emoji with its variation selector: ordinary text in any script. */
    static final String PLAIN = "Überweisung an Zoë: € 12,50 · 東京で支払う · مرحبا · ❤️ 😀";

    TestPortal portal;

    @BeforeEach
    void createPortal() {
        portal = TestPortal.create();
    }

    private Response initiate(Map<String, String> extra) {
        Map<String, String> parameters = new java.util.HashMap<>(Map.of("type", portal.loginType,
                "callback_uri", TestPortal.CALLBACK));
        parameters.putAll(extra);
        // RestAssured's default form charset is ISO-8859-1, which would turn these into '?'.
        return portal.client.auth().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParams(parameters).post("/oauth/api/v4/authenticate/user");
    }

    @Nested
    class PortalApi {
        @ParameterizedTest
        @ValueSource(strings = {ESC, CR, NUL, NEL, RLO, ZWSP, BOM, "line one\nline two", "tab\there"})
        void aMessageWithControlOrFormatCharactersIsAnInvalidParameter(String message) {
            initiate(Map.of("message", message)).then().statusCode(400)
                    .body("error_code", equalTo("1003")).body("error_message", containsString("message"));
        }

        @ParameterizedTest
        @ValueSource(strings = {ESC, CR, NUL, NEL, RLO, ZWSP, BOM})
        void aSecureMessageWithControlOrFormatCharactersIsAnInvalidParameter(String secure) {
            initiate(Map.of("message", "Log in", "secure_message", secure)).then().statusCode(400)
                    .body("error_code", equalTo("1003"))
                    .body("error_message", containsString("secure_message"));
        }

        @Test
        void tabAndNewlineInTheSecureMessageAndPlainUnicodeEverywhereReachThePhoneIntact() {
            TestDevice phone = TestDevice.enrolled();
            String secure = "Amount:\tEUR 12,50\nTo:\t" + PLAIN;
            Response started = initiate(Map.of("message", PLAIN, "secure_message", secure));
            assertThat(started.statusCode()).as(started.asString()).isEqualTo(200);
            MobileAuthMessage shown = phone.fetch(started.path("otp"));
            assertThat(shown.message()).isEqualTo(PLAIN);
            assertThat(shown.secureMessage()).isEqualTo(secure);
        }
    }

    @Nested
    class AdminApi {
        @ParameterizedTest
        @ValueSource(strings = {ESC, CR, NUL, NEL, RLO, ZWSP, BOM, "Example\nPortal"})
        void aClientDisplayNameWithControlOrFormatCharactersIsRefused(String displayName) {
            admin().body(Map.of("name", unique("portal"), "display_name", displayName, "callback_uris", List.of()))
                    .post("/admin/api/v1/clients")
                    .then().statusCode(400).body("error", equalTo("invalid_request"))
                    .body("error_message", containsString("display_name"));
        }

        @ParameterizedTest
        @ValueSource(strings = {ESC, CR, NUL, NEL, RLO, ZWSP, BOM})
        void aTypesDefaultMessageWithControlOrFormatCharactersIsRefused(String message) {
            admin().body(Map.of("name", unique("login"), "method", "OTP", "time_to_live_seconds", 120,
                            "default_message", message))
                    .post("/admin/api/v1/mobile-auth-types")
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"al\u001B[8mice", "al\rice", "al\u0000ice", "al\u0085ice", "al\u202Eice", "al\u200Bice",
                "\uFEFFalice"})
        void aUserIdWithControlOrFormatCharactersIsRefused(String userId) {
            admin().body(Map.of("user_id", userId)).post("/admin/api/v1/users")
                    .then().statusCode(400).body("error", equalTo("invalid_request"))
                    .body("error_message", containsString("user_id"));
        }

        @Test
        void aPlainUnicodeUserIdIsAccepted() {
            String userId = unique("zoë-東京-😀");
            admin().body(Map.of("user_id", userId)).post("/admin/api/v1/users")
                    .then().statusCode(201).body("user_id", equalTo(userId));
        }

        @Test
        void aPlainUnicodeDisplayNameIsAcceptedAndReachesThePhoneIntact() {
            Response created = admin().body(Map.of("name", unique("portal"), "display_name", PLAIN,
                    "callback_uris", List.of())).post("/admin/api/v1/clients");
            assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
            TestApi.Client client = new TestApi.Client(created.path("client_id"), created.path("client_secret"), null);
            Response started = client.auth().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                    .formParams(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK))
                    .post("/oauth/api/v4/authenticate/user");
            assertThat(started.statusCode()).as(started.asString()).isEqualTo(200);
            assertThat(TestDevice.enrolled().fetch(started.path("otp")).portalName()).isEqualTo(PLAIN);
        }
    }

    @Nested
    class DeviceApi {
        @ParameterizedTest
        @ValueSource(strings = {"al\u001B[8mice", "al\rice", "al\u0000ice", "al\u0085ice", "al\u202Eice", "al\u200Bice",
                "\uFEFFalice"})
        void aUserIdRegisteredOnADeviceWithControlOrFormatCharactersIsRefused(String userId) {
            TestApi.registerDevice().auth()
                    .body(Map.of("user_id", userId, "activation_code", "K7QZ2-M4XPA-9RTWC-HD3NB", "pin", TestApi.PIN))
                    .post("/device/api/v1/users")
                    .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"))
                    .body("error_message", containsString("user_id"));
        }

        @ParameterizedTest
        @ValueSource(strings = {ESC, CR, NUL, NEL, RLO, ZWSP, BOM})
        void aDeviceNameWithControlOrFormatCharactersIsRefused(String name) {
            given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/device/api/v1/devices")
                    .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
        }
    }
}
