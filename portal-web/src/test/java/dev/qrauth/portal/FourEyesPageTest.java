package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The "needs two approvers" action ({@code docs/PROTOCOL.md}, "Four-eyes approval"): a logged-in
 * user asks the configured group's phones, and the page shows who approved so far, then all.
 */
@QuarkusTest
@TestProfile(FourEyesPageTest.WithApprovers.class)
class FourEyesPageTest {

    private static final String PAYMENT = "Transfer EUR 25,000 to NL91 ABNA 0417 1643 00";

    public static final class WithApprovers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portal.four-eyes-approvers", "bob,carol,dave", "portal.four-eyes-type", "payment");
        }
    }

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void theAccountPageOffersTheActionAndItsPageNamesTheApprovers() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");

        assertThat(browser.get("/account").asString())
                .contains("<a class=\"button\" id=\"four-eyes\" href=\"/four-eyes\">Needs two approvers</a>");
        assertThat(browser.get("/four-eyes").asString()).contains("Logged in as <strong>alice</strong>")
                .contains("<strong>bob</strong>, <strong>carol</strong>, <strong>dave</strong>")
                .contains("value=\"" + PAYMENT + "\"");
    }

    @Test
    void theGroupsPhonesApproveAndThePageShowsTheProgressAndTheApprovers() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        browser.get("/four-eyes");

        Response asked = browser.submit("/four-eyes", Map.of("action", PAYMENT));
        assertThat(asked.statusCode()).isEqualTo(303);
        assertThat(asked.header("Location")).endsWith("/four-eyes");
        Transaction payment = tokenServer.of(browser, "four-eyes");
        assertThat(payment.param("type")).isEqualTo("payment");
        assertThat(payment.param("approvers")).isEqualTo("bob,carol,dave");
        assertThat(payment.param("expected_user_id")).isNull();
        assertThat(payment.param("message")).isEqualTo(PAYMENT);
        assertThat(browser.get("/four-eyes").asString()).contains("data-challenge=\"four-eyes\"")
                .contains(payment.otp());

        payment.approvedBy("carol", 2);
        Callbacks.send(payment.id(), "SCANNED");
        Flows.awaitState(browser, "four-eyes", "scanned");
        assertThat(browser.status("four-eyes").getString("status"))
                .isEqualTo("Each approver scans the code with the app on their phone. Approved so far: carol (1 of 2).");
        // The code stays up for the next approver.
        assertThat(browser.status("four-eyes").getString("otp")).isEqualTo(payment.otp());

        payment.approvedBy("bob", 2);
        Callbacks.send(payment.id(), "CONFIRMED");
        Flows.awaitState(browser, "four-eyes", "confirmed");
        assertThat(browser.status("four-eyes").getString("status")).isEqualTo("Approved by carol, bob.");
    }

    @Test
    void aDenialByAnApproverIsShown() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        browser.get("/four-eyes");
        browser.submit("/four-eyes", Map.of("action", PAYMENT));
        Transaction payment = tokenServer.of(browser, "four-eyes");

        payment.approvedBy("carol", 2);
        payment.rejectedBy("dave", "not_accepted");
        Callbacks.send(payment.id(), "REJECTED");

        Flows.awaitState(browser, "four-eyes", "denied");
        assertThat(browser.status("four-eyes").getString("status"))
                .isEqualTo("Denied on an approver's phone (approved before: carol).");
    }

    @Test
    void anEmptyActionIsRefusedWithTheForm() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        browser.get("/four-eyes");

        Response refused = browser.submit("/four-eyes", Map.of("action", "  "));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.asString()).contains("Describe the action to approve.");
    }

    @Test
    void notLoggedInGoesToTheLoginPage() {
        Response page = new Browser().get("/four-eyes");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.header("Location")).endsWith("/login");
    }
}
