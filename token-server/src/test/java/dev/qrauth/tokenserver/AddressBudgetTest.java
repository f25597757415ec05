package dev.qrauth.tokenserver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Budgets per source address: failed authentications over all ids and APIs, and anonymous
 * device registrations. Every request here comes from 127.0.0.1.
 */
@QuarkusTest
@TestProfile(AddressBudgetTest.SmallAddressBudget.class)
class AddressBudgetTest {

    static final int FAILURES = 5;
    static final int REGISTRATIONS = 3;

    public static class SmallAddressBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokenserver.auth-failures.per-address", String.valueOf(FAILURES),
                    "tokenserver.device-registration.per-address", String.valueOf(REGISTRATIONS));
        }
    }

    @Test
    void oneAddressSpendsOneBudgetOverEveryIdAndApi() {
        for (int i = 0; i < FAILURES; i++) {
            // A new made-up client id each time: no id reaches its own budget.
            given().auth().preemptive().basic(TestApi.unique("guess"), "wrong")
                    .get("/oauth/api/v4/authenticate/transaction/{id}", UUID.randomUUID())
                    .then().statusCode(401);
        }
        Response portal = given().auth().preemptive().basic(TestApi.unique("guess"), "wrong")
                .get("/oauth/api/v4/authenticate/transaction/{id}", UUID.randomUUID());
        portal.then().statusCode(429).body("error_code", equalTo("9002"));
        assertRetryAfter(portal);

        Response device = given().auth().preemptive().basic(UUID.randomUUID().toString(), "wrong")
                .contentType(ContentType.JSON).delete("/device/api/v1/devices/self");
        device.then().statusCode(429).body("error", equalTo("RATE_LIMITED"));
        assertRetryAfter(device);

        Response admin = given().auth().preemptive().basic("admin", "wrong").contentType(ContentType.JSON)
                .get("/admin/api/v1/mobile-auth-types");
        admin.then().statusCode(429).body("error", equalTo("rate_limited"));
        assertRetryAfter(admin);
    }

    @Test
    void deviceRegistrationIsLimitedPerAddress() {
        for (int i = 0; i < REGISTRATIONS; i++) {
            TestApi.registerDevice();
        }
        Response refused = given().contentType(ContentType.JSON).body(Map.of("name", "one too many"))
                .post("/device/api/v1/devices");
        refused.then().statusCode(429).body("error", equalTo("RATE_LIMITED"));
        // One registration comes back every 20 minutes (3 per hour).
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 1200L);
    }

    private static void assertRetryAfter(Response response) {
        assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, 60L);
    }
}
