package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.sdk.storage.InMemoryStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A local store that cannot be read reaches the app as {@link SdkErrorCode#LOCAL_STORE_CORRUPT}:
 * nothing is sent and nothing is removed.
 */
class CorruptStoreTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String PIN = "24680";

    FakeTokenServer server;
    InMemoryStore store;
    UserClient client;

    @BeforeEach
    void start() {
        server = new FakeTokenServer();
        store = new InMemoryStore();
        client = UserClient.builder().serverUri(server.uri()).store(store).build();
        server.readyPhone(client, "alice", PIN);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aDamagedDeviceRecordFailsTheBuild() {
        store.write("device", new byte[] {1, 2, 3});
        assertThatThrownBy(() -> UserClient.builder().serverUri(server.uri()).store(store).build())
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(SdkErrorCode.LOCAL_STORE_CORRUPT);
                    assertThat(e.code().code()).isEqualTo(7004);
                    assertThat(e.getMessage()).isEqualTo("the stored entry device is not in a known format");
                });
        assertThat(store.read("device")).as("nothing is removed").hasValueSatisfying(
                bytes -> assertThat(bytes).containsExactly(1, 2, 3));
    }

    @Test
    void aDamagedProfileFailsEveryCallThatReadsItAndIsKept() {
        String profile = damageTheProfile();
        int sent = server.receivedRequests().size();
        for (Runnable call : new Runnable[] {client::userProfiles, client::authenticatedUserProfile, client::logout,
                client::enrollForMobileAuth}) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(SdkException.class, e -> {
                assertThat(e.code()).isEqualTo(SdkErrorCode.LOCAL_STORE_CORRUPT);
                assertThat(e.getMessage()).isEqualTo("the stored entry " + profile + " does not decrypt with the storage key");
            });
        }
        assertThat(server.receivedRequests()).as("nothing is sent").hasSize(sent);
        assertThat(store.names()).contains(profile);
    }

    @Test
    void aDamagedProfileReachesTheDelegateOfAMobileAuthRequest() throws Exception {
        String otp = server.newOtp(null);
        damageTheProfile();
        RecordingDelegate delegate = RecordingDelegate.confirming();
        client.handleOtpMobileAuthRequest(otp, delegate);
        assertThat(delegate.awaitTerminal(WAIT).methods()).containsExactly("failed");
        assertThat(delegate.errorCode()).isEqualTo(SdkErrorCode.LOCAL_STORE_CORRUPT);
        assertThat(delegate.last().request()).isNull();
    }

    /** Flips a bit of the only profile's sealed entry; returns the entry's name. */
    private String damageTheProfile() {
        String profile = store.names().stream().filter(name -> name.startsWith("profile-")).findFirst().orElseThrow();
        byte[] sealed = store.read(profile).orElseThrow();
        sealed[sealed.length - 1] ^= 1;
        store.write(profile, sealed);
        return profile;
    }
}
