package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.receipt.ReceiptChainCheck;
import dev.qrauth.protocol.receipt.ReceiptRecord;
import dev.qrauth.sdk.ReceiptHistory;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.DirectoryStore;
import dev.qrauth.testkit.CallbackInbox;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts across the real token server ({@code docs/PROTOCOL.md}, "Receipts"): the SDK signs
 * every answer, the server chains and countersigns it, the portal reads it, and the phone's
 * history of the chain checks out against the server's certificate.
 */
class ReceiptsEndToEndTest {

    static TokenServerProcess server;
    static CallbackInbox inbox;
    static String clientId;
    static String clientSecret;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        inbox = CallbackInbox.start();
        server = TokenServerProcess.start();
        var client = server.admin().createClient(NewClient.of("receipts", "Receipts Portal", List.of(inbox.uri())));
        clientId = client.clientId();
        clientSecret = client.clientSecret();
        server.admin().createType(MobileAuthTypeView.otp("login", 120).withDefaultMessage("Log in to Receipts Portal"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (inbox != null) {
            inbox.close();
        }
    }

    static Map<String, Object> initiate() {
        TokenServerProcess.Response started = server.call("POST", "/oauth/api/v4/authenticate/user", clientId,
                clientSecret, "application/x-www-form-urlencoded",
                "type=login&callback_uri=" + URLEncoder.encode(inbox.uri(), StandardCharsets.UTF_8));
        assertThat(started.status()).isEqualTo(200);
        return started.body();
    }

    @Test
    void everyAnswerIsChainedCountersignedAndChecksOutOnThePhone() throws Exception {
        String userId = "user-" + UUID.randomUUID().toString().substring(0, 8);
        String activationCode = server.admin().createUser(userId).activationCode();
        UserClient phone = UserClient.builder().serverUri(server.uri).store(new DirectoryStore(home))
                .deviceName("receipts phone").build();
        UserProfile profile = phone.registerUser(userId, activationCode, LoginSystem.PIN);
        phone.authenticateUser(profile, LoginSystem.PIN);
        phone.enrollForMobileAuth();

        Map<String, Object> first = initiate();
        assertThat(Outcome.confirm(phone, (String) first.get("otp"))).isEqualTo("CONFIRMED");
        Map<String, Object> second = initiate();
        assertThat(Outcome.handle(phone, (String) second.get("otp"), (r, answer) -> answer.deny()))
                .isEqualTo("ACTION_CANCELLED");

        TokenServerProcess.Response read = server.call("GET", "/oauth/api/v4/authenticate/transaction/"
                + first.get("transaction_id") + "/receipt", clientId, clientSecret, null, null);
        assertThat(read.status()).isEqualTo(200);
        ReceiptRecord receipt = ProtocolJson.read(ProtocolJson.write(read.body()), ReceiptRecord.class);
        assertThat(receipt.parsedStatement().text()).isEqualTo("Log in to Receipts Portal");
        assertThat(receipt.parsedStatement().portal()).isEqualTo("Receipts Portal");
        assertThat(receipt.parsedStatement().decision()).isEqualTo(AnswerDecision.CONFIRMED);

        ReceiptHistory history = phone.receiptHistory(profile);
        assertThat(history.chain()).extracting(ReceiptRecord::seq).containsExactly(1L, 2L);
        assertThat(history.report().findings()).isEmpty();
        assertThat(history.chain().get(0).entry()).isEqualTo(receipt.entry());

        // The portal's copy checks out offline against the server's certificate too.
        OpenPgp pgp = OpenPgp.withDefaultPolicy();
        ReceiptChainCheck.Report offline = new ReceiptChainCheck(pgp, pgp.readCertificate(history.serverCertificate()),
                List.of(), null).check(List.of(receipt), 0);
        assertThat(offline.findings()).isEmpty();
        phone.close();
    }
}
