package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApprovalTest {

    private static final String TRANSFER = "Transfer EUR 250 to NL91 ABNA 0417 1643 00";
    private static final String FORM_SHOWN = "<form id=\"approval-form\" method=\"post\" action=\"/approve\">";
    private static final String FORM_HIDDEN = "<form id=\"approval-form\" method=\"post\" action=\"/approve\" hidden>";

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void withoutAGroupOfApproversThereIsNoFourEyesAction() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");

        assertThat(browser.get("/account").asString()).doesNotContain("/four-eyes");
        assertThat(browser.get("/four-eyes").statusCode()).isEqualTo(404);
        browser.get("/account");
        assertThat(browser.submit("/four-eyes", Map.of("action", TRANSFER)).statusCode()).isEqualTo(404);
    }

    @Test
    void theFormSuggestsAnActionForTheLoggedInUser() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");

        String page = browser.get("/approve").asString();

        assertThat(page).contains("Logged in as <strong>alice</strong>")
                .contains("<label for=\"action\">Action to approve</label>")
                .contains("value=\"" + TRANSFER + "\"");
    }

    @Test
    void anApprovalByTheLoggedInUserCounts() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        browser.get("/approve");

        Response asked = browser.submit("/approve", Map.of("action", TRANSFER));
        assertThat(asked.statusCode()).isEqualTo(303);
        Transaction approval = tokenServer.of(browser, "approval");
        assertThat(approval.param("type")).isEqualTo("approval");
        assertThat(approval.param("message")).isEqualTo(TRANSFER);
        assertThat(browser.get("/approve").asString()).contains("data-challenge=\"approval\"").contains(approval.otp());

        approval.confirmedBy("alice");
        Callbacks.send(approval.id(), "CONFIRMED");

        Flows.awaitState(browser, "approval", "confirmed");
        assertThat(browser.status("approval").getString("status")).isEqualTo("Approved on your phone.");
    }

    @Test
    void theFormIsHiddenWhileTheCodeIsPendingAndBackOnceThePhoneAnswered() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        assertThat(browser.get("/approve").asString()).contains(FORM_SHOWN);

        browser.submit("/approve", Map.of("action", TRANSFER));
        String pending = browser.get("/approve").asString();
        assertThat(pending).contains(FORM_HIDDEN).doesNotContain(FORM_SHOWN)
                .contains("<p id=\"complete\" hidden><a class=\"button\" href=\"/account\">Continue to your account</a></p>");

        Transaction approval = tokenServer.of(browser, "approval");
        approval.rejectedBy("alice", "not_accepted");
        Callbacks.send(approval.id(), "REJECTED");
        Flows.awaitState(browser, "approval", "denied");

        assertThat(browser.get("/approve").asString()).contains(FORM_SHOWN).doesNotContain(FORM_HIDDEN);
    }

    @Test
    void theAccountPageShowsTheApprovedAction() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        assertThat(browser.get("/account").asString()).doesNotContain("Approved with your phone");
        browser.get("/approve");
        browser.submit("/approve", Map.of("action", TRANSFER));
        Transaction approval = tokenServer.of(browser, "approval");

        approval.confirmedBy("alice");
        Callbacks.send(approval.id(), "CONFIRMED");
        Flows.awaitState(browser, "approval", "confirmed");

        assertThat(browser.get("/account").asString())
                .contains("<p id=\"approved\" class=\"status\">Approved with your phone: <strong>" + TRANSFER + "</strong></p>");
        // Back on the approval page the form is there for the next action, and nothing sends the
        // browser on to the account page again.
        assertThat(browser.get("/approve").asString()).contains(FORM_SHOWN).doesNotContain("id=\"complete\"");
    }

    @Test
    void anApprovalByAnotherUserIsNotShownAsApproved() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        browser.get("/approve");
        browser.submit("/approve", Map.of("action", TRANSFER));
        Transaction approval = tokenServer.of(browser, "approval");

        approval.confirmedBy("bob");
        Callbacks.send(approval.id(), "CONFIRMED");
        Flows.awaitState(browser, "approval", "wrong_user");

        assertThat(browser.get("/account").asString()).doesNotContain("Approved with your phone");
    }

    @Test
    void theApprovalNamesTheUserWhosePhoneMustGiveIt() {
        Browser browser = new Browser();
        Transaction login = Flows.logIn(browser, tokenServer, "alice");
        browser.get("/approve");
        browser.submit("/approve", Map.of("action", TRANSFER));
        Transaction approval = tokenServer.of(browser, "approval");

        assertThat(approval.param("expected_user_id")).isEqualTo("alice");
        assertThat(login.param("expected_user_id")).isNull();

        approval.expired();
        Callbacks.send(approval.id(), "EXPIRED");
        await().atMost(Flows.WAIT).untilAsserted(
                () -> assertThat(tokenServer.of(browser, "approval").id()).isNotEqualTo(approval.id()));
        assertThat(tokenServer.of(browser, "approval").param("expected_user_id")).isEqualTo("alice");
    }

    @Test
    void anApprovalByADifferentUserIsRefused() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        browser.get("/approve");
        browser.submit("/approve", Map.of("action", TRANSFER));
        Transaction approval = tokenServer.of(browser, "approval");

        approval.confirmedBy("bob");
        Callbacks.send(approval.id(), "CONFIRMED");

        Flows.awaitState(browser, "approval", "wrong_user");
        assertThat(browser.status("approval").getString("status"))
                .isEqualTo("Not approved: the phone that answered belongs to a different account.");
        assertThat(browser.get("/approve").asString()).contains("belongs to a different account");
    }

    @Test
    void aDeniedApprovalSaysSo() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        browser.get("/approve");
        browser.submit("/approve", Map.of("action", TRANSFER));
        Transaction approval = tokenServer.of(browser, "approval");

        approval.rejectedBy("alice", "not_accepted");
        Callbacks.send(approval.id(), "REJECTED");

        Flows.awaitState(browser, "approval", "denied");
    }

    @Test
    void approvingNeedsALogin() {
        Response response = new Browser().get("/approve");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.header("Location")).endsWith("/login");
    }

    @Test
    void anEmptyOrOverlongActionIsRefusedWithoutAskingThePhone() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        browser.get("/approve");
        int started = tokenServer.transactions().size();

        Response empty = browser.submit("/approve", Map.of("action", "   "));
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.asString()).contains("Describe the action to approve.").contains("aria-invalid=\"true\"");

        Response overlong = browser.submit("/approve", Map.of("action", "x".repeat(156)));
        assertThat(overlong.statusCode()).isEqualTo(400);
        assertThat(overlong.asString()).contains("Keep the description to 155 characters; it has 156.");

        Response twoLines = browser.submit("/approve", Map.of("action", "Transfer\nEUR 250"));
        assertThat(twoLines.statusCode()).isEqualTo(400);

        for (String hidden : new String[] {"Transfer EUR \u202E052", "Transfer EUR 1\u200B000", "\uFEFFTransfer"}) {
            Response misleading = browser.submit("/approve", Map.of("action", hidden));
            assertThat(misleading.statusCode()).as(hidden).isEqualTo(400);
            assertThat(misleading.asString()).contains("invisible");
        }

        assertThat(tokenServer.transactions()).hasSize(started);
    }

    @Test
    void askingNeedsTheFormToken() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        int started = tokenServer.transactions().size();

        assertThat(browser.post("/approve", Map.of("action", TRANSFER)).statusCode()).isEqualTo(403);
        assertThat(tokenServer.transactions()).hasSize(started);
    }
}
