package dev.qrauth.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SessionBindingTest {

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void theResultReachesOnlyTheBrowserThatStartedTheLogin() {
        Browser alice = new Browser();
        alice.get("/login");
        Transaction alicesLogin = tokenServer.of(alice, "login");
        Browser other = new Browser();
        other.get("/login");
        Transaction othersLogin = tokenServer.of(other, "login");

        alicesLogin.confirmedBy("alice");
        Callbacks.send(alicesLogin.id(), "CONFIRMED");
        Flows.awaitState(alice, "login", "confirmed");

        assertThat(other.state("login")).isEqualTo("waiting");
        assertThat(other.status("login").getString("otp")).isEqualTo(othersLogin.otp());
        Response attempt = other.submit("/login/complete", Map.of());
        assertThat(attempt.header("Location")).endsWith("/login");
        assertThat(other.get("/account").statusCode()).isEqualTo(303);
    }

    @Test
    void withoutASessionThereIsNoChallengeToSee() {
        Browser alice = new Browser();
        alice.get("/login");

        Browser stranger = new Browser();
        assertThat(stranger.get("/challenge/login/status").statusCode()).isEqualTo(404);
        assertThat(stranger.get("/challenge/login/events").statusCode()).isEqualTo(404);
        assertThat(stranger.get("/challenge/approval/status").statusCode()).isEqualTo(404);
        assertThat(stranger.get("/challenge/nonsense/status").statusCode()).isEqualTo(404);
    }

    @Test
    void aForgedSessionIdIsIgnored() {
        Browser browser = new Browser();
        browser.useSessionId("A".repeat(43));

        assertThat(browser.get("/account").statusCode()).isEqualTo(303);
        browser.get("/login");
        assertThat(browser.sessionId()).isNotEqualTo("A".repeat(43));
    }

    @Test
    void loggingInRotatesTheSessionId() {
        Browser browser = new Browser();
        browser.get("/login");
        String beforeLogin = browser.sessionId();

        Flows.logIn(browser, tokenServer, "alice");

        assertThat(browser.sessionId()).isNotEqualTo(beforeLogin);
        assertThat(browser.get("/account").asString()).contains("<dd id=\"user-id\">alice</dd>");
        Browser holderOfTheOldId = new Browser();
        holderOfTheOldId.useSessionId(beforeLogin);
        assertThat(holderOfTheOldId.get("/account").statusCode()).isEqualTo(303);
    }

    @Test
    void completingTheLoginNeedsTheFormToken() {
        Browser browser = new Browser();
        Flows.confirmLogin(browser, tokenServer, "alice");

        assertThat(browser.post("/login/complete", Map.of()).statusCode()).isEqualTo(403);
        assertThat(browser.post("/login/complete", Map.of("csrf", "forged")).statusCode()).isEqualTo(403);
        assertThat(browser.get("/account").statusCode()).isEqualTo(303);
    }

    @Test
    void loggingOutNeedsTheFormTokenAndEndsTheSession() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        browser.get("/account");
        String loggedInId = browser.sessionId();

        Response forged = browser.post("/logout", Map.of("csrf", "forged"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.asString()).contains("This form has expired").doesNotContain("Exception");
        assertThat(browser.get("/account").statusCode()).isEqualTo(200);

        Response logout = browser.submit("/logout", Map.of());
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.getDetailedCookie(Browser.SESSION_COOKIE).getMaxAge()).isZero();
        Browser holderOfTheOldId = new Browser();
        holderOfTheOldId.useSessionId(loggedInId);
        assertThat(holderOfTheOldId.get("/account").statusCode()).isEqualTo(303);
    }

    @Test
    void theAccountPageShowsTheUserAndTheLoginTime() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");

        String page = browser.get("/account").asString();

        assertThat(page).contains("<dd id=\"user-id\">alice</dd>")
                .containsPattern("<time datetime=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\">\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC</time>");
    }

    @Test
    void aLoggedInBrowserGoesFromTheLoginPageToTheAccount() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        int started = tokenServer.transactions().size();

        Response login = browser.get("/login");

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.header("Location")).endsWith("/account");
        assertThat(tokenServer.transactions()).hasSize(started);
    }

    @Test
    void aSessionIdPlantedInTheVictimsBrowserDoesNotGiveTheAttackerTheLogin() {
        Browser attacker = new Browser();
        attacker.get("/login");
        String plantedId = attacker.sessionId();
        Browser victim = new Browser();
        victim.useSessionId(plantedId);

        victim.get("/login");
        Transaction victimsLogin = tokenServer.of(victim, "login");
        victimsLogin.confirmedBy("alice");
        Callbacks.send(victimsLogin.id(), "CONFIRMED");
        Flows.awaitState(victim, "login", "confirmed");

        // The planted id and its CSRF token are worth nothing: the victim's login got a session
        // of its own, and the secret of the victim's login is in no cookie the attacker has.
        assertThat(victim.sessionId()).isNotEqualTo(plantedId);
        Response stolen = attacker.post("/login/complete", Map.of("csrf", attacker.csrf()));
        assertThat(stolen.statusCode()).isEqualTo(403);
        assertThat(attacker.get("/account").statusCode()).isEqualTo(303);

        Response own = victim.submit("/login/complete", Map.of());
        assertThat(own.header("Location")).endsWith("/account");
        assertThat(victim.get("/account").asString()).contains("<dd id=\"user-id\">alice</dd>");
    }

    @Test
    void withoutJavaScriptAReloadAfterTheConfirmationOffersTheContinueButton() {
        Browser browser = new Browser();
        Flows.confirmLogin(browser, tokenServer, "alice");

        String page = browser.get("/login").asString();

        assertThat(page).contains("<form id=\"complete\" method=\"post\" action=\"/login/complete\">")
                .contains("Confirmed on your phone. Logging you in.");
        assertThat(tokenServer.transactions()).hasSize(1);
        assertThat(browser.submit("/login/complete", Map.of()).header("Location")).endsWith("/account");
    }

    @Test
    void aPlantedSessionIdDoesNotShowTheLoginCode() {
        Browser victim = new Browser();
        victim.get("/login");
        Browser holderOfTheId = new Browser();
        holderOfTheId.useSessionId(victim.sessionId());

        assertThat(holderOfTheId.get("/challenge/login/status").statusCode()).isEqualTo(404);
        assertThat(holderOfTheId.get("/challenge/login/qr.png").statusCode()).isEqualTo(404);
        assertThat(holderOfTheId.get("/challenge/login/events").statusCode()).isEqualTo(404);
        assertThat(victim.get("/challenge/login/status").statusCode()).isEqualTo(200);
    }

    @Test
    void aPlantedSessionIdCannotCancelOrReplaceTheVictimsLogin() {
        Browser attacker = new Browser();
        attacker.get("/login");
        String plantedId = attacker.sessionId();
        String plantedCsrf = attacker.csrf();
        Browser victim = new Browser();
        victim.useSessionId(plantedId);
        victim.get("/login");
        Transaction victimsLogin = tokenServer.of(victim, "login");

        // The attacker's own browser, still holding the planted id, starts a login and logs out.
        attacker.get("/login");
        attacker.post("/logout", Map.of("csrf", plantedCsrf));
        Browser accomplice = new Browser();
        accomplice.useSessionId(plantedId);
        accomplice.get("/login");

        assertThat(victim.state("login")).isEqualTo("waiting");
        assertThat(tokenServer.of(victim, "login").id()).isEqualTo(victimsLogin.id());
        victimsLogin.confirmedBy("alice");
        Callbacks.send(victimsLogin.id(), "CONFIRMED");
        Flows.awaitState(victim, "login", "confirmed");
        assertThat(victim.submit("/login/complete", Map.of()).header("Location")).isEqualTo("/account");
        assertThat(victim.get("/account").asString()).contains("<dd id=\"user-id\">alice</dd>");
    }

    @Test
    void redirectsDoNotNameTheHostTheRequestClaims() {
        Response toLogin = given().redirects().follow(false).header("Host", "attacker.example").get("/account");
        assertThat(toLogin.statusCode()).isEqualTo(303);
        assertThat(toLogin.header("Location")).isEqualTo("/login");

        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        Response toAccount = given().redirects().follow(false).header("Host", "attacker.example")
                .header("Cookie", browser.cookieHeader()).get("/login");
        assertThat(toAccount.statusCode()).isEqualTo(303);
        assertThat(toAccount.header("Location")).isEqualTo("/account");
    }
}
