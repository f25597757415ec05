package dev.qrauth.e2e;

import dev.qrauth.sdk.Authenticator;
import dev.qrauth.sdk.MobileAuthConfirmation;
import dev.qrauth.sdk.MobileAuthInfo;
import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.sdk.MobileAuthRequestDelegate;
import dev.qrauth.sdk.SdkErrorCode;
import dev.qrauth.sdk.SdkException;
import dev.qrauth.sdk.UserClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** How one {@code handleOtpMobileAuthRequest} ended: "CONFIRMED", or the SDK error code. */
final class Outcome {

    private Outcome() {
    }

    static String handle(UserClient client, String otp, BiConsumer<MobileAuthRequest, MobileAuthConfirmation> answer)
            throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        client.handleOtpMobileAuthRequest(otp, new MobileAuthRequestDelegate() {
            @Override
            public void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation) {
                answer.accept(request, confirmation);
            }

            @Override
            public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                   MobileAuthInfo info) {
                outcome.complete(info.status().name());
            }

            @Override
            public void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                         SdkException error) {
                outcome.complete(error.code().name());
            }
        });
        return outcome.get(30, TimeUnit.SECONDS);
    }

    static String confirm(UserClient client, String otp) throws Exception {
        return handle(client, otp, (request, confirmation) -> confirmation.confirm());
    }

    static SdkErrorCode codeOf(Runnable call) {
        try {
            call.run();
            return null;
        } catch (SdkException e) {
            return e.code();
        }
    }
}
