package dev.qrauth.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import dev.qrauth.protocol.http.BasicCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A portal served over https whose token-server client sends callback credentials. */
@QuarkusTest
@TestProfile(HardenedConfigTest.Hardened.class)
class HardenedConfigTest {

    public static final class Hardened implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "portal.public-url", "https://portal.example",
                    "portal.callback-username", "token-server",
                    "portal.callback-password", "callback-password");
        }
    }

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void underHttpsTheSessionCookieIsSecure() {
        Browser browser = new Browser();
        Response page = browser.get("/login");
        Cookie cookie = page.getDetailedCookie("__Host-portal_session");

        assertThat(cookie.isSecured()).isTrue();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(page.getDetailedCookie("__Host-portal_login").isSecured()).isTrue();
        assertThat(page.getDetailedCookie(Browser.SESSION_COOKIE)).isNull();
        assertThat(tokenServer.of(browser, "login").param("callback_uri")).isEqualTo("https://portal.example/callbacks/mobile-auth");
    }

    @Test
    void aCallbackWithoutTheConfiguredCredentialsIsRefused() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        tx.confirmedBy("alice");
        byte[] body = Callbacks.body(tx.id(), "CONFIRMED");
        String signature = Callbacks.signature(body, Instant.now());

        Response unauthenticated = Callbacks.send(body, signature);
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(unauthenticated.header("WWW-Authenticate")).isEqualTo("Basic");
        assertThat(post(body, signature, basic("token-server", "wrong")).statusCode()).isEqualTo(401);
        assertThat(tx.reads()).isZero();

        assertThat(post(body, signature, basic("token-server", "callback-password")).statusCode()).isEqualTo(204);
        await().atMost(Flows.WAIT).until(() -> tx.reads() == 1);
    }

    private static Response post(byte[] body, String signature, String authorization) {
        return given().contentType("application/json").header("X-Signature", signature)
                .header("Authorization", authorization).body(body).post(Callbacks.PATH);
    }

    private static String basic(String user, String password) {
        return new BasicCredentials(user, password).header();
    }
}
