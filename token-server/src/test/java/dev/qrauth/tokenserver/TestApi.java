package dev.qrauth.tokenserver;

import static io.restassured.RestAssured.given;

import dev.qrauth.protocol.device.DeviceHeaders;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpKey;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds the state tests need through the public APIs, with names unique to each call. */
public final class TestApi {

    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final OpenPgp PGP = OpenPgp.withDefaultPolicy();

    private TestApi() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The Prometheus text of {@code /q/metrics}, which only the admin may read. */
    public static String metrics() {
        return admin().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    public static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    public record Client(String clientId, String secret, String signingSecret) {
        public RequestSpecification auth() {
            return given().auth().preemptive().basic(clientId, secret);
        }
    }

    public static Client createClient() {
        Response response = admin().body(Map.of("name", unique("portal"), "display_name", "Test Portal",
                        "callback_uris", List.of("https://portal.example/callbacks")))
                .post("/admin/api/v1/clients").then().statusCode(201).extract().response();
        return new Client(response.path("client_id"), response.path("client_secret"),
                response.path("callback_signing_secret"));
    }

    public record Code(String userId, String activationCode) {
    }

    public static Code createUser() {
        String userId = unique("user");
        String code = admin().body(Map.of("user_id", userId)).post("/admin/api/v1/users")
                .then().statusCode(201).extract().path("activation_code");
        return new Code(userId, code);
    }

    public record DeviceCredentials(String deviceId, String secret) {
        public RequestSpecification auth() {
            return given().auth().preemptive().basic(deviceId, secret).contentType(ContentType.JSON);
        }
    }

    public static DeviceCredentials registerDevice() {
        Response response = given().contentType(ContentType.JSON).body(Map.of("name", "Test phone"))
                .post("/device/api/v1/devices").then().statusCode(201).extract().response();
        return new DeviceCredentials(response.path("device_id"), response.path("device_secret"));
    }

    public static final String PIN = "24680";

    /** A user registered with {@link #PIN} on a fresh device. */
    public record Registered(DeviceCredentials device, String userId) {
        public String login() {
            return login(PIN);
        }

        /** Logs in with {@code pin} (the PIN or the duress PIN); returns the access token. */
        public String login(String pin) {
            return device.auth().body(Map.of("pin", pin))
                    .post("/device/api/v1/users/{user}/session", userId)
                    .then().statusCode(200).extract().path("access_token");
        }

        public RequestSpecification session(String accessToken) {
            return device.auth().header(DeviceHeaders.ACCESS_TOKEN, accessToken);
        }

        /** Logs in and enrolls a fresh device key; returns the key. */
        public PgpKey enroll() {
            PgpKey key = PGP.generateKey("device");
            session(login()).body(Map.of("device_certificate", key.certificate().toArmoredString()))
                    .put("/device/api/v1/users/{user}/mobile-auth/enrollment", userId)
                    .then().statusCode(200);
            return key;
        }
    }

    public static Registered registerUser() {
        Code code = createUser();
        DeviceCredentials device = registerDevice();
        device.auth().body(Map.of("user_id", code.userId(), "activation_code", code.activationCode(), "pin", PIN))
                .post("/device/api/v1/users").then().statusCode(201);
        return new Registered(device, code.userId());
    }
}
