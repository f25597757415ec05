package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.testkit.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A token server whose allow-list for the portal's client lacks the callback URI the portal sends
 * refuses every initiation with {@code 1003}. Only an administrator can fix that, so the error page
 * (in a folded section) and the log name the refused URI and where it must be listed.
 */
@QuarkusTest
class CallbackUriRefusalTest {

    /** What the test profile's portal.public-url makes of the callback URI. */
    static final String SENT = "http://127.0.0.1:8080/callbacks/mobile-auth";
    /** The README's example allow-list before issue 20: the same portal under another name. */
    static final String LISTED = "http://localhost:8080/callbacks/mobile-auth";

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();
    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void theLoginPageNamesTheRefusedCallbackUriForTheAdministrator() {
        tokenServer.allowCallbackUris(LISTED);

        Response page = new Browser().get("/login");

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.header("Retry-After")).isNull();
        assertThat(page.asString())
                .contains("Logging in with your phone is not possible right now")
                .contains("href=\"/login\">Try again</a>")
                .contains("<summary>For the site's administrator</summary>")
                .contains("refused the callback URI this portal sends, " + SENT)
                .contains("error 1003: callback_uri is not in this client&#39;s allow-list")
                .contains("It must be in the allow-list (callback_uris) of the portal&#39;s API client exactly as written")
                .contains("portal.public-url")
                .doesNotContain("Exception")
                .doesNotContain("dev.qrauth");
    }

    @Test
    void theLogNamesTheRefusedCallbackUriAndTheAllowList() {
        tokenServer.allowCallbackUris(LISTED);

        assertThat(new Browser().get("/login").statusCode()).isEqualTo(503);

        // The page came after the line was logged.
        assertThat(logs.records()).anySatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(formatted(record))
                    .contains("refused the callback URI " + SENT)
                    .contains("error 1003")
                    .contains("allow-list (callback_uris) exactly as written");
        });
    }

    @Test
    void anApprovalWhoseCallbackUriIsRefusedGetsThatPageNotTheForm() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");
        browser.get("/approve");
        tokenServer.allowCallbackUris(LISTED);

        Response page = browser.submit("/approve", Map.of("action", "Transfer EUR 250"));

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.asString())
                .contains("refused the callback URI this portal sends, " + SENT)
                .contains("href=\"/approve\">Try again</a>")
                .doesNotContain("A shorter description may help");
    }

    @Test
    void aListedCallbackUriLogsInAsUsual() {
        tokenServer.allowCallbackUris(SENT);

        Response page = new Browser().get("/login");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).doesNotContain("administrator");
    }

    @Test
    void otherRefusalsShowNoAdministratorSection() {
        tokenServer.failNewTransactionsWith(400);

        Response page = new Browser().get("/login");

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.asString()).doesNotContain("administrator").doesNotContain("127.0.0.1");
    }

    static String formatted(LogRecord record) {
        Object[] parameters = record.getParameters();
        String message = record.getMessage();
        return parameters == null || parameters.length == 0 ? message : String.format(message, parameters);
    }
}
