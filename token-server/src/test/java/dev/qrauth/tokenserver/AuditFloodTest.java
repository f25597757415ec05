package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The events of refused requests are capped per type, so a flood of bad requests cannot fill the log. */
@QuarkusTest
@TestProfile(AuditFloodTest.SmallCap.class)
class AuditFloodTest {

    static final int CAP = 3;

    public static class SmallCap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokenserver.audit.refusals-per-minute", String.valueOf(CAP));
        }
    }

    @Test
    void refusalsBeyondTheCapAreNotWritten() {
        TestApi.Client client = TestApi.createClient();
        for (int i = 0; i < CAP + 4; i++) {
            given().auth().preemptive().basic(client.clientId(), "wrong-" + i)
                    .get("/oauth/api/v4/authenticate/transaction/{id}", UUID.randomUUID()).then().statusCode(401);
        }
        admin().queryParam("type", "AUTHENTICATION_FAILED").get("/admin/api/v1/audit").then().statusCode(200)
                .body("events", hasSize(CAP));
        // Other events are not capped.
        TestApi.createUser();
        TestApi.createUser();
        TestApi.createUser();
        TestApi.createUser();
        admin().queryParam("type", "USER_CREATED").get("/admin/api/v1/audit").then().body("events", hasSize(4));
    }
}
