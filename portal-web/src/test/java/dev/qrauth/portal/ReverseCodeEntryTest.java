package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reverse code entry and the proximity refusal as the person at the browser meets them: after the
 * phone approves, the page asks for the code the phone shows and the login completes only with it.
 */
@QuarkusTest
@QuarkusTestResource(FakeTokenServer.class)
class ReverseCodeEntryTest {

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    Transaction approvedOnThePhone(Browser browser) {
        Response page = browser.get("/login");
        assertThat(page.asString()).contains("id=\"code-entry\"").containsPattern("id=\"code-entry\"[^>]* hidden");
        Transaction tx = tokenServer.of(browser, "login");
        tx.approvedWithReverseCode("alice", "042917");
        assertThat(Callbacks.send(tx.id(), "SCANNED").statusCode()).isEqualTo(204);
        Flows.awaitState(browser, "login", "code_needed");
        return tx;
    }

    @Test
    void afterThePhoneApprovesThePageAsksForTheCodeAndTheRightOneLogsIn() {
        Browser browser = new Browser();
        Transaction tx = approvedOnThePhone(browser);
        assertThat(browser.status("login").getBoolean("codeEntry")).isTrue();
        String html = browser.get("/login").asString();
        assertThat(html).doesNotContainPattern("id=\"code-entry\"[^>]* hidden")
                .containsPattern("id=\"qr\"[^>]* hidden")
                .contains("Type the code your phone shows");

        Response submitted = browser.submit("/challenge/login/reverse-code", Map.of("code", "042 917"));
        assertThat(submitted.statusCode()).isEqualTo(303);
        assertThat(submitted.header("Location")).endsWith("/login");
        assertThat(tx.codesSubmitted()).containsExactly("042917");
        assertThat(browser.state("login")).isEqualTo("confirmed");

        Response done = browser.submit("/login/complete", Map.of());
        assertThat(done.header("Location")).endsWith("/account");
    }

    @Test
    void aWrongCodeSaysSoAndTheLastOneEndsTheLogin() {
        Browser browser = new Browser();
        Transaction tx = approvedOnThePhone(browser);
        browser.submit("/challenge/login/reverse-code", Map.of("code", "111111"));
        assertThat(browser.state("login")).isEqualTo("code_needed");
        assertThat(browser.status("login").getString("status")).contains("2 tries left");
        browser.submit("/challenge/login/reverse-code", Map.of("code", "222222"));
        browser.submit("/challenge/login/reverse-code", Map.of("code", "333333"));
        assertThat(browser.state("login")).isEqualTo("denied");
        assertThat(browser.status("login").getString("status")).contains("did not match the one on your phone");
        assertThat(tx.codesSubmitted()).hasSize(3);
        // Not logged in: completing goes back to the QR code.
        assertThat(browser.submit("/login/complete", Map.of()).header("Location")).endsWith("/login");
    }

    @Test
    void noCodeIsSentBeforeThePhoneApprovesNorWithoutTheFormsToken() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        browser.submit("/challenge/login/reverse-code", Map.of("code", "042917"));
        assertThat(tx.codesSubmitted()).isEmpty();

        tx.approvedWithReverseCode("alice", "042917");
        Callbacks.send(tx.id(), "SCANNED");
        Flows.awaitState(browser, "login", "code_needed");
        assertThat(browser.post("/challenge/login/reverse-code", Map.of("csrf", "forged", "code", "042917"))
                .statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(tx.codesSubmitted()).isEmpty();
    }

    @Test
    void aRefusalForAPhoneOnAnotherNetworkSaysWhatToDo() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        tx.refusedFor("alice", "not_accepted", "proximity");
        Callbacks.send(tx.id(), "REJECTED");
        Flows.awaitState(browser, "login", "denied");
        assertThat(browser.status("login").getString("status"))
                .contains("Approve from a phone on the same network");
    }
}
