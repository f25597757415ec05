package dev.qrauth.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import dev.qrauth.testkit.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Answers given with a duress PIN ({@code duress: true} in the result): the browser goes on exactly
 * as for any other answer, since a coercer may be watching it, and only the operator's page
 * ({@code /operator/duress}) and the log say what happened.
 */
@QuarkusTest
@TestProfile(DuressTest.OperatorPageOn.class)
class DuressTest {

    static final String PASSWORD = "correct horse battery staple";
    private static final String TRANSFER = "Transfer EUR 250 to NL91 ABNA 0417 1643 00";
    private static final Pattern TIME = Pattern.compile("<time datetime=\"([^\"]+)\">");

    public static final class OperatorPageOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portal.operator.password", PASSWORD);
        }
    }

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();
    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void aLoginUnderDuressLogsInAsUsualAndIsListedForTheOperator() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Browser browser = new Browser();
        browser.get("/login");
        Transaction login = tokenServer.of(browser, "login");

        login.underDuress().confirmedBy("alice");
        assertThat(Callbacks.send(login.id(), "CONFIRMED").statusCode()).isEqualTo(204);
        Flows.awaitState(browser, "login", "confirmed");
        Response done = browser.submit("/login/complete", Map.of());

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.header("Location")).endsWith("/account");
        assertThat(browser.get("/account").asString()).contains("<dd id=\"user-id\">alice</dd>");

        String row = row(pageListing(login.id()), login.id());
        assertThat(row).contains("<td>login</td>", "<td>alice</td>", "<td>logged in</td>",
                "<td>" + login.param("ip_address") + "</td>", login.id().toString());
        Matcher time = TIME.matcher(row);
        assertThat(time.find()).isTrue();
        assertThat(Instant.parse(time.group(1))).isBetween(before, Instant.now());

        assertThat(duressLines(login)).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(formatted(record)).contains("a login was answered under duress: user alice, transaction " + login.id());
        });
    }

    @Test
    void theBrowserSeesADuressLoginExactlyAsAnOrdinaryOne() {
        Browser ordinary = new Browser();
        Browser coerced = new Browser();
        ordinary.get("/login");
        coerced.get("/login");
        Transaction ordinaryLogin = tokenServer.of(ordinary, "login");
        Transaction coercedLogin = tokenServer.of(coerced, "login");

        ordinaryLogin.confirmedBy("alice");
        coercedLogin.underDuress().confirmedBy("alice");
        Callbacks.send(ordinaryLogin.id(), "CONFIRMED");
        Callbacks.send(coercedLogin.id(), "CONFIRMED");
        Flows.awaitState(ordinary, "login", "confirmed");
        Flows.awaitState(coerced, "login", "confirmed");

        assertThat(coerced.get("/challenge/login/status").asString())
                .isEqualTo(ordinary.get("/challenge/login/status").asString());
        assertThat(coerced.get("/challenge/login/events").asString())
                .isEqualTo(ordinary.get("/challenge/login/events").asString());
        assertThat(sameApartFromSecrets(coerced.get("/login").asString()))
                .isEqualTo(sameApartFromSecrets(ordinary.get("/login").asString()));

        coerced.submit("/login/complete", Map.of());
        ordinary.submit("/login/complete", Map.of());
        assertThat(sameApartFromSecrets(coerced.get("/account").asString()))
                .isEqualTo(sameApartFromSecrets(ordinary.get("/account").asString()));
    }

    @Test
    void noPageOrStatusTheBrowserGetsMentionsDuress() {
        List<Response> seen = new ArrayList<>();
        Browser browser = new Browser();
        seen.add(browser.get("/login"));
        Transaction login = tokenServer.of(browser, "login");
        login.underDuress().confirmedBy("alice");
        Callbacks.send(login.id(), "CONFIRMED");
        Flows.awaitState(browser, "login", "confirmed");
        seen.add(browser.get("/challenge/login/status"));
        seen.add(browser.get("/challenge/login/events"));
        seen.add(browser.get("/login"));
        seen.add(browser.submit("/login/complete", Map.of()));
        seen.add(browser.get("/account"));

        // An approval under duress that counts (policy flag), then one the token server refused (policy refuse).
        seen.add(browser.get("/approve"));
        seen.add(browser.submit("/approve", Map.of("action", TRANSFER)));
        Transaction flagged = tokenServer.of(browser, "approval");
        flagged.underDuress().confirmedBy("alice");
        Callbacks.send(flagged.id(), "CONFIRMED");
        Flows.awaitState(browser, "approval", "confirmed");
        seen.add(browser.get("/challenge/approval/status"));
        seen.add(browser.get("/challenge/approval/events"));
        seen.add(browser.get("/account"));
        seen.add(browser.get("/approve"));
        seen.add(browser.submit("/approve", Map.of("action", TRANSFER)));
        Transaction refused = tokenServer.of(browser, "approval");
        refused.underDuress().rejectedBy("alice", "not_accepted");
        Callbacks.send(refused.id(), "REJECTED");
        Flows.awaitState(browser, "approval", "denied");
        seen.add(browser.get("/challenge/approval/status"));
        seen.add(browser.get("/challenge/approval/events"));
        seen.add(browser.get("/approve"));
        seen.add(browser.get("/account"));
        seen.add(browser.submit("/logout", Map.of()));

        assertThat(seen).hasSize(18).allSatisfy(response -> {
            assertThat(response.statusCode()).isLessThan(400);
            assertThat(response.asString()).doesNotContainIgnoringCase("duress");
            assertThat(response.headers().toString()).doesNotContainIgnoringCase("duress");
        });
        assertThat(pageListing(refused.id())).contains(login.id().toString(), flagged.id().toString());
    }

    @Test
    void anApprovalRefusedUnderDuressShowsTheOrdinaryDenialAndIsListedAsRefused() {
        Browser ordinary = new Browser();
        Browser coerced = new Browser();
        Flows.logIn(ordinary, tokenServer, "bob");
        Transaction login = coercedLogIn(coerced, "alice");
        Transaction denied = askApproval(ordinary);
        Transaction refused = askApproval(coerced);

        denied.rejectedBy("bob", "not_accepted");
        // What the token server reads for an approval under duress when the type's policy is refuse.
        refused.underDuress().rejectedBy("alice", "not_accepted");
        Callbacks.send(denied.id(), "REJECTED");
        Callbacks.send(refused.id(), "REJECTED");
        Flows.awaitState(ordinary, "approval", "denied");
        Flows.awaitState(coerced, "approval", "denied");

        assertThat(coerced.status("approval").getString("status")).isEqualTo("Denied on the phone.");
        assertThat(coerced.get("/challenge/approval/status").asString())
                .isEqualTo(ordinary.get("/challenge/approval/status").asString());
        assertThat(coerced.get("/account").asString()).doesNotContain("Approved with your phone");

        String page = pageListing(refused.id());
        assertThat(row(page, refused.id())).contains("<td>approval</td>", "<td>alice</td>", "<td>" + TRANSFER + "</td>",
                "<td>refused</td>");
        assertThat(page).doesNotContain(denied.id().toString());
        assertThat(page.indexOf(refused.id().toString())).as("the newest first")
                .isLessThan(page.indexOf(login.id().toString()));
        assertThat(logs.records()).anySatisfy(record -> assertThat(formatted(record))
                .contains("an approval was answered under duress: user alice, transaction " + refused.id()));
    }

    @Test
    void anOrdinaryLoginOrDenialIsNotListed() {
        Browser browser = new Browser();
        Transaction login = Flows.logIn(browser, tokenServer, "alice");
        Transaction denied = askApproval(browser);
        denied.rejectedBy("alice", "not_accepted");
        Callbacks.send(denied.id(), "REJECTED");
        Flows.awaitState(browser, "approval", "denied");

        assertThat(operatorPage().asString()).doesNotContain(login.id().toString()).doesNotContain(denied.id().toString());
        assertThat(logs.records()).noneSatisfy(record -> assertThat(formatted(record)).contains("duress"));
    }

    @Test
    void aDuressAnswerIsListedOnceHoweverOftenItsResultIsReadOrShown() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction login = tokenServer.of(browser, "login");
        // A reverse-code type: the phone's approval under duress is read, flagged, while the
        // browser still has to type the code, and read again at every callback.
        login.underDuress().approvedWithReverseCode("alice", "042917");
        for (int i = 0; i < 3; i++) {
            int before = login.reads();
            Callbacks.send(login.id(), "SCANNED");
            await().atMost(Flows.WAIT).until(() -> login.reads() > before);
        }
        Flows.awaitState(browser, "login", "code_needed");

        assertThat(browser.submit("/challenge/login/reverse-code", Map.of("code", "042917")).statusCode()).isEqualTo(303);
        Flows.awaitState(browser, "login", "confirmed");
        for (int i = 0; i < 3; i++) {
            Callbacks.send(login.id(), "CONFIRMED");
            browser.status("login");
        }
        browser.get("/challenge/login/events");
        browser.get("/login");
        browser.submit("/login/complete", Map.of());
        browser.get("/account");

        String page = pageListing(login.id());
        assertThat(page.split(Pattern.quote("data-transaction=\"" + login.id() + "\""), -1)).hasSize(2);
        assertThat(row(page, login.id())).contains("<td>logged in</td>");
        assertThat(duressLines(login)).hasSize(1);
    }

    @Test
    void theOperatorPageNeedsTheOperatorsPassword() {
        Response anonymous = given().get("/operator/duress");
        Response wrongPassword = given().auth().preemptive().basic("operator", "not the password").get("/operator/duress");
        Response wrongUser = given().auth().preemptive().basic("admin", PASSWORD).get("/operator/duress");
        Response garbled = given().header("Authorization", "Basic %%%").get("/operator/duress");

        for (Response refused : List.of(anonymous, wrongPassword, wrongUser, garbled)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).isEqualTo("Basic realm=\"qrauth portal operator\"");
            assertThat(refused.asString()).doesNotContain("Duress events");
        }
        assertThat(logs.records()).noneSatisfy(record -> assertThat(formatted(record)).contains("not the password"));

        Response page = operatorPage();
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").contains("style-src 'self'");
        assertThat(page.asString()).contains("<h1>Duress events</h1>")
                .doesNotContain("<script>").doesNotContain("<style").doesNotContain(" style=");
    }

    private Transaction coercedLogIn(Browser browser, String userId) {
        browser.get("/login");
        Transaction login = tokenServer.of(browser, "login");
        login.underDuress().confirmedBy(userId);
        Callbacks.send(login.id(), "CONFIRMED");
        Flows.awaitState(browser, "login", "confirmed");
        assertThat(browser.submit("/login/complete", Map.of()).statusCode()).isEqualTo(303);
        return login;
    }

    private Transaction askApproval(Browser browser) {
        browser.get("/approve");
        assertThat(browser.submit("/approve", Map.of("action", TRANSFER)).statusCode()).isEqualTo(303);
        return tokenServer.of(browser, "approval");
    }

    private static Response operatorPage() {
        Response page = given().auth().preemptive().basic("operator", PASSWORD).get("/operator/duress");
        assertThat(page.statusCode()).isEqualTo(200);
        return page;
    }

    /**
     * The operator page, once it lists {@code transactionId}: the portal notes the event right
     * after the challenge is decided, so a browser may see the decision a moment earlier.
     */
    private static String pageListing(UUID transactionId) {
        return await().atMost(Flows.WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> operatorPage().asString(), page -> page.contains("data-transaction=\"" + transactionId + "\""));
    }

    /** The operator page's row of {@code transactionId}. */
    private static String row(String page, UUID transactionId) {
        Matcher row = Pattern.compile("<tr data-transaction=\"" + transactionId + "\">(.*?)</tr>", Pattern.DOTALL).matcher(page);
        assertThat(row.find()).as("a row for " + transactionId).isTrue();
        return row.group(1);
    }

    /** A page without what differs between any two sessions: the form token and the login time. */
    private static String sameApartFromSecrets(String page) {
        return page.replaceAll("name=\"csrf\" value=\"[^\"]+\"", "name=\"csrf\" value=\"\"")
                .replaceAll("<time datetime=\"[^\"]+\">[^<]+</time>", "<time></time>");
    }

    /** The log lines saying that {@code tx} was answered under duress. */
    private List<LogRecord> duressLines(Transaction tx) {
        return logs.records().stream()
                .filter(record -> formatted(record).contains("answered under duress"))
                .filter(record -> formatted(record).contains(tx.id().toString()))
                .toList();
    }

    /** A record's message with its parameters in, whatever the style of its format. */
    private static String formatted(LogRecord record) {
        String message = String.valueOf(record.getMessage());
        Object[] parameters = record.getParameters();
        if (parameters == null || parameters.length == 0) {
            return message;
        }
        try {
            return String.format(message, parameters);
        } catch (IllegalFormatException e) {
            return message + " " + Arrays.toString(parameters);
        }
    }
}
