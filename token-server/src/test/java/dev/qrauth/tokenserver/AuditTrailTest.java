package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every security event of a device's life leaves an audit event, in order. */
@QuarkusTest
class AuditTrailTest {

    @Test
    void aDevicesLifeIsAudited() {
        TestDevice phone = TestDevice.enrolled();
        TestApi.Registered registered = phone.registered;
        registered.device().auth().body(Map.of("pin", "13579"))
                .post("/device/api/v1/users/{u}/session", registered.userId()).then().statusCode(401);
        TestPortal portal = TestPortal.create();
        portal.answeredBy(phone, true);
        portal.client.auth().post("/oauth/api/v4/users/{u}/devices/{d}/disableMobileAuthentication",
                registered.userId(), registered.device().deviceId()).then().statusCode(204);
        String token = registered.login();
        registered.session(token).delete("/device/api/v1/users/{u}/session", registered.userId()).then().statusCode(204);
        admin().delete("/admin/api/v1/devices/{d}", registered.device().deviceId()).then().statusCode(204);

        admin().queryParam("device_id", registered.device().deviceId()).get("/admin/api/v1/audit")
                .then().statusCode(200)
                .body("events.event_type", equalTo(List.of(
                        "DEVICE_DEREGISTERED",
                        "USER_LOGGED_OUT",
                        "PIN_ACCEPTED",
                        "MOBILE_AUTH_DISENROLLED",
                        "TRANSACTION_CONFIRMED",
                        "TRANSACTION_SCANNED",
                        "PIN_REJECTED",
                        "MOBILE_AUTH_ENROLLED",
                        "PIN_ACCEPTED",
                        "USER_REGISTERED",
                        "DEVICE_REGISTERED")))
                .body("events[0].actor", equalTo("admin"))
                .body("events[3].actor", equalTo("client:" + portal.client.clientId()))
                .body("events[10].actor", equalTo("device:" + registered.device().deviceId()));
    }
}
