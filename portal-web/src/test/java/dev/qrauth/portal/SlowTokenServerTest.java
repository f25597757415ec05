package dev.qrauth.portal;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A token server slower than the portal's timeout. Every other portal test waits up to the test
 * profile's generous timeout, so that a busy machine never turns a slow answer into a failure;
 * this one sets a short timeout of its own and a server slower than that.
 */
@QuarkusTest
@TestProfile(SlowTokenServerTest.ShortTimeout.class)
class SlowTokenServerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(1);

    public static final class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portal.token-server.timeout", TIMEOUT.toSeconds() + "s");
        }
    }

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void aSlowTokenServerGetsAPlainPageWithARetry() {
        tokenServer.slowBy(TIMEOUT.multipliedBy(3));

        Response page = new Browser().get("/login");

        LoginPageTest.assertUnavailablePage(page);
    }
}
