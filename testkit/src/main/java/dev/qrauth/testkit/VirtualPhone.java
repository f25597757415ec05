package dev.qrauth.testkit;

import dev.qrauth.adminclient.AdminClient;
import dev.qrauth.cli.QrImages;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpDecoding;
import dev.qrauth.sdk.Authenticator;
import dev.qrauth.sdk.MobileAuthConfirmation;
import dev.qrauth.sdk.MobileAuthInfo;
import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.sdk.MobileAuthRequestDelegate;
import dev.qrauth.sdk.ReceiptHistory;
import dev.qrauth.sdk.SdkErrorCode;
import dev.qrauth.sdk.SdkException;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.InMemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * {@link #approveNext(String)}. The phone logs its user in with the PIN when it has no live session
 * for them, so it answers for as long as a test runs, and otherwise sends nothing but the fetch and
 * the answer. Methods are safe to call from one thread at a time (a load test may hand a phone
 * from thread to thread); a phone answers one request at a time.
 *
 * <p>{@link TestTokenServer#newPhone()} makes phones for its server. A program with a token server
 * of its own, such as a load test, makes them with {@link #builder(URI)}.
 */
public final class VirtualPhone {

    /** The PIN of every user on a virtual phone; the kit enters it, tests never need it. */
    private static final String PIN = "24680";

    private enum Decision { APPROVE, DENY, FRAUD }

    /**
     * One approval and its moments, for a load test: when the phone showed the request (its fetch
     * and decryption done) and when the token server accepted the answer, both
     * {@link System#nanoTime()} readings.
     */
    public record Answered(MobileAuthRequest request, long shownNanos, long acceptedNanos) {

        public Answered {
            Objects.requireNonNull(request, "request == null");
        }
    }

    private final UserClient sdk;
    /** Null for a phone built without one: it enrolls only with activation codes it is given. */
    private final AdminClient admin;
    /** Null outside {@link TestTokenServer}: nobody records the portal's calls. */
    private final PortalApiRecorder recorder;
    private final Duration timeout;
    private String currentUser;
    private volatile String lastReverseCode;

    private VirtualPhone(UserClient sdk, AdminClient admin, PortalApiRecorder recorder, Duration timeout) {
        this.sdk = sdk;
        this.admin = admin;
        this.recorder = recorder;
        this.timeout = timeout;
    }

    /**
     * A builder of phones for the token server at {@code serverUri} (http only on this machine),
     * for programs that run the server themselves; tests with a {@link TestTokenServer} use
     * {@link TestTokenServer#newPhone()}.
     */
    public static Builder builder(URI serverUri) {
        return new Builder(serverUri);
    }

    /**
     * Readies this phone for {@code userId} in one call: creates the user on the token server if
     * new, registers this phone with a fresh activation code, sets the PIN and enrolls for mobile
     * authentication. The user becomes the phone's current user.
     *
     * @return this phone
     * @throws IllegalStateException when the phone was built without an {@link AdminClient}
     */
    public VirtualPhone enroll(String userId) {
        Objects.requireNonNull(userId, "userId == null");
        if (admin == null) {
            throw new IllegalStateException("This phone has no admin client to get an activation code from: "
                    + "give one to its builder, or call enroll(userId, activationCode)");
        }
        return enroll(userId, admin.activationCode(userId).activationCode());
    }

    /**
     * Like {@link #enroll(String)}, with an activation code the caller already has (from the admin
     * API, or a portal's account page) for a user the token server knows.
     *
     * @return this phone
     * @throws SdkException as the SDK's registration, login or enrollment fails:
     *                      {@code INVALID_ACTIVATION_CODE} for a used, expired or unknown code
     */
    public VirtualPhone enroll(String userId, String activationCode) {
        Objects.requireNonNull(userId, "userId == null");
        Objects.requireNonNull(activationCode, "activationCode == null");
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
    public Optional<String> lastReverseCode() {
        return Optional.ofNullable(lastReverseCode);
    }

    /**
     * The current user's receipt chain from the token server, checked against this phone's own
     * receipts and the server certificate it got at enrollment ({@code docs/PROTOCOL.md},
     * "Verifying a chain"): {@code history().report().trustworthy()} when nothing is wrong.
     */
    public ReceiptHistory history() {
        return sdk.receiptHistory(profile(current()));
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
        return answer(current(), otp, Decision.APPROVE, null).request();
    }

    /**
     * Approves like {@link #approve(String)} and says when the request was shown and the answer
     * accepted, for a load test's latencies. Takes no more calls or threads than {@code approve}.
     */
    public Answered approveTimed(String otp) {
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
        return answer(current(), otp, Decision.APPROVE, number).request();
    }

    /** Denies the request behind {@code otp}. */
    public MobileAuthRequest deny(String otp) {
        return answer(current(), otp, Decision.DENY, null).request();
    }

    /** Denies the request in a QR image or a screenshot showing it. */
    public MobileAuthRequest deny(byte[] qrImage) {
        return deny(QrImages.decode(qrImage));
    }

    /** Denies the request behind {@code otp} and reports it as fraud ("this wasn't me"). */
    public MobileAuthRequest reportFraud(String otp) {
        return answer(current(), otp, Decision.FRAUD, null).request();
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
        return answer(userId, next(userId), Decision.APPROVE, null).request();
    }

    /** Like {@link #approveNext(String)}, picking {@code number} on a number-matching request. */
    public MobileAuthRequest approveNext(String userId, int number) {
        return answer(userId, next(userId), Decision.APPROVE, number).request();
    }

    /** Like {@link #approveNext(String)}, but denies. */
    public MobileAuthRequest denyNext(String userId) {
        return answer(userId, next(userId), Decision.DENY, null).request();
    }

    private String next(String userId) {
        profile(userId);
        if (recorder == null) {
            throw new IllegalStateException("Only a phone of a TestTokenServer sees the requests the portal starts: "
                    + "answer this phone's requests by their OTP");
        }
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

    private Answered answer(String userId, String otp, Decision decision, Integer number) {
        Objects.requireNonNull(otp, "otp == null");
        // The SDK answers as its most recently logged-in user with a live session: log in when that
        // is someone else, or the session has ended; else answer with no more than the fetch and
        // the answer. The server ends a session early only with deregistration, which the SDK
        // reports as such.
        if (sdk.authenticatedUserProfile().filter(live -> live.userId().equals(userId)).isEmpty()) {
            sdk.authenticateUser(profile(userId), PIN);
        }
        currentUser = userId;
        Integer browserNumber = null;
        if (recorder != null && OtpCodec.decode(otp) instanceof OtpDecoding.Accepted accepted) {
            browserNumber = recorder.take(accepted.payload().transactionId())
                    .map(PortalApiRecorder.Initiation::bindingCode).orElse(null);
        }
        Answering answering = new Answering(decision, number, browserNumber);
        lastReverseCode = null;
        sdk.handleOtpMobileAuthRequest(otp, answering);
        try {
            Answered handled = answering.result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

        final CompletableFuture<Answered> result = new CompletableFuture<>();
        private final Decision decision;
        private final Integer number;
        private final Integer browserNumber;
        /** When the request was shown: set on the SDK thread that shows it, read on the one that ends it. */
        private volatile long shownNanos;
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
            shownNanos = System.nanoTime();
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
            long acceptedNanos = System.nanoTime();
            reverseCode = info.reverseCode();
            result.complete(new Answered(request, shownNanos, acceptedNanos));
        }

        @Override
        public void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                     SdkException error) {
            if (refusal != null) {
                result.completeExceptionally(refusal);
            } else if (decision != Decision.APPROVE && error.code() == SdkErrorCode.ACTION_CANCELLED) {
                result.complete(new Answered(request, shownNanos, System.nanoTime()));
            } else {
                result.completeExceptionally(error);
            }
        }
    }

    /** Builds a {@link VirtualPhone}; every argument is checked when it is given. */
    public static final class Builder {

        private final UserClient.Builder sdk;
        private AdminClient admin;
        private PortalApiRecorder recorder;
        private Duration answerTimeout = Duration.ofSeconds(15);

        private Builder(URI serverUri) {
            sdk = UserClient.builder().serverUri(serverUri).deviceName("virtual phone");
        }

        /** The server's admin API, for {@link VirtualPhone#enroll(String)} to get activation codes from. */
        public Builder admin(AdminClient admin) {
            this.admin = Objects.requireNonNull(admin, "admin == null");
            return this;
        }

        /**
         * An HTTP client for the phone's SDK to send with, shared by many phones so that they hold
         * one connection pool and one set of I/O threads; see the SDK's
         * {@code UserClient.Builder.httpClient}. By default each phone has its own.
         *
         * @throws IllegalArgumentException when {@code http} follows redirects
         */
        public Builder httpClient(HttpClient http) {
            sdk.httpClient(http);
            return this;
        }

        /** How long an answer may take before the call fails; 15 seconds by default. */
        public Builder answerTimeout(Duration answerTimeout) {
            Objects.requireNonNull(answerTimeout, "answerTimeout == null");
            if (answerTimeout.isNegative() || answerTimeout.isZero()) {
                throw new IllegalArgumentException("answerTimeout must be positive");
            }
            this.answerTimeout = answerTimeout;
            return this;
        }

        /** The recorder of {@link TestTokenServer#url()}, for number matching and {@code approveNext}. */
        Builder recorder(PortalApiRecorder recorder) {
            this.recorder = Objects.requireNonNull(recorder, "recorder == null");
            return this;
        }

        /** A new phone with nothing on it; {@link VirtualPhone#enroll} readies it for a user. */
        public VirtualPhone build() {
            return new VirtualPhone(sdk.store(new InMemoryStore()).build(), admin, recorder, answerTimeout);
        }
    }
}
