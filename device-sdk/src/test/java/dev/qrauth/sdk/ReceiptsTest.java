package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.RequestContext;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.protocol.pgp.PgpVerification;
import dev.qrauth.protocol.receipt.ReceiptChainCheck;
import dev.qrauth.protocol.receipt.ReceiptStatement;
import dev.qrauth.protocol.receipt.SignedReceipt;
import dev.qrauth.sdk.storage.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Receipts on the phone ({@code docs/PROTOCOL.md}, "Receipts"): signed, sent, kept, and checked against the chain. */
class ReceiptsTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String PIN = "24680";

    FakeTokenServer server;
    UserClient client;
    UserProfile alice;

    @BeforeEach
    void start() {
        server = new FakeTokenServer();
        client = UserClient.builder().serverUri(server.uri()).store(new InMemoryStore()).build();
        alice = server.readyPhone(client, "alice", PIN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    void answer(RecordingDelegate delegate) throws InterruptedException {
        client.handleOtpMobileAuthRequest(server.newOtp(null), delegate);
        delegate.awaitTerminal(WAIT);
    }

    @Test
    void everyAnswerCarriesASignedReceiptOfWhatWasShownAndThePhoneKeepsIt() throws Exception {
        answer(RecordingDelegate.confirming());
        answer(RecordingDelegate.denying());

        List<MobileAuthAnswer> sent = server.answers;
        assertThat(sent).hasSize(2).allSatisfy(answer -> assertThat(answer.receipt()).isNotNull());
        SignedReceipt receipt = sent.get(0).receipt();
        ReceiptStatement statement = receipt.parsedStatement();
        assertThat(statement.text()).isEqualTo("Log in to Example");
        assertThat(statement.secureText()).isEqualTo("From the office");
        assertThat(statement.portal()).isEqualTo("Example Portal");
        assertThat(statement.context().browser()).isEqualTo("Firefox 140");
        assertThat(statement.decision()).isEqualTo(AnswerDecision.CONFIRMED);
        assertThat(statement.deviceId()).isEqualTo(client.deviceId().orElseThrow());
        assertThat(sent.get(1).receipt().parsedStatement().decision()).isEqualTo(AnswerDecision.DENIED);
        PgpVerification verification = FakeTokenServer.PGP.verifyDetached(receipt.statementBytes(),
                receipt.signatureBytes(), List.of(server.enrolledCertificate("alice")));
        assertThat(verification).isInstanceOf(PgpVerification.Verified.class);

        assertThat(client.storedReceipts(alice)).extracting(SignedReceipt::statement)
                .containsExactly(sent.get(0).receipt().statement(), sent.get(1).receipt().statement());
    }

    @Test
    void anHonestChainChecksOut() throws Exception {
        for (int i = 0; i < 3; i++) {
            answer(RecordingDelegate.confirming());
        }
        ReceiptHistory history = client.receiptHistory(alice);
        assertThat(history.chain()).hasSize(3);
        assertThat(history.report().findings()).isEmpty();
        assertThat(history.report().receipts()).extracting(c -> c.statement().text()).containsOnly("Log in to Example");
    }

    @Test
    void aChainOfManyPagesIsReadWhole() throws Exception {
        for (int i = 0; i < UserClient.RECEIPT_PAGE + 2; i++) {
            answer(RecordingDelegate.confirming());
        }
        ReceiptHistory history = client.receiptHistory(alice);
        assertThat(history.chain()).hasSize(UserClient.RECEIPT_PAGE + 2);
        assertThat(history.report().findings()).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aServerWhosePagesNeverEndCannotKeepTheCheckFromFinishing() throws Exception {
        answer(RecordingDelegate.confirming());
        answer(RecordingDelegate.confirming());
        server.receiptsNeverEnd = true;

        ReceiptChainCheck.Report report = client.receiptHistory(alice).report();

        assertThat(report.trustworthy()).isFalse();
        assertThat(report.findings()).extracting(ReceiptChainCheck.Finding::problem)
                .contains(ReceiptChainCheck.Problem.OUT_OF_ORDER);
    }

    @Test
    void anApprovalThePhoneDidNotSignIsReported() throws Exception {
        answer(RecordingDelegate.confirming());
        PgpKey attacker = FakeTokenServer.PGP.generateKey("attacker");
        byte[] statement = ProtocolJson.write(new ReceiptStatement(1, UUID.randomUUID(), "alice",
                client.deviceId().orElseThrow(), "Bank", "login", "Transfer 5000 EUR", null, RequestContext.empty(),
                AnswerDecision.CONFIRMED, null, Instant.now()));
        server.chain("alice", ProtocolJson.read(statement, ReceiptStatement.class).transactionId(), statement,
                FakeTokenServer.PGP.signDetached(statement, attacker), attacker.fingerprint());

        ReceiptChainCheck.Report report = client.receiptHistory(alice).report();
        assertThat(report.trustworthy()).isFalse();
        assertThat(report.findings()).extracting(ReceiptChainCheck.Finding::problem)
                .contains(ReceiptChainCheck.Problem.NOT_SIGNED_BY_THIS_PHONE, ReceiptChainCheck.Problem.BAD_DEVICE_SIGNATURE);
        assertThat(report.findings()).anySatisfy(finding -> assertThat(finding.message())
                .contains("the approval of \"Transfer 5000 EUR\" at Bank was not signed by this phone"));
    }

    @Test
    void aDroppedReceiptIsReported() throws Exception {
        for (int i = 0; i < 3; i++) {
            answer(RecordingDelegate.confirming());
        }
        server.chains.get("alice").remove(1);
        assertThat(client.receiptHistory(alice).report().findings()).extracting(ReceiptChainCheck.Finding::problem)
                .containsExactlyInAnyOrder(ReceiptChainCheck.Problem.MISSING_ENTRIES,
                        ReceiptChainCheck.Problem.PHONE_RECEIPT_NOT_IN_CHAIN);
    }

    @Test
    void theHistoryNeedsASession() throws Exception {
        client.logout();
        assertThatThrownBy(() -> client.receiptHistory(alice)).isInstanceOf(SdkException.class)
                .extracting(e -> ((SdkException) e).code()).isEqualTo(SdkErrorCode.USER_NOT_AUTHENTICATED);
    }

    @Test
    void removingTheProfileRemovesItsReceipts() throws Exception {
        answer(RecordingDelegate.confirming());
        client.deregisterUser(alice);
        UserProfile again = server.readyPhone(client, "alice", PIN);
        assertThat(client.storedReceipts(again)).isEmpty();
    }
}
