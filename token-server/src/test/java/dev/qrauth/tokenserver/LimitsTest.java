package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpPayload;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The initiation rate, the pending cap and the failed-fetch budget, with limits small enough to reach. */
@QuarkusTest
@TestProfile(LimitsTest.SmallLimits.class)
class LimitsTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokenserver.pending-cap", "3", "tokenserver.fetch.max-failures", "3",
                    "tokenserver.initiation.rate", "1", "tokenserver.initiation.burst", "10");
        }
    }

    @Test
    void aClientCannotHoldMoreThanTheCapOfPendingTransactions() {
        TestPortal portal = TestPortal.create();
        String first = portal.initiate().path("transaction_id");
        portal.initiate();
        portal.initiate();
        Response refused = portal.initiateRaw(Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK));
        refused.then().statusCode(429).body("error_code", equalTo("9002"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();

        TestPortal.create().initiate();
        portal.client.auth().delete("/oauth/api/v4/authenticate/transaction/{id}", first).then().statusCode(204);
        portal.initiate();
    }

    @Test
    void theInitiationRateIsLimitedPerClient() {
        TestPortal busy = TestPortal.create();
        Response refused = null;
        // Ten in a burst, then one a second: thirty quick calls must meet the limit.
        for (int i = 0; i < 30 && refused == null; i++) {
            Response response = busy.initiateRaw(Map.of("type", "no-such-type", "callback_uri", TestPortal.CALLBACK));
            if (response.statusCode() == 429) {
                refused = response;
            }
        }
        assertThat(refused).as("the burst ran out").isNotNull();
        refused.then().body("error_code", equalTo("9002"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
        TestPortal.create().initiate().then().statusCode(200);
    }

    @Test
    void aDeviceThatKeepsGuessingIsSlowedDown() {
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        String realOtp = portal.initiate().path("otp");
        for (int i = 0; i < 3; i++) {
            String guess = OtpCodec.encode(new OtpPayload(UUID.randomUUID(), "guess" + "A".repeat(40)));
            phone.fetchRaw(guess).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        }
        Response limited = phone.fetchRaw(realOtp);
        limited.then().statusCode(429).body("error", equalTo("RATE_LIMITED"));
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 300L);
        TestDevice.enrolled().fetch(realOtp);
    }
}
