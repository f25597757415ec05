package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.sdk.storage.InMemoryStore;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The device secret, PIN and tokens go only to the server the device registered with, and plain
 * http only to this machine. Nothing here sends anything to an address other than 127.0.0.1.
 */
@Timeout(30)
class ServerBindingTest {

    static final String PIN = "24680";

    FakeTokenServer registeredWith;
    FakeTokenServer other;
    InMemoryStore store;

    @BeforeEach
    void start() {
        registeredWith = new FakeTokenServer();
        other = new FakeTokenServer();
        store = new InMemoryStore();
    }

    @AfterEach
    void stop() {
        registeredWith.close();
        other.close();
    }

    @Test
    void aStoreRegisteredWithOneServerIsRefusedForAnotherAndNothingIsSent() {
        UserClient client = UserClient.builder().serverUri(registeredWith.uri()).store(store).build();
        UserProfile alice = client.registerUser("alice", "K7QZ2-M4XPA-9RTWC-HD3NB", PIN);

        assertThatThrownBy(() -> UserClient.builder().serverUri(other.uri()).store(store).build())
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(SdkErrorCode.SERVER_MISMATCH);
                    assertThat(e.getMessage()).contains(registeredWith.uri().toString(), other.uri().toString());
                });
        assertThat(other.receivedRequests()).isEmpty();
        // Nothing was removed either: the right server still works with the same store.
        UserClient again = UserClient.builder().serverUri(registeredWith.uri()).store(store).build();
        again.authenticateUser(alice, PIN);
        assertThat(again.authenticatedUserProfile()).contains(alice);
    }

    @Test
    void aClientWhoseStoreIsRegisteredMeanwhileWithAnotherServerSendsItNothing() {
        UserClient elsewhere = UserClient.builder().serverUri(other.uri()).store(store).build();
        UserClient.builder().serverUri(registeredWith.uri()).store(store).build()
                .registerUser("alice", "K7QZ2-M4XPA-9RTWC-HD3NB", PIN);

        assertThatThrownBy(() -> elsewhere.registerUser("alice", "K7QZ2-M4XPA-9RTWC-HD3NB", PIN))
                .isInstanceOfSatisfying(SdkException.class,
                        e -> assertThat(e.code()).isEqualTo(SdkErrorCode.SERVER_MISMATCH));
        assertThatThrownBy(() -> elsewhere.authenticateUser(new UserProfile("alice"), PIN))
                .isInstanceOfSatisfying(SdkException.class,
                        e -> assertThat(e.code()).isEqualTo(SdkErrorCode.SERVER_MISMATCH));
        assertThat(other.receivedRequests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8081", "http://127.1.2.3:8081", "http://[::1]:8081",
            "http://[0:0:0:0:0:0:0:1]:8081", "http://localhost:8081", "http://LOCALHOST", "https://auth.example.com",
            "https://127.0.0.1.attacker.example"})
    void plainHttpOnlyToThisMachineAndHttpsAnywhere(String uri) {
        UserClient.builder().serverUri(URI.create(uri));
    }

    /** Checked by parsing the host: none of these names or addresses is looked up or contacted. */
    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1.attacker.example", "http://127.0.0.1.attacker.example:8081",
            "http://localhost.attacker.example", "http://127.0.0.1@attacker.example", "http://128.0.0.1",
            "http://127.0.0.256", "http://[::2]", "http://[::ffff:10.0.0.1]", "http://10.0.0.1", "http://auth.example.com"})
    void plainHttpToAnythingElseIsRefused(String uri) {
        assertThatThrownBy(() -> UserClient.builder().serverUri(URI.create(uri)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
