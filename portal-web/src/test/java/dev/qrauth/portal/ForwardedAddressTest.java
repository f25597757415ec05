package dev.qrauth.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behind a reverse proxy, as the README says to configure it: forwarding on, and only the proxy
 * trusted. The tests connect from 127.0.0.1, which is not that proxy, so whatever
 * {@code X-Forwarded-For} they send must change nothing.
 */
@QuarkusTest
@TestProfile(ForwardedAddressTest.BehindAProxy.class)
class ForwardedAddressTest {

    public static final class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // 192.0.2.1 (TEST-NET-1) stands for the proxy; nothing here connects to it.
            return Map.of(
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.trusted-proxies", "192.0.2.1",
                    "portal.new-codes-per-minute", "2");
        }
    }

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void aForwardedAddressFromAnUntrustedPeerIsIgnoredEverywhere() {
        Response first = login("203.0.113.7");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(tokenServer.latest().param("ip_address")).isEqualTo("127.0.0.1");

        // A new address in every request: the limit still counts them as one browser address.
        assertThat(login("203.0.113.8").statusCode()).isEqualTo(200);
        Response third = login("2001:db8::9");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(tokenServer.transactions()).hasSize(2);
    }

    private static Response login(String forwardedFor) {
        return given().redirects().follow(false).header("X-Forwarded-For", forwardedFor).get("/login");
    }
}
