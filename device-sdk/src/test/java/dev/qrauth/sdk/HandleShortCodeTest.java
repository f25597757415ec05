package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.storage.InMemoryStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code handleShortCodeMobileAuthRequest}: a typed short code goes the way of a scanned OTP. */
class HandleShortCodeTest {

    FakeTokenServer tokenServer;
    UserClient client;

    @BeforeEach
    void ready() {
        tokenServer = new FakeTokenServer();
        client = UserClient.builder().serverUri(tokenServer.uri()).store(new InMemoryStore()).deviceName("phone").build();
        tokenServer.readyPhone(client, "alice", "24680");
    }

    @AfterEach
    void stop() {
        tokenServer.close();
    }

    @Test
    void aTypedShortCodeIsFetchedShownAndApproved() throws Exception {
        String shown = tokenServer.newShortCode(null);
        String typed = shown.toLowerCase(Locale.ROOT).replace('-', ' ');
        assertThat(client.canHandleShortCodeMobileAuthRequest(typed)).isTrue();
        assertThat(handle(typed)).isEqualTo("approved Log in to Example");
        assertThat(tokenServer.shortCodesReceived()).containsExactly(shown.replace("-", ""));
        assertThat(tokenServer.answers).hasSize(1);
    }

    @Test
    void anUnknownCodeFailsWithNotFound() throws Exception {
        String shown = tokenServer.newShortCode(null);
        assertThat(handle(shown)).isEqualTo("approved Log in to Example");
        assertThat(handle(shown)).isEqualTo("failed NOT_FOUND");
    }

    @Test
    void aMistypedCodeIsNotHandleableAndSendsNothing() throws Exception {
        int before = tokenServer.receivedRequests().size();
        for (String typed : List.of("", "K7QM-4XRT-9B", "K7QM-4XRT-9BHN-3PW0")) {
            assertThat(client.canHandleShortCodeMobileAuthRequest(typed)).isFalse();
            assertThat(handle(typed)).isEqualTo("failed NOT_HANDLEABLE");
        }
        assertThat(tokenServer.receivedRequests()).hasSize(before);
    }

    private String handle(String typed) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        client.handleShortCodeMobileAuthRequest(typed, new MobileAuthRequestDelegate() {
            @Override
            public void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation) {
                confirmation.confirm();
            }

            @Override
            public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                   MobileAuthInfo info) {
                outcome.complete("approved " + request.message());
            }

            @Override
            public void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                         SdkException error) {
                outcome.complete("failed " + error.code());
            }
        });
        return outcome.get(10, TimeUnit.SECONDS);
    }
}
