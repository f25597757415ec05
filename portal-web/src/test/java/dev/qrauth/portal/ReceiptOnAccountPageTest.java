package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.RequestContext;
import dev.qrauth.protocol.receipt.ChainEntry;
import dev.qrauth.protocol.receipt.ReceiptRecord;
import dev.qrauth.protocol.receipt.ReceiptStatement;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The account page shows the receipt of the login, read from the token server ({@code docs/PROTOCOL.md}, "Receipts"). */
@QuarkusTest
class ReceiptOnAccountPageTest {

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    /** A receipt of {@code transactionId} as the token server gives it; {@code statementHash} as its entry records it. */
    static ReceiptRecord receipt(UUID transactionId, String text, boolean intact) {
        byte[] statement = ProtocolJson.write(new ReceiptStatement(1, transactionId, "alice", UUID.randomUUID(),
                "Example Portal", "login", text, null, new RequestContext("Firefox", "Linux", "192.0.2.7", null),
                AnswerDecision.CONFIRMED, null, Instant.parse("2026-05-04T10:11:12Z")));
        String hash = intact ? ChainEntry.sha256Hex(statement) : ChainEntry.sha256Hex(new byte[] {1});
        byte[] entry = ProtocolJson.write(new ChainEntry(1, "alice", 7, transactionId, ChainEntry.GENESIS, hash,
                ChainEntry.sha256Hex(new byte[] {2}), Instant.parse("2026-05-04T10:11:13Z")));
        Base64.Encoder b64 = Base64.getEncoder();
        return new ReceiptRecord(transactionId, 7, b64.encodeToString(statement), b64.encodeToString(new byte[] {2}),
                "0A1B2C", b64.encodeToString(entry), b64.encodeToString(new byte[] {3}));
    }

    @Test
    void theAccountPageShowsTheReceiptOfTheLogin() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction login = tokenServer.of(browser, "login");
        login.receipt(receipt(login.id(), "Log in to Example Portal", true));
        login.confirmedBy("alice");
        Callbacks.send(login.id(), "CONFIRMED");
        Flows.awaitState(browser, "login", "confirmed");
        browser.submit("/login/complete", java.util.Map.of());

        String page = browser.get("/account").asString();

        assertThat(page).contains("<h2>Receipt of this login</h2>")
                .contains("approved “Log in to Example Portal” at Example Portal")
                .contains("<time datetime=\"2026-05-04T10:11:12Z\">2026-05-04 10:11:12 UTC</time> with phone key <code>0A1B2C</code>")
                .contains("Receipt 7 of your account, countersigned by the token server</dd>");
    }

    @Test
    void aReceiptWhoseStatementIsNotTheChainedOneIsMarked() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction login = tokenServer.of(browser, "login");
        login.receipt(receipt(login.id(), "Log in", false));
        login.confirmedBy("alice");
        Callbacks.send(login.id(), "CONFIRMED");
        Flows.awaitState(browser, "login", "confirmed");
        browser.submit("/login/complete", java.util.Map.of());

        assertThat(browser.get("/account").asString()).contains("(does not match its chain entry)");
    }

    @Test
    void withoutAReceiptTheAccountPageShowsNone() {
        Browser browser = new Browser();
        Flows.logIn(browser, tokenServer, "alice");

        String page = browser.get("/account").asString();

        assertThat(page).contains("<dd id=\"user-id\">alice</dd>").doesNotContain("Receipt of");
    }
}
