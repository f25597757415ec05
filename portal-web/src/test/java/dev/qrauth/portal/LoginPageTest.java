package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.cli.QrImages;
import dev.qrauth.portal.FakeTokenServer.Transaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FakeTokenServer.class)
class LoginPageTest {

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void loginPageShowsTheCodeAtOnceAsImageTextAndCountdown() {
        Browser browser = new Browser();
        Response page = browser.get("/login");

        assertThat(page.statusCode()).isEqualTo(200);
        Transaction tx = tokenServer.of(browser, "login");
        String html = page.asString();
        assertThat(html)
                .contains("src=\"/challenge/login/qr.png?v=0\"")
                .contains("alt=\"QR code with a one-time code. Scan it with the app on your phone.\"")
                .contains("<summary>Can't scan?</summary>")
                .contains(">" + tx.otp() + "</code>")
                .containsPattern("<span id=\"countdown\">1(19|20)</span>")
                .contains("role=\"status\"")
                .contains("<script src=\"/portal.js\" defer></script>")
                .doesNotContain("<script>");
    }

    @Test
    void theLoginIsStartedWithTheConfiguredTypeCallbackAndBrowserContext() {
        Browser browser = new Browser();
        browser.get("/login");

        Transaction tx = tokenServer.of(browser, "login");
        assertThat(tx.param("type")).isEqualTo("login");
        assertThat(tx.param("callback_uri")).isEqualTo("http://127.0.0.1:8080/callbacks/mobile-auth");
        assertThat(tx.param("ip_address")).isEqualTo("127.0.0.1");
        assertThat(tx.param("user_agent")).isNotBlank();
        assertThat(tx.param("message")).isNotBlank();
        assertThat(tx.param("user_id")).isNull();
    }

    @Test
    void theQrImageHoldsTheOtpAndIsServedOnlyToItsSession() {
        Browser browser = new Browser();
        browser.get("/login");
        Response image = browser.get("/challenge/login/qr.png");

        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.contentType()).isEqualTo("image/png");
        assertThat(image.header("Cache-Control")).isEqualTo("no-store");
        assertThat(QrImages.decode(image.asByteArray())).isEqualTo(tokenServer.of(browser, "login").otp());

        assertThat(new Browser().get("/challenge/login/qr.png").statusCode()).isEqualTo(404);
    }

    @Test
    void aReloadKeepsTheCodeThatCanStillBeAnswered() {
        Browser browser = new Browser();
        browser.get("/login");
        browser.get("/login");

        assertThat(tokenServer.transactions()).hasSize(1);
    }

    @Test
    void aNumberMatchingTypeShowsTheNumberToPick() {
        tokenServer.numberMatching("login");
        Browser browser = new Browser();
        String html = browser.get("/login").asString();

        Integer number = tokenServer.of(browser, "login").bindingCode();
        assertThat(html).contains("<strong id=\"binding-code\" class=\"binding\">" + number + "</strong>");
        assertThat(browser.status("login").getInt("bindingCode")).isEqualTo(number);
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteLax() {
        Response page = new Browser().get("/login");

        Cookie cookie = page.getDetailedCookie(Browser.SESSION_COOKIE);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Lax");
        assertThat(cookie.getPath()).isEqualTo("/");
        // The test portal's public URL is http; under https the cookie is Secure (HardenedConfigTest).
        assertThat(cookie.isSecured()).isFalse();
        assertThat(cookie.getValue()).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void pagesForbidFramingInlineScriptAndReferrers() {
        Response page = new Browser().get("/login");

        assertThat(page.header("Content-Security-Policy"))
                .contains("default-src 'none'")
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void aTokenServerThatIsDownGetsAPlainPageWithARetry() {
        tokenServer.goDown();

        Response page = new Browser().get("/login");

        assertUnavailablePage(page);
    }

    @Test
    void aTokenServerThatRefusesGetsAPlainPageAndItsRetryAfter() {
        tokenServer.failWith(429);

        Response page = new Browser().get("/login");

        assertUnavailablePage(page);
        assertThat(page.header("Retry-After")).isEqualTo("7");
    }

    @Test
    void aLoggedOutVisitorCannotOpenTheAccountPage() {
        Response response = new Browser().get("/account");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.header("Location")).endsWith("/login");
    }

    /** The plain page a visitor gets when the token server cannot start a login. */
    static void assertUnavailablePage(Response page) {
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.asString())
                .contains("Logging in with your phone is not possible right now")
                .contains("href=\"/login\">Try again</a>")
                .doesNotContain("Exception")
                .doesNotContain("dev.qrauth")
                .doesNotContain("127.0.0.1");
    }
}
