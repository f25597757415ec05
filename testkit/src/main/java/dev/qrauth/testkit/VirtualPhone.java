package dev.qrauth.testkit;

import dev.qrauth.adminclient.AdminClient;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpDecoding;
import dev.qrauth.sdk.Authenticator;
import dev.qrauth.sdk.MobileAuthConfirmation;
import dev.qrauth.sdk.MobileAuthInfo;
import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.sdk.MobileAuthRequestDelegate;
import dev.qrauth.sdk.SdkErrorCode;
import dev.qrauth.sdk.SdkException;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A phone with the app on it, for tests: the device SDK over an in-memory store, answering the
 * way a user would, one call at a time.
 *
 * <p>Every answer returns the {@link MobileAuthRequest} the phone showed (portal name, message,
 * number choices) once the token server has accepted the answer, so the browser can be checked
 * right after. A failure throws the SDK's {@link SdkException}; its {@link SdkException#code()}
 * says what happened, as it would to an app: {@code NOT_HANDLEABLE} for text that is not an OTP,
 * {@code ALREADY_HANDLED} for a code answered before, {@code NOT_FOUND} for an expired or
 * cancelled one, {@code ACTION_CANCELLED} for an approval whose number did not match.
 *
 * <p>Answers go out as the phone's current user: the one last enrolled, or last named in
 * {@link #approveNext(String)}. Methods are safe to call from one test thread; a phone answers one
 * request at a time.
 */
public final class VirtualPhone {

    /** The PIN of every user on a virtual phone; the kit enters it, tests never need it. */
    private static final String PIN = "24680";

    private enum Decision { APPROVE, DENY, FRAUD }

    private final UserClient sdk;
    private final AdminClient admin;
    private final PortalApiRecorder recorder;
    private final Duration timeout;
    private String currentUser;
    private volatile String lastReverseCode;

    VirtualPhone(UserClient sdk, AdminClient admin, PortalApiRecorder recorder, Duration timeout) {
        this.sdk = sdk;
        this.admin = admin;
        this.recorder = recorder;
        this.timeout = timeout;
    }

    /**
     * Readies this phone for {@code userId} in one call: creates the user on the token server if
     * new, registers this phone with a fresh activation code, sets the PIN and enrolls for mobile
     * authentication. The user becomes the phone's current user.
     *
     * @return this phone
     */
    public VirtualPhone enroll(String userId) {
        Objects.requireNonNull(userId, "userId == null");
        String activationCode = admin.activationCode(userId).activationCode();
        UserProfile profile = sdk.registerUser(userId, activationCode, PIN);
        sdk.authenticateUser(profile, PIN);
        sdk.enrollForMobileAuth();
        currentUser = userId;
        return this;
    }

    /**
     * The code the phone showed after its last approval of a type with reverse code entry, for
     * the test to type into the browser; empty when the last answer showed none.
     */
    public java.util.Optional<String> lastReverseCode() {
        return java.util.Optional.ofNullable(lastReverseCode);
    }

    /** The users enrolled on this phone. */
    public List<String> users() {
        return sdk.userProfiles().stream().map(UserProfile::userId).toList();
    }

    /**
     * Approves the request behind {@code otp} (the text under the QR code). For a number-matching
     * type the phone picks the browser's number when the portal started the request through
     * {@link TestTokenServer#url()}; otherwise use {@link #approve(String, int)}.
     */
    public MobileAuthRequest approve(String otp) {
        return answer(current(), otp, Decision.APPROVE, null);
    }

    /** Approves the request in a QR image or a screenshot showing it (PNG, JPEG or GIF bytes). */
    public MobileAuthRequest approve(byte[] qrImage) {
        return approve(QrImages.decode(qrImage));
    }

    /**
     * Approves a number-matching request picking {@code number}. A number that is not among the
     * phone's choices is refused with {@link IllegalArgumentException}, and the request is denied,
     * as by a user who cannot find the browser's number.
     */
    public MobileAuthRequest approve(String otp, int number) {
        return answer(current(), otp, Decision.APPROVE, number);
    }

    /** Denies the request behind {@code otp}. */
    public MobileAuthRequest deny(String otp) {
        return answer(current(), otp, Decision.DENY, null);
    }

    /** Denies the request in a QR image or a screenshot showing it. */
    public MobileAuthRequest deny(byte[] qrImage) {
        return deny(QrImages.decode(qrImage));
    }

    /** Denies the request behind {@code otp} and reports it as fraud ("this wasn't me"). */
    public MobileAuthRequest reportFraud(String otp) {
        return answer(current(), otp, Decision.FRAUD, null);
    }

    /** Reports the request in a QR image or a screenshot showing it as fraud. */
    public MobileAuthRequest reportFraud(byte[] qrImage) {
        return reportFraud(QrImages.decode(qrImage));
    }

    /**
     * Approves, as {@code userId}, the oldest request the portal started through
     * {@link TestTokenServer#url()} that no phone has taken yet, waiting for the portal to start
     * one if needed. For tests that cannot see the QR code. Picks the browser's number for
     * number-matching types.
     *
     * @throws IllegalStateException when {@code userId} is not enrolled on this phone, or no
     *                               request came within the kit's answer timeout
     */
    public MobileAuthRequest approveNext(String userId) {
        return answer(userId, next(userId), Decision.APPROVE, null);
    }

    /** Like {@link #approveNext(String)}, picking {@code number} on a number-matching request. */
    public MobileAuthRequest approveNext(String userId, int number) {
        return answer(userId, next(userId), Decision.APPROVE, number);
    }

    /** Like {@link #approveNext(String)}, but denies. */
    public MobileAuthRequest denyNext(String userId) {
        return answer(userId, next(userId), Decision.DENY, null);
    }

    private String next(String userId) {
        profile(userId);
        return recorder.takeNext(timeout).orElseThrow(() -> new IllegalStateException(
                "No login or approval was started through " + recorder.uri() + " within " + timeout
                        + ": is the portal configured with TestTokenServer.url()?")).otp();
    }

    private String current() {
        if (currentUser == null) {
            throw new IllegalStateException("No user on this phone: call enroll(userId) first");
        }
        return currentUser;
    }

    private UserProfile profile(String userId) {
        return sdk.userProfiles().stream().filter(p -> p.userId().equals(userId)).findFirst()
                .orElseThrow(() -> new IllegalStateException(userId + " is not enrolled on this phone: call enroll(\""
                        + userId + "\") first"));
    }

    private MobileAuthRequest answer(String userId, String otp, Decision decision, Integer number) {
        Objects.requireNonNull(otp, "otp == null");
        UserProfile profile = profile(userId);
        // A fresh PIN session for every answer, so a long test never meets an expired one.
        sdk.authenticateUser(profile, PIN);
        currentUser = userId;
        Integer browserNumber = null;
        if (OtpCodec.decode(otp) instanceof OtpDecoding.Accepted accepted) {
            browserNumber = recorder.take(accepted.payload().transactionId())
                    .map(PortalApiRecorder.Initiation::bindingCode).orElse(null);
        }
        Answering answering = new Answering(decision, number, browserNumber);
        lastReverseCode = null;
        sdk.handleOtpMobileAuthRequest(otp, answering);
        try {
            MobileAuthRequest handled = answering.result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            lastReverseCode = answering.reverseCode;
            return handled;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SdkException error) {
                // A new exception, so the stack trace leads to the test's call.
                throw new SdkException(error.code(), error.getMessage(), error.remainingAttempts(), error);
            }
            if (e.getCause() instanceof RuntimeException refused) {
                throw refused;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The phone did not finish answering within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the phone answered", e);
        }
    }

    /** The user's side of one request: the decision, given when the request is shown. */
    private static final class Answering implements MobileAuthRequestDelegate {

        final CompletableFuture<MobileAuthRequest> result = new CompletableFuture<>();
        private final Decision decision;
        private final Integer number;
        private final Integer browserNumber;
        /** The code for the browser, when the approved type asks for one. */
        private volatile String reverseCode;
        /** Why the kit denied instead of approving; reported once the denial is delivered. */
        private volatile RuntimeException refusal;

        Answering(Decision decision, Integer number, Integer browserNumber) {
            this.decision = decision;
            this.number = number;
            this.browserNumber = browserNumber;
        }

        @Override
        public void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation) {
            switch (decision) {
                case DENY -> confirmation.deny();
                case FRAUD -> confirmation.denyAsFraud();
                case APPROVE -> approve(request, confirmation);
            }
        }

        private void approve(MobileAuthRequest request, MobileAuthConfirmation confirmation) {
            if (!request.requiresNumberMatching()) {
                if (number != null) {
                    refuse(confirmation, new IllegalArgumentException(
                            "This request has no number to pick: approve it without a number"));
                    return;
                }
                confirmation.confirm();
                return;
            }
            Integer pick = number != null ? number : browserNumber;
            if (pick == null) {
                refuse(confirmation, new IllegalStateException("This request needs the number the browser shows, "
                        + "and the kit did not see it start: call approve(otp, number)"));
                return;
            }
            if (!request.numberChoices().contains(pick)) {
                refuse(confirmation, new IllegalArgumentException(
                        pick + " is not among the phone's choices " + request.numberChoices()));
                return;
            }
            confirmation.confirm(pick);
        }

        /** Denies, as a user who cannot go on would, and fails the call with {@code reason}. */
        private void refuse(MobileAuthConfirmation confirmation, RuntimeException reason) {
            refusal = reason;
            confirmation.deny();
        }

        @Override
        public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                               MobileAuthInfo info) {
            reverseCode = info.reverseCode();
            result.complete(request);
        }

        @Override
        public void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                     SdkException error) {
            if (refusal != null) {
                result.completeExceptionally(refusal);
            } else if (decision != Decision.APPROVE && error.code() == SdkErrorCode.ACTION_CANCELLED) {
                result.complete(request);
            } else {
                result.completeExceptionally(error);
            }
        }
    }
}
