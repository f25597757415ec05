package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.sdk.storage.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The duress PIN in the SDK: registered with the user, set and removed in a session, never kept here. */
class DuressPinTest {

    static final String PIN = "24680";
    static final String DURESS_PIN = "86420";

    FakeTokenServer server;
    InMemoryStore store;
    UserClient client;

    @BeforeEach
    void start() {
        server = new FakeTokenServer();
        store = new InMemoryStore();
        client = UserClient.builder().serverUri(server.uri()).store(store).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void registrationSendsTheDuressPinWithThePin() {
        UserProfile alice = client.registerUser("alice", FakeTokenServer.ACTIVATION_CODE, PIN, DURESS_PIN);
        assertThat(alice.userId()).isEqualTo("alice");
        assertThat(server.pins()).containsExactly(PIN);
        assertThat(server.duressPinRequests()).containsExactly("register " + DURESS_PIN);
        assertThat(client.userProfiles()).containsExactly(alice);
    }

    @Test
    void registrationWithoutADuressPinLeavesTheMemberOut() {
        client.registerUser("alice", FakeTokenServer.ACTIVATION_CODE, PIN);
        client.registerUser("bob", FakeTokenServer.ACTIVATION_CODE, PIN, null);
        assertThat(server.duressPinRequests()).containsExactly("register none", "register none");
    }

    @Test
    void aDuressPinRefusedAtRegistrationLeavesNoProfile() {
        server.scriptError("POST", "/device/api/v1/users", 400, "PIN_NOT_ALLOWED");
        assertThatThrownBy(() -> client.registerUser("alice", FakeTokenServer.ACTIVATION_CODE, PIN, PIN))
                .isInstanceOfSatisfying(SdkException.class,
                        e -> assertThat(e.code()).isEqualTo(SdkErrorCode.PIN_NOT_ALLOWED));
        assertThat(client.userProfiles()).isEmpty();
    }

    @Test
    void setAndRemoveGoToTheServerInTheProfilesSession() {
        UserProfile alice = client.registerUser("alice", FakeTokenServer.ACTIVATION_CODE, PIN);
        client.authenticateUser(alice, PIN);

        client.setDuressPin(alice, DURESS_PIN);
        client.removeDuressPin(alice);

        assertThat(server.duressPinRequests()).hasSize(3);
        assertThat(server.duressPinRequests().get(1)).matches("set " + DURESS_PIN + " fake-token-.+");
        assertThat(server.duressPinRequests().get(2)).matches("remove fake-token-.+");
        assertThat(server.receivedRequests())
                .contains("PUT /device/api/v1/users/alice/duress-pin", "DELETE /device/api/v1/users/alice/duress-pin");
    }

    @Test
    void withoutASessionNothingIsSent() {
        UserProfile alice = client.registerUser("alice", FakeTokenServer.ACTIVATION_CODE, PIN);
        int before = server.receivedRequests().size();

        assertThatThrownBy(() -> client.setDuressPin(alice, DURESS_PIN)).isInstanceOfSatisfying(SdkException.class,
                e -> assertThat(e.code()).isEqualTo(SdkErrorCode.USER_NOT_AUTHENTICATED));
        assertThatThrownBy(() -> client.removeDuressPin(alice)).isInstanceOfSatisfying(SdkException.class,
                e -> assertThat(e.code()).isEqualTo(SdkErrorCode.USER_NOT_AUTHENTICATED));
        assertThat(server.receivedRequests()).hasSize(before);
    }

    @Test
    void anUnknownProfileIsDeregistered() {
        assertThatThrownBy(() -> client.setDuressPin(new UserProfile("nobody"), DURESS_PIN))
                .isInstanceOfSatisfying(SdkException.class,
                        e -> assertThat(e.code()).isEqualTo(SdkErrorCode.USER_DEREGISTERED));
    }

    @Test
    void aRefusedDuressPinIsReportedAsItIs() {
        UserProfile alice = client.registerUser("alice", FakeTokenServer.ACTIVATION_CODE, PIN);
        client.authenticateUser(alice, PIN);
        server.scriptError("PUT", "/duress-pin", 400, "PIN_NOT_ALLOWED");
        assertThatThrownBy(() -> client.setDuressPin(alice, PIN)).isInstanceOfSatisfying(SdkException.class,
                e -> assertThat(e.code()).isEqualTo(SdkErrorCode.PIN_NOT_ALLOWED));
        assertThat(client.authenticatedUserProfile()).contains(alice);
    }

    @Test
    void errorsCleanUpAsEveryCallDoes() {
        UserProfile alice = client.registerUser("alice", FakeTokenServer.ACTIVATION_CODE, PIN);
        client.authenticateUser(alice, PIN);
        server.scriptError("DELETE", "/duress-pin", 401, "USER_NOT_AUTHENTICATED");
        assertThatThrownBy(() -> client.removeDuressPin(alice)).isInstanceOfSatisfying(SdkException.class,
                e -> assertThat(e.code()).isEqualTo(SdkErrorCode.USER_NOT_AUTHENTICATED));
        assertThat(client.authenticatedUserProfile()).isEmpty();

        client.authenticateUser(alice, PIN);
        server.scriptError("PUT", "/duress-pin", 403, "USER_DEREGISTERED");
        assertThatThrownBy(() -> client.setDuressPin(alice, DURESS_PIN)).isInstanceOfSatisfying(SdkException.class,
                e -> assertThat(e.code()).isEqualTo(SdkErrorCode.USER_DEREGISTERED));
        assertThat(client.userProfiles()).isEmpty();
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> client.setDuressPin(new UserProfile("alice"), null))
                .isInstanceOf(NullPointerException.class).hasMessage("duressPin == null");
        assertThatThrownBy(() -> client.removeDuressPin(null))
                .isInstanceOf(NullPointerException.class).hasMessage("profile == null");
    }
}
