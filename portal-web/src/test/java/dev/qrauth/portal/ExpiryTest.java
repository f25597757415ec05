package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ExpiryTest {

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void anExpiredCodeIsReplacedByItselfOnTheSamePage() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction first = tokenServer.of(browser, "login");

        first.expired();
        Callbacks.send(first.id(), "EXPIRED");

        // The token server makes the new code before the portal has taken it: wait for the page.
        awaitTheNewCodeOnThePage(browser);
        var view = browser.status("login");
        assertThat(view.getString("state")).isEqualTo("waiting");
        assertThat(view.getString("otp")).isEqualTo(tokenServer.latest().otp());
        assertThat(view.getString("qrUrl")).isEqualTo("/challenge/login/qr.png?v=1");
        assertThat(view.getString("status")).startsWith("The previous code expired.");
    }

    @Test
    void aCodeTheTokenServerNoLongerKnowsIsReplacedAtOnce() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction first = tokenServer.of(browser, "login");
        tokenServer.forget(first.id());

        Callbacks.send(first.id(), "CONFIRMED");

        awaitTheNewCodeOnThePage(browser);
        assertThat(tokenServer.transactions()).hasSize(2);
    }

    /** Waits until the token server made a second code and the browser's page shows it. */
    private void awaitTheNewCodeOnThePage(Browser browser) {
        await().atMost(Flows.WAIT).until(() -> tokenServer.transactions().size() == 2
                && tokenServer.latest().otp().equals(browser.status("login").getString("otp")));
    }

    @Test
    void codesThatRunOutAreRenewedFiveTimesThenTheButtonIsOffered() {
        tokenServer.timeToLive(Duration.ofMillis(300));
        Browser browser = new Browser();
        browser.get("/login");

        // No callbacks at all: the portal notices the expiry itself.
        Flows.awaitState(browser, "login", "gave_up");

        assertThat(tokenServer.transactions()).hasSize(6);
        String page = browser.get("/login").asString();
        assertThat(tokenServer.transactions()).hasSize(7);
        assertThat(page).contains("data-challenge=\"login\"");
    }

    @Test
    void aDecidedLoginOffersANewCode() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        tx.rejectedBy("alice", "not_accepted");
        Callbacks.send(tx.id(), "REJECTED");
        Flows.awaitState(browser, "login", "denied");

        assertThat(browser.status("login").getBoolean("open")).isFalse();
        String page = browser.get("/login").asString();

        assertThat(tokenServer.transactions()).hasSize(2);
        assertThat(page).contains(tokenServer.latest().otp());
    }

    @Test
    void aRenewalTheTokenServerRefusesSaysSoPlainly() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        tx.expired();
        tokenServer.failNewTransactionsWith(503);

        Callbacks.send(tx.id(), "EXPIRED");

        Flows.awaitState(browser, "login", "unavailable");
        assertThat(browser.status("login").getString("status"))
                .isEqualTo("Logging in with your phone is not possible right now. Please try again in a moment.");
        assertThat(browser.get("/login").statusCode()).isEqualTo(503);
        tokenServer.failNewTransactionsWith(0);
        assertThat(browser.get("/login").asString()).contains(tokenServer.latest().otp());
    }

    @Test
    void leavingCancelsTheOpenCodeButNotADecidedOne() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction first = tokenServer.of(browser, "login");
        first.rejectedBy("alice", "not_accepted");
        Callbacks.send(first.id(), "REJECTED");
        Flows.awaitState(browser, "login", "denied");

        browser.get("/login");
        Transaction second = tokenServer.of(browser, "login");
        browser.submit("/logout", Map.of());

        await().atMost(Flows.WAIT).until(() -> tokenServer.wasCancelled(second.id()));
        assertThat(tokenServer.wasCancelled(first.id())).isFalse();
    }
}
