package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.storage.DirectoryStore;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk-through of the package documentation, compiled and run: how an app handles one OTP
 * from scan to approval. Here the server is the test's fake; in an app it is the token server.
 */
class HandleOneOtpExampleTest {

    @TempDir
    Path appData;

    @Test
    void handleOneOtpFromScanToApproval() throws Exception {
        try (FakeTokenServer tokenServer = new FakeTokenServer()) {
            // 1. One client per token server, keeping its state in the app's data directory.
            UserClient client = UserClient.builder()
                    .serverUri(tokenServer.uri())
                    .store(new DirectoryStore(appData))
                    .deviceName("Alice's phone")
                    .build();

            // 2. Once: register with the activation code from the portal, choosing a PIN; enroll.
            UserProfile alice = client.registerUser("alice", "K7QZ2-M4XPA-9RTWC-HD3NB", "24680");
            client.authenticateUser(alice, "24680");
            client.enrollForMobileAuth();

            // 3. Every login: the user scans the QR code; the app hands the text to the SDK.
            String scanned = tokenServer.newOtp(null);
            CompletableFuture<String> outcome = new CompletableFuture<>();
            if (client.canHandleOtpMobileAuthRequest(scanned)) {
                client.handleOtpMobileAuthRequest(scanned, new MobileAuthRequestDelegate() {
                    @Override
                    public void didReceiveConfirmationChallenge(MobileAuthRequest request,
                                                                MobileAuthConfirmation confirmation) {
                        // Show request.portalName(), request.message(), request.browser() ... and ask.
                        confirmation.confirm();
                    }

                    @Override
                    public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                           MobileAuthInfo info) {
                        outcome.complete("approved for " + request.portalName());
                    }

                    @Override
                    public void didFailToHandleMobileAuthRequest(MobileAuthRequest request,
                                                                 Authenticator authenticator, SdkException error) {
                        // Optional, like didHandleMobileAuthRequest. Every failure comes here: a denial,
                        // or an error (request is null when nothing was shown, as when nobody is logged in).
                        outcome.complete(error.code() == SdkErrorCode.ACTION_CANCELLED ? "denied" : "failed: " + error.code());
                    }
                });
            }
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("approved for Example Portal");
        }
    }
}
