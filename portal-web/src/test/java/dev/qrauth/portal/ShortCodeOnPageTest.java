package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "Can't scan?" offers the short code the token server sent, in groups, and still the long text. */
@QuarkusTest
@QuarkusTestResource(FakeTokenServer.class)
class ShortCodeOnPageTest {

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void cantScanShowsTheShortCodeAndTheLongText() {
        Browser browser = new Browser();
        String html = browser.get("/login").asString();

        Transaction tx = tokenServer.of(browser, "login");
        assertThat(tx.shortCode()).matches("[A-Z2-9]{4}(-[A-Z2-9]{4}){3}");
        assertThat(html).contains("<summary>Can't scan?</summary>")
                .contains("<code id=\"short-code\" class=\"short-code\">" + tx.shortCode() + "</code>")
                .contains(">" + tx.otp() + "</code>");
    }

    @Test
    void theLiveStatusCarriesTheShortCodeOfTheCurrentCode() {
        Browser browser = new Browser();
        browser.get("/login");
        var view = browser.status("login");
        assertThat(view.getString("shortCode")).isEqualTo(tokenServer.of(browser, "login").shortCode());
    }
}
