package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import dev.qrauth.protocol.callback.CallbackSignature;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Callbacks as the token server sends them, and as an attacker might. The portal reads a result
 * on another thread after answering the callback; in this test those reads run one at a time in
 * the order they were asked for ({@link OneReadAtATime}), so a read that must not happen is ruled
 * out by a sentinel: a later callback whose read is seen, after which any earlier read is done.
 */
@QuarkusTest
@TestProfile(CallbackReceiverTest.OneReadAtATime.class)
class CallbackReceiverTest {

    public static final class OneReadAtATime implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SerialExecutor.class);
        }
    }

    /** The portal's executor with one thread and a first-in, first-out queue. */
    @Alternative
    @Singleton
    public static class SerialExecutor {
        @Produces
        @Singleton
        ManagedExecutor serial() {
            return ManagedExecutor.builder().maxAsync(1).maxQueued(-1).build();
        }

        void shutdown(@Disposes ManagedExecutor executor) {
            executor.shutdownNow();
        }
    }

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void aSignedCallbackMovesTheWaitingBrowserOn() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");

        tx.scanned();
        assertThat(Callbacks.send(tx.id(), "SCANNED").statusCode()).isEqualTo(204);
        Flows.awaitState(browser, "login", "scanned");
        assertThat(browser.status("login").getString("status")).isEqualTo("Code scanned. Confirm on your phone.");

        tx.confirmedBy("alice");
        assertThat(Callbacks.send(tx.id(), "CONFIRMED").statusCode()).isEqualTo(204);
        Flows.awaitState(browser, "login", "confirmed");
    }

    @Test
    void theResultIsReadFromTheTokenServerNotTakenFromTheCallback() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");

        // The callback claims CONFIRMED, but the token server still says PENDING.
        assertThat(Callbacks.send(tx.id(), "CONFIRMED").statusCode()).isEqualTo(204);

        await().atMost(Flows.WAIT).until(() -> tx.reads() >= 1);
        assertThat(browser.state("login")).isEqualTo("waiting");
    }

    @Test
    void aWrongSignatureIsRefusedAndChangesNothing() {
        Browser browser = new Browser();
        Transaction tx = loginConfirmedOnTheServer(browser, "mallory");
        byte[] body = Callbacks.body(tx.id(), "CONFIRMED");
        String signedWithAnotherSecret = CallbackSignature.sign("not-the-secret", Instant.now(), body);

        assertThat(Callbacks.send(body, signedWithAnotherSecret).statusCode()).isEqualTo(401);

        assertNothingChanged(browser, tx);
    }

    @Test
    void aMissingSignatureIsRefusedAndChangesNothing() {
        Browser browser = new Browser();
        Transaction tx = loginConfirmedOnTheServer(browser, "mallory");

        assertThat(Callbacks.send(Callbacks.body(tx.id(), "CONFIRMED"), null).statusCode()).isEqualTo(401);

        assertNothingChanged(browser, tx);
    }

    @Test
    void aStaleTimestampIsRefusedAndChangesNothing() {
        Browser browser = new Browser();
        Transaction tx = loginConfirmedOnTheServer(browser, "alice");
        byte[] body = Callbacks.body(tx.id(), "CONFIRMED");

        String tenMinutesOld = Callbacks.signature(body, Instant.now().minusSeconds(600));
        assertThat(Callbacks.send(body, tenMinutesOld).statusCode()).isEqualTo(401);

        assertNothingChanged(browser, tx);
    }

    @Test
    void aBodyChangedAfterSigningIsRefused() {
        Browser browser = new Browser();
        Transaction tx = loginConfirmedOnTheServer(browser, "alice");
        byte[] body = Callbacks.body(tx.id(), "CONFIRMED");
        String signature = Callbacks.signature(body, Instant.now());
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("CONFIRMED", "REJECTED ").getBytes(StandardCharsets.UTF_8);

        assertThat(Callbacks.send(tampered, signature).statusCode()).isEqualTo(401);

        assertNothingChanged(browser, tx);
    }

    @Test
    void aReplayedCallbackChangesNothingAfterTheLogin() {
        Browser browser = new Browser();
        Transaction tx = Flows.logIn(browser, tokenServer, "alice");
        byte[] body = Callbacks.body(tx.id(), "CONFIRMED");
        String signature = Callbacks.signature(body, Instant.now());
        int readsBefore = tx.reads();

        assertThat(Callbacks.send(body, signature).statusCode()).isEqualTo(204);
        assertThat(Callbacks.send(body, signature).statusCode()).isEqualTo(204);

        // Nobody waits for that transaction any more: no read, and the login stands as it was.
        awaitSentinel();
        assertThat(tx.reads()).isEqualTo(readsBefore);
        assertThat(browser.get("/account").asString()).contains("<dd id=\"user-id\">alice</dd>");
    }

    @Test
    void theSameCallbackTwiceWhileWaitingIsHarmless() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        tx.scanned();
        byte[] body = Callbacks.body(tx.id(), "SCANNED");
        String signature = Callbacks.signature(body, Instant.now());

        assertThat(Callbacks.send(body, signature).statusCode()).isEqualTo(204);
        assertThat(Callbacks.send(body, signature).statusCode()).isEqualTo(204);

        // Each is read, unless the second comes while the first is still being read.
        Flows.awaitState(browser, "login", "scanned");
        awaitSentinel();
        assertThat(tx.reads()).isBetween(1, 2);
        assertThat(browser.state("login")).isEqualTo("scanned");
    }

    @Test
    void aCallbackForAnUnknownTransactionIsAcknowledgedWithoutARead() {
        assertThat(Callbacks.send(UUID.randomUUID(), "CONFIRMED").statusCode()).isEqualTo(204);
        awaitSentinel();
        assertThat(tokenServer.unknownReads()).isZero();
    }

    @Test
    void aSignedBodyThatIsNotACallbackIsABadRequest() {
        byte[] body = "{\"transaction_id\":".getBytes(StandardCharsets.UTF_8);

        assertThat(Callbacks.send(body, Callbacks.signature(body, Instant.now())).statusCode()).isEqualTo(400);
    }

    @Test
    void aLateCallbackDoesNotUndoTheResult() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        tx.rejectedBy("alice", "fraud_reported");
        Callbacks.send(tx.id(), "REJECTED");
        Flows.awaitState(browser, "login", "denied");
        int readsAfterResult = tx.reads();

        // A SCANNED callback delivered late, while the server (wrongly) still says SCANNED.
        tx.scanned();
        assertThat(Callbacks.send(tx.id(), "SCANNED").statusCode()).isEqualTo(204);

        awaitSentinel();
        assertThat(tx.reads()).isEqualTo(readsAfterResult);
        assertThat(browser.state("login")).isEqualTo("denied");
        assertThat(browser.status("login").getString("status"))
                .isEqualTo("The phone's owner denied this and reported it as not theirs.");
    }

    /** Opens the login page; the token server then says {@code userId} confirmed, no callback yet. */
    private Transaction loginConfirmedOnTheServer(Browser browser, String userId) {
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        tx.confirmedBy(userId);
        return tx;
    }

    private void assertNothingChanged(Browser browser, Transaction tx) {
        // A wrongly accepted callback would have asked for a read before the sentinel's.
        awaitSentinel();
        assertThat(tx.reads()).isZero();
        assertThat(browser.state("login")).isEqualTo("waiting");
    }

    /**
     * A signed callback for another browser's waiting login, and its read: reads run one at a
     * time in order, so every read asked for before it has ended.
     */
    private void awaitSentinel() {
        Browser sentinel = new Browser();
        sentinel.get("/login");
        Transaction tx = tokenServer.of(sentinel, "login");
        assertThat(Callbacks.send(tx.id(), "SCANNED").statusCode()).isEqualTo(204);
        await("the sentinel's read").atMost(Flows.WAIT).until(() -> tx.reads() >= 1);
    }
}
