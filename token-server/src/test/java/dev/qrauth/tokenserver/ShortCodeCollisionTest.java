package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.qrauth.protocol.otp.ShortCode;
import dev.qrauth.tokenserver.transaction.ShortCodes;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A drawn short code that is already pending ({@code docs/PROTOCOL.md}, "The short code"): the
 * initiation writes nothing with it and draws again, on the hot path and the full path alike; when
 * every draw is taken the portal gets a clear refusal it may retry, never a 500.
 */
@QuarkusTest
class ShortCodeCollisionTest {

    @Test
    void aCodeAlreadyPendingIsDrawnAgainAndTheNextOneIsUsed() {
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        Response first = portal.initiate();
        String pending = canonical(first.path("short_code"));
        // Two draws of the pending code: the hot path's and the full path's first, or the full path's first two.
        RepeatingShortCodes draws = new RepeatingShortCodes(pending, 2);
        QuarkusMock.installMockForType(draws, ShortCodes.class);

        Response second = portal.initiate();

        assertThat(draws.repeatsLeft()).as("the pending code was drawn twice").isZero();
        assertThat(canonical(second.path("short_code"))).isNotEqualTo(pending);
        assertThat(ShortCodeTest.fetch(phone, second.path("short_code")).transactionId().toString())
                .isEqualTo(second.path("transaction_id"));
        assertThat(ShortCodeTest.fetch(TestDevice.enrolled(), first.path("short_code")).transactionId().toString())
                .isEqualTo(first.path("transaction_id"));
    }

    @Test
    void whenEveryDrawIsPendingThePortalIsToldToTryAgain() {
        TestPortal portal = TestPortal.create();
        String pending = canonical(portal.initiate().path("short_code"));
        QuarkusMock.installMockForType(new RepeatingShortCodes(pending, Integer.MAX_VALUE), ShortCodes.class);

        Response refused = portal.initiateRaw(java.util.Map.of("type", portal.loginType, "callback_uri", TestPortal.CALLBACK,
                "message", "Log in to Example"));

        BadInputTest.assertCleanRefusal(refused, 503, "error_code");
        refused.then().body("error_code", equalTo("9005"))
                .body("description", equalTo("No unused short code could be drawn: try again shortly"))
                .header("Retry-After", "1");
    }

    private static String canonical(String grouped) {
        return ShortCode.normalize(grouped).orElseThrow();
    }

    /** Draws {@code code} for the next {@code repeats} draws, then fresh codes as the server does. */
    private static final class RepeatingShortCodes extends ShortCodes {
        private final String code;
        private final AtomicInteger repeats;

        RepeatingShortCodes(String code, int repeats) {
            this.code = code;
            this.repeats = new AtomicInteger(repeats);
        }

        @Override
        public String draw() {
            return repeats.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? code : super.draw();
        }

        int repeatsLeft() {
            return repeats.get();
        }
    }
}
