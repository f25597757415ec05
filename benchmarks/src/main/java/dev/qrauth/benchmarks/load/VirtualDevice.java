package dev.qrauth.benchmarks.load;

import dev.qrauth.sdk.Authenticator;
import dev.qrauth.sdk.MobileAuthConfirmation;
import dev.qrauth.sdk.MobileAuthInfo;
import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.sdk.MobileAuthRequestDelegate;
import dev.qrauth.sdk.SdkException;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.InMemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One phone of the load run: the device SDK over an in-memory store, registered and enrolled for
 * one user, whose user confirms every request at once. A device answers one request at a time.
 */
final class VirtualDevice {

    private static final String PIN = "24680";

    /** When the phone showed the message (fetch done), sent its answer, and had it accepted, in nano time. */
    record Answer(long shownNanos, long sentNanos, long acceptedNanos) {
    }

    private final UserClient client;
    private final UserProfile profile;

    private VirtualDevice(UserClient client, UserProfile profile) {
        this.client = client;
        this.profile = profile;
    }

    /**
     * Registers a phone for {@code userId} with the activation code the admin API gave, sets its
     * PIN and enrolls it for mobile authentication, sending through the driver's shared {@code http}.
     */
    static VirtualDevice register(URI server, HttpClient http, String userId, String activationCode) {
        UserClient phone = UserClient.builder().serverUri(server).store(new InMemoryStore())
                .deviceName("virtual device").httpClient(http).build();
        UserProfile profile = phone.registerUser(userId, activationCode, PIN);
        phone.authenticateUser(profile, PIN);
        phone.enrollForMobileAuth();
        return new VirtualDevice(phone, profile);
    }

    String userId() {
        return profile.userId();
    }

    /** The phone's part of a flow: fetch and open the message for {@code otp}, confirm, send the answer. */
    Answer answer(String otp) throws InterruptedException {
        long[] times = new long[3];
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.handleOtpMobileAuthRequest(otp, new MobileAuthRequestDelegate() {
            @Override
            public void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation) {
                // The user decides at once: what follows is the answer's own cost.
                times[0] = System.nanoTime();
                times[1] = times[0];
                confirmation.confirm();
            }

            @Override
            public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator, MobileAuthInfo info) {
                times[2] = System.nanoTime();
                done.complete(null);
            }

            @Override
            public void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                         SdkException error) {
                done.completeExceptionally(new FlowException("SDK " + error.code()));
            }
        });
        try {
            done.get(Flow.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof FlowException flow ? flow : new FlowException("SDK failure");
        } catch (TimeoutException e) {
            throw new FlowException("phone did not finish within " + Flow.TIMEOUT.toSeconds() + " s");
        }
        return new Answer(times[0], times[1], times[2]);
    }
}
