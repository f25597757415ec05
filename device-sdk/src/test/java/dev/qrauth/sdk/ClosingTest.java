package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.sdk.storage.InMemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A closed {@link UserClient}: its threads end, and it refuses every further call. */
class ClosingTest {

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
        client.close();
        server.close();
    }

    @Test
    void closingEndsTheSdksThreads() throws Exception {
        RecordingDelegate delegate = RecordingDelegate.confirming();
        client.handleOtpMobileAuthRequest(server.newOtp(null), delegate);
        delegate.awaitTerminal(WAIT);
        Thread worker = delegate.calls.get(0).thread();
        assertThat(worker.getName()).isEqualTo("qrauth-sdk");

        client.close();

        // An idle thread of an open client would wait a minute for more work.
        worker.join(WAIT.toMillis());
        assertThat(worker.isAlive()).as("the SDK's thread after close").isFalse();
    }

    @Test
    void aRequestInHandWhenClosedStillEndsAsTheDelegateContractSays() throws Exception {
        CountDownLatch challenged = new CountDownLatch(1);
        RecordingDelegate delegate = new RecordingDelegate((request, confirmation) -> challenged.countDown());
        client.handleOtpMobileAuthRequest(server.newOtp(null), delegate);
        assertThat(challenged.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the challenge").isTrue();

        client.close();
        delegate.confirmation.confirm();

        assertThat(delegate.awaitTerminal(WAIT).methods()).containsExactly("challenge", "handled");
        Thread worker = delegate.calls.get(0).thread();
        worker.join(WAIT.toMillis());
        assertThat(worker.isAlive()).isFalse();
    }

    @Test
    void everyCallAfterCloseFailsClearly() {
        String otp = server.newOtp(null);
        String shortCode = server.newShortCode(null);
        client.close();
        int sent = server.receivedRequests().size();
        List<ThrowingCallable> calls = List.of(
                client::registerDevice,
                () -> client.registerUser("bob", "K7QZ2-M4XPA-9RTWC-HD3NB", PIN),
                client::userProfiles,
                client::isDeviceRegistered,
                client::deviceId,
                () -> client.authenticateUser(alice, PIN),
                client::authenticatedUserProfile,
                client::logout,
                () -> client.isUserEnrolledForMobileAuth(alice),
                client::enrollForMobileAuth,
                () -> client.handleOtpMobileAuthRequest(otp, RecordingDelegate.confirming()),
                () -> client.handleOtpMobileAuthRequest("not an OTP", RecordingDelegate.confirming()),
                () -> client.handleShortCodeMobileAuthRequest(shortCode, RecordingDelegate.confirming()),
                () -> client.deregisterUser(alice),
                client::deregisterDevice);
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessage("This UserClient is closed");
        }
        assertThat(server.receivedRequests()).as("nothing is sent after close").hasSize(sent);
    }

    @Test
    void whatNeedsNoStateStillAnswersAfterClose() {
        client.close();
        assertThat(client.serverUri()).isEqualTo(server.uri());
        assertThat(client.canHandleOtpMobileAuthRequest(server.newOtp(null))).isTrue();
        assertThat(client.canHandleShortCodeMobileAuthRequest("not a code")).isFalse();
    }

    @Test
    void closingTwiceIsClosingOnce() {
        client.close();
        assertThatCode(client::close).doesNotThrowAnyException();
        assertThatThrownBy(client::userProfiles).isInstanceOf(IllegalStateException.class);
    }
}
