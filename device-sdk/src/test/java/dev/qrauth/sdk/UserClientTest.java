package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.DenyReason;
import dev.qrauth.sdk.storage.InMemoryStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class UserClientTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String PIN = "24680";

    FakeTokenServer server;
    InMemoryStore store;
    UserClient client;
    UserProfile alice;

    @BeforeEach
    void start() {
        server = new FakeTokenServer();
        store = new InMemoryStore();
        client = UserClient.builder().serverUri(server.uri()).store(store).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Registered, logged in and enrolled. */
    void ready() {
        alice = server.readyPhone(client, "alice", PIN);
    }

    RecordingDelegate handle(String otp, RecordingDelegate delegate) throws InterruptedException {
        client.handleOtpMobileAuthRequest(otp, delegate);
        return delegate.awaitTerminal(WAIT);
    }

    @Nested
    class HappyPaths {
        @Test
        void registrationLoginAndEnrollmentLeaveAReadyProfile() {
            ready();
            assertThat(client.userProfiles()).containsExactly(alice);
            assertThat(client.authenticatedUserProfile()).contains(alice);
            assertThat(client.isUserEnrolledForMobileAuth(alice)).isTrue();
            assertThat(client.isDeviceRegistered()).isTrue();
        }

        @Test
        void aConfirmedRequestIsHandledWithEverythingTheAppShows() throws Exception {
            ready();
            String otp = server.newOtp(null);
            RecordingDelegate delegate = handle(otp, RecordingDelegate.confirming());
            assertThat(delegate.methods()).containsExactly("challenge", "handled");
            MobileAuthRequest request = delegate.calls.get(0).request();
            assertThat(request.userProfile()).isEqualTo(alice);
            assertThat(request.portalName()).isEqualTo("Example Portal");
            assertThat(request.message()).isEqualTo("Log in to Example");
            assertThat(request.secureMessage()).isEqualTo("From the office");
            assertThat(request.type()).isEqualTo("login");
            assertThat(request.browser()).isEqualTo("Firefox 140");
            assertThat(request.operatingSystem()).isEqualTo("Linux");
            assertThat(request.ipAddress()).isEqualTo("192.0.2.10");
            assertThat(request.location()).isEqualTo("Amsterdam, Netherlands");
            assertThat(request.expiresAt()).isAfter(Instant.now());
            assertThat(request.requiresNumberMatching()).isFalse();
            assertThat(delegate.last().info().status().name()).isEqualTo("CONFIRMED");
            assertThat(server.answers).singleElement().extracting(a -> a.decision()).isEqualTo(AnswerDecision.CONFIRMED);
        }

        @Test
        void aDenialIsReportedAsCancelledNotAsSuccess() throws Exception {
            ready();
            RecordingDelegate delegate = handle(server.newOtp(null), RecordingDelegate.denying());
            assertThat(delegate.methods()).containsExactly("challenge", "failed");
            assertThat(delegate.errorCode()).isEqualTo(SdkErrorCode.ACTION_CANCELLED);
            assertThat(server.answers).singleElement().extracting(a -> a.decision()).isEqualTo(AnswerDecision.DENIED);
        }

        @Test
        void fraudIsSentAsADenialWithItsReason() throws Exception {
            ready();
            RecordingDelegate delegate = handle(server.newOtp(null),
                    new RecordingDelegate((request, confirmation) -> confirmation.denyAsFraud()));
            assertThat(delegate.errorCode()).isEqualTo(SdkErrorCode.ACTION_CANCELLED);
            assertThat(server.answers).singleElement().extracting(a -> a.denyReason()).isEqualTo(DenyReason.FRAUD);
        }

        @Test
        void numberMatchingOffersTheChoicesAndSendsThePick() throws Exception {
            ready();
            RecordingDelegate right = handle(server.newOtp(42),
                    new RecordingDelegate((request, confirmation) -> confirmation.confirm(42)));
            assertThat(right.calls.get(0).request().numberChoices()).hasSize(3).contains(42);
            assertThat(right.methods()).containsExactly("challenge", "handled");

            RecordingDelegate wrong = handle(server.newOtp(42),
                    new RecordingDelegate((request, confirmation) -> confirmation.confirm(43)));
            assertThat(wrong.methods()).containsExactly("challenge", "failed");
            assertThat(wrong.errorCode()).isEqualTo(SdkErrorCode.ACTION_CANCELLED);
        }

        @Test
        void aFourEyesRequestShowsWhoApprovedAndAnApprovalThatLeavesOthersIsHandled() throws Exception {
            ready();
            RecordingDelegate first = handle(server.newFourEyesOtp(
                    new dev.qrauth.protocol.message.Approvals(3, java.util.List.of("bob"))),
                    RecordingDelegate.confirming());
            MobileAuthRequest request = first.calls.get(0).request();
            assertThat(request.isFourEyes()).isTrue();
            assertThat(request.approvals().required()).isEqualTo(3);
            assertThat(request.approvals().approvedBy()).containsExactly("bob");
            assertThat(first.methods()).containsExactly("challenge", "handled");
            assertThat(first.last().info().awaitsOtherApprovers()).isTrue();

            RecordingDelegate last = handle(server.newFourEyesOtp(
                    new dev.qrauth.protocol.message.Approvals(2, java.util.List.of("bob"))),
                    RecordingDelegate.confirming());
            assertThat(last.methods()).containsExactly("challenge", "handled");
            assertThat(last.last().info().status().name()).isEqualTo("CONFIRMED");
            assertThat(last.last().info().awaitsOtherApprovers()).isFalse();

            RecordingDelegate single = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(single.calls.get(0).request().isFourEyes()).isFalse();
            assertThat(single.calls.get(0).request().approvals()).isNull();
        }

        @Test
        void theRequestSaysHowCloseThePhoneIsToTheBrowser() throws Exception {
            ready();
            RecordingDelegate far = handle(server.newOtp(null, dev.qrauth.protocol.message.Proximity.OTHER_COUNTRY, null),
                    RecordingDelegate.confirming());
            MobileAuthRequest request = far.calls.get(0).request();
            assertThat(request.proximity()).isEqualTo(dev.qrauth.protocol.message.Proximity.OTHER_COUNTRY);
            assertThat(request.proximity().description()).isEqualTo("This browser is in another country");
            assertThat(request.isFarFromBrowser()).isTrue();

            RecordingDelegate unchecked = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(unchecked.calls.get(0).request().proximity()).isNull();
            assertThat(unchecked.calls.get(0).request().isFarFromBrowser()).isFalse();
        }

        @Test
        void anApprovalOfAReverseCodeTypeHandsTheAppTheCodeForTheBrowser() throws Exception {
            ready();
            RecordingDelegate delegate = handle(server.newOtp(null, null, "042917"), RecordingDelegate.confirming());
            assertThat(delegate.methods()).containsExactly("challenge", "handled");
            MobileAuthInfo info = delegate.last().info();
            assertThat(info.requiresReverseCode()).isTrue();
            assertThat(info.reverseCode()).isEqualTo("042917");
            assertThat(info.reverseCodeForDisplay()).isEqualTo("042 917");
            assertThat(info.status().name()).isEqualTo("SCANNED");
        }

        @Test
        void logoutEndsTheSessionAndDeregisterRemovesTheProfile() {
            ready();
            client.logout();
            assertThat(client.authenticatedUserProfile()).isEmpty();
            client.deregisterUser(alice);
            assertThat(client.userProfiles()).isEmpty();
            client.deregisterDevice();
            assertThat(client.isDeviceRegistered()).isFalse();
        }
    }

    @Nested
    class ErrorsFromTheServer {
        @Test
        void deviceDeregisteredWipesEverything() {
            ready();
            server.scriptError("POST", "/session", 401, "DEVICE_DEREGISTERED");
            assertThatThrownBy(() -> client.authenticateUser(alice, PIN))
                    .isInstanceOfSatisfying(SdkException.class,
                            e -> assertThat(e.code()).isEqualTo(SdkErrorCode.DEVICE_DEREGISTERED));
            assertThat(store.names()).isEmpty();
            assertThat(client.isDeviceRegistered()).isFalse();
        }

        @Test
        void userDeregisteredRemovesOnlyThatProfile() {
            ready();
            UserProfile bob = client.registerUser("bob", "K7QZ2-M4XPA-9RTWC-HD3NB", PIN);
            server.scriptError("POST", "/session", 403, "USER_DEREGISTERED");
            assertThatThrownBy(() -> client.authenticateUser(alice, "13579"))
                    .isInstanceOfSatisfying(SdkException.class,
                            e -> assertThat(e.code()).isEqualTo(SdkErrorCode.USER_DEREGISTERED));
            assertThat(client.userProfiles()).containsExactly(bob);
            assertThat(client.isDeviceRegistered()).isTrue();
        }

        @Test
        void aWrongPinSaysHowManyAttemptsAreLeft() {
            ready();
            server.script("POST", "/session", 401,
                    "{\"error\":\"INVALID_PIN\",\"error_message\":\"Wrong PIN\",\"remaining_attempts\":2}");
            assertThatThrownBy(() -> client.authenticateUser(alice, "13579"))
                    .isInstanceOfSatisfying(SdkException.class, e -> {
                        assertThat(e.code()).isEqualTo(SdkErrorCode.INVALID_PIN);
                        assertThat(e.remainingAttempts()).isEqualTo(2);
                    });
            assertThat(client.userProfiles()).containsExactly(alice);
        }

        @Test
        void userDisenrolledRemovesTheEnrollmentKeys() throws Exception {
            ready();
            server.scriptError("POST", "/mobile-auth/otp", 403, "USER_DISENROLLED");
            RecordingDelegate delegate = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(delegate.methods()).containsExactly("failed");
            assertThat(delegate.errorCode()).isEqualTo(SdkErrorCode.USER_DISENROLLED);
            assertThat(client.isUserEnrolledForMobileAuth(alice)).isFalse();
            assertThat(client.userProfiles()).containsExactly(alice);
        }

        @Test
        void cleanUpAlsoHappensWhenTheErrorComesDuringAMobileAuthRequest() throws Exception {
            ready();
            server.scriptError("POST", "/answer", 403, "USER_DISENROLLED");
            RecordingDelegate disenrolled = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(disenrolled.methods()).containsExactly("challenge", "failed");
            assertThat(disenrolled.errorCode()).isEqualTo(SdkErrorCode.USER_DISENROLLED);
            assertThat(client.isUserEnrolledForMobileAuth(alice)).isFalse();

            client.enrollForMobileAuth();
            server.scriptError("POST", "/mobile-auth/otp", 401, "DEVICE_DEREGISTERED");
            RecordingDelegate gone = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(gone.errorCode()).isEqualTo(SdkErrorCode.DEVICE_DEREGISTERED);
            assertThat(store.names()).isEmpty();
        }

        @Test
        void userNotAuthenticatedForgetsTheSession() throws Exception {
            ready();
            server.scriptError("POST", "/mobile-auth/otp", 401, "USER_NOT_AUTHENTICATED");
            RecordingDelegate delegate = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(delegate.errorCode()).isEqualTo(SdkErrorCode.USER_NOT_AUTHENTICATED);
            assertThat(client.authenticatedUserProfile()).isEmpty();
        }

        @Test
        void fetchErrorsComeBeforeAnyRequestExists() throws Exception {
            ready();
            for (Object[] error : new Object[][] {{404, "NOT_FOUND"}, {409, "ALREADY_HANDLED"}, {403, "NOT_ENROLLED"}}) {
                server.scriptError("POST", "/mobile-auth/otp", (Integer) error[0], (String) error[1]);
                RecordingDelegate delegate = handle(server.newOtp(null), RecordingDelegate.confirming());
                assertThat(delegate.methods()).containsExactly("failed");
                assertThat(delegate.errorCode()).hasToString((String) error[1]);
                assertThat(delegate.last().request()).isNull();
            }
        }

        @Test
        void answerErrorsComeWithTheRequest() throws Exception {
            ready();
            for (Object[] error : new Object[][] {{404, "NOT_FOUND"}, {409, "ALREADY_HANDLED"}}) {
                server.scriptError("POST", "/answer", (Integer) error[0], (String) error[1]);
                RecordingDelegate delegate = handle(server.newOtp(null), RecordingDelegate.confirming());
                assertThat(delegate.methods()).containsExactly("challenge", "failed");
                assertThat(delegate.errorCode()).hasToString((String) error[1]);
                assertThat(delegate.last().request()).isNotNull();
            }
        }

        @Test
        void registrationErrorsAreReturnedAsTheyAre() {
            server.scriptError("POST", "/device/api/v1/users", 400, "INVALID_ACTIVATION_CODE");
            assertThatThrownBy(() -> client.registerUser("alice", "WRONG", PIN))
                    .isInstanceOfSatisfying(SdkException.class,
                            e -> assertThat(e.code()).isEqualTo(SdkErrorCode.INVALID_ACTIVATION_CODE));
            server.scriptError("POST", "/device/api/v1/users", 400, "PIN_NOT_ALLOWED");
            assertThatThrownBy(() -> client.registerUser("alice", "K7QZ2", "12345"))
                    .isInstanceOfSatisfying(SdkException.class,
                            e -> assertThat(e.code()).isEqualTo(SdkErrorCode.PIN_NOT_ALLOWED));
            assertThat(client.userProfiles()).isEmpty();
        }
    }

    @Nested
    class BrokenServers {
        @Test
        void noServerListeningIsANetworkFailure() {
            int port = server.uri().getPort();
            server.close();
            UserClient offline = UserClient.builder().serverUri(URI.create("http://127.0.0.1:" + port))
                    .store(new InMemoryStore()).build();
            assertThatThrownBy(offline::registerDevice).isInstanceOfSatisfying(SdkException.class,
                    e -> assertThat(e.code()).isEqualTo(SdkErrorCode.NETWORK_CONNECTIVITY_FAILURE));
        }

        @Test
        void fiveHundredsGarbageUnknownCodesAndRedirectsAreServerNotReachable() {
            ready();
            String[][] answers = {
                    {"500", "{\"error\":\"NOT_FOUND\",\"error_message\":\"x\"}"},
                    {"200", "<html>hello</html>"},
                    {"200", "{\"access_token\":42}"},
                    {"401", "not json"},
                    {"400", "{\"error\":\"INVALID_REQUEST\",\"error_message\":\"x\"}"},
                    {"429", "{\"error\":\"RATE_LIMITED\",\"error_message\":\"x\"}"},
                    {"413", "{\"error\":\"REQUEST_TOO_LARGE\",\"error_message\":\"x\"}"},
                    {"422", "{\"error\":\"INVALID_ANSWER\",\"error_message\":\"x\"}"},
                    {"200", "{\"access_token\":\"" + "x".repeat(300 * 1024) + "\"}"},
                    {"401", "{\"error\":\"QUANTUM_FLUX\",\"error_message\":\"x\"}"},
                    {"401", "{\"error\":\"NOT_HANDLEABLE\",\"error_message\":\"x\"}"},
                    {"302", ""}};
            for (String[] answer : answers) {
                server.script("POST", "/session", Integer.parseInt(answer[0]), answer[1]);
                assertThatThrownBy(() -> client.authenticateUser(alice, PIN))
                        .as(answer[0] + " " + answer[1])
                        .isInstanceOfSatisfying(SdkException.class,
                                e -> assertThat(e.code()).isEqualTo(SdkErrorCode.SERVER_NOT_REACHABLE));
            }
            assertThat(client.userProfiles()).containsExactly(alice);
        }

        @Test
        void aServerThatDoesNotAnswerInTimeIsServerNotReachable() {
            UserClient impatient = UserClient.builder().serverUri(server.uri()).store(new InMemoryStore())
                    .requestTimeout(Duration.ofMillis(300)).build();
            server.scriptDelay("POST", "/device/api/v1/devices", Duration.ofSeconds(5));
            assertThatThrownBy(impatient::registerDevice).isInstanceOfSatisfying(SdkException.class,
                    e -> assertThat(e.code()).isEqualTo(SdkErrorCode.SERVER_NOT_REACHABLE));
        }

        @Test
        void aMessageNotSignedByTheEnrolledServerIsRefused() throws Exception {
            ready();
            server.signingKeyOverride = FakeTokenServer.PGP.generateKey("impostor");
            RecordingDelegate delegate = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(delegate.methods()).containsExactly("failed");
            assertThat(delegate.errorCode()).isEqualTo(SdkErrorCode.SERVER_NOT_REACHABLE);
            assertThat(server.answers).isEmpty();
        }

        @Test
        void aMessageForAnotherTransactionIsRefused() throws Exception {
            ready();
            server.transactionIdOverride = UUID.randomUUID();
            RecordingDelegate delegate = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(delegate.methods()).containsExactly("failed");
            assertThat(delegate.errorCode()).isEqualTo(SdkErrorCode.SERVER_NOT_REACHABLE);
        }

        @Test
        void anExpiredMessageIsNotFound() throws Exception {
            ready();
            server.expiryOverride = Instant.now().minusSeconds(1);
            RecordingDelegate delegate = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(delegate.methods()).containsExactly("failed");
            assertThat(delegate.errorCode()).isEqualTo(SdkErrorCode.NOT_FOUND);
        }
    }

    @Nested
    class LocalChecks {
        @Test
        void garbageIsNotHandleableAndNeverThrows() throws Exception {
            for (String text : new String[] {null, "", "https://example.com/login", "\u0000"}) {
                assertThat(client.canHandleOtpMobileAuthRequest(text)).isFalse();
                RecordingDelegate delegate = handle(text, RecordingDelegate.confirming());
                assertThat(delegate.methods()).containsExactly("failed");
                assertThat(delegate.errorCode()).isEqualTo(SdkErrorCode.NOT_HANDLEABLE);
            }
            assertThat(server.requests).isEmpty();
        }

        @Test
        void withNobodyLoggedInTheFailureCallbackGetsUserNotAuthenticated() throws Exception {
            ready();
            client.logout();
            RecordingDelegate delegate = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(delegate.methods()).containsExactly("failed");
            assertThat(delegate.errorCode()).isEqualTo(SdkErrorCode.USER_NOT_AUTHENTICATED);
            assertThat(delegate.last().error().code().code()).isEqualTo(9010);
            assertThat(delegate.last().request()).as("nothing was fetched, so there is no request").isNull();
            assertThat(server.requests).noneMatch(r -> r.contains("/mobile-auth/otp"));
        }

        @Test
        void withoutALoginOrEnrollmentNothingIsSent() throws Exception {
            alice = client.registerUser("alice", "K7QZ2-M4XPA-9RTWC-HD3NB", PIN);
            RecordingDelegate notLoggedIn = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(notLoggedIn.errorCode()).isEqualTo(SdkErrorCode.USER_NOT_AUTHENTICATED);
            client.authenticateUser(alice, PIN);
            RecordingDelegate notEnrolled = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(notEnrolled.errorCode()).isEqualTo(SdkErrorCode.NOT_ENROLLED);
            assertThat(server.requests).noneMatch(r -> r.contains("/mobile-auth/otp"));
            assertThatThrownBy(() -> client.authenticateUser(new UserProfile("nobody"), PIN))
                    .isInstanceOfSatisfying(SdkException.class,
                            e -> assertThat(e.code()).isEqualTo(SdkErrorCode.USER_DEREGISTERED));
        }

        @Test
        void enrollingNeedsALogin() {
            client.registerUser("alice", "K7QZ2-M4XPA-9RTWC-HD3NB", PIN);
            assertThatThrownBy(client::enrollForMobileAuth).isInstanceOfSatisfying(SdkException.class,
                    e -> assertThat(e.code()).isEqualTo(SdkErrorCode.USER_NOT_AUTHENTICATED));
        }

        @Test
        void builderRefusesMissingOrBadArguments() {
            assertThatThrownBy(() -> UserClient.builder().store(store).build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("serverUri");
            assertThatThrownBy(() -> UserClient.builder().serverUri(server.uri()).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("store");
            assertThatThrownBy(() -> UserClient.builder().serverUri(URI.create("ftp://host/")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> UserClient.builder().requestTimeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> UserClient.builder().serverUri(URI.create("http://auth.example.com")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
            UserClient.builder().serverUri(URI.create("https://auth.example.com"));
            UserClient.builder().serverUri(URI.create("http://localhost:8081"));
        }
    }

    @Nested
    class DelegateContract {
        @Test
        void everyPathEndsInExactlyOneTerminalCallOffTheCallersThread() throws Exception {
            ready();
            Thread caller = Thread.currentThread();
            List<RecordingDelegate> runs = List.of(
                    handle(server.newOtp(null), RecordingDelegate.confirming()),
                    handle(server.newOtp(null), RecordingDelegate.denying()),
                    handle("garbage", RecordingDelegate.confirming()),
                    handle(server.newOtp(null), new RecordingDelegate((r, c) -> {
                        throw new IllegalStateException("the app's screen crashed");
                    })));
            for (RecordingDelegate run : runs) {
                assertThat(run.methods().stream().filter(m -> !m.equals("challenge")).count()).isEqualTo(1);
                assertThat(run.calls).allMatch(call -> call.thread() != caller);
            }
            assertThat(runs.get(3).errorCode()).isEqualTo(SdkErrorCode.ACTION_CANCELLED);
        }

        @Test
        void aSecondRequestWhileOneIsOpenIsAlreadyInProgress() throws Exception {
            ready();
            RecordingDelegate first = RecordingDelegate.holding();
            client.handleOtpMobileAuthRequest(server.newOtp(null), first);
            Instant deadline = Instant.now().plus(WAIT);
            while (first.confirmation == null && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait();
            }
            assertThat(first.confirmation).as("the first request reached its challenge").isNotNull();

            RecordingDelegate second = handle(server.newOtp(null), RecordingDelegate.confirming());
            assertThat(second.methods()).containsExactly("failed");
            assertThat(second.errorCode()).isEqualTo(SdkErrorCode.ACTION_ALREADY_IN_PROGRESS);

            first.confirmation.confirm();
            first.confirmation.deny();
            first.awaitTerminal(WAIT);
            assertThat(first.methods()).containsExactly("challenge", "handled");
            assertThat(handle(server.newOtp(null), RecordingDelegate.confirming()).methods())
                    .containsExactly("challenge", "handled");
        }

        @Test
        void aMissingOrWrongNumberIsRefusedToTheAppWhichCanAskAgain() throws Exception {
            ready();
            List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
            RecordingDelegate delegate = handle(server.newOtp(42), new RecordingDelegate((request, confirmation) -> {
                try {
                    confirmation.confirm();
                } catch (IllegalStateException e) {
                    refusals.add("no number");
                }
                try {
                    confirmation.confirm(5);
                } catch (IllegalArgumentException e) {
                    refusals.add("not a choice");
                }
                confirmation.confirm(42);
            }));
            assertThat(refusals).containsExactly("no number", "not a choice");
            assertThat(delegate.methods()).containsExactly("challenge", "handled");
            assertThat(server.answers).singleElement().extracting(a -> a.chosenNumber()).isEqualTo(42);
        }

        @Test
        void anErrorFromTheAppStillEndsTheRequestOnceAndFreesTheClient() throws Exception {
            ready();
            RecordingDelegate broken = handle(server.newOtp(null), new RecordingDelegate((request, confirmation) -> {
                throw new AssertionError("the app's screen code failed");
            }));
            assertThat(broken.methods().stream().filter(m -> !m.equals("challenge")).count()).isEqualTo(1);
            assertThat(handle(server.newOtp(null), RecordingDelegate.confirming()).methods())
                    .containsExactly("challenge", "handled");
        }

        @Test
        void aDelegateImplementingOnlyTheChallengeIsEnough() throws Exception {
            ready();
            List<MobileAuthRequest> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
            // The result methods have defaults: the challenge alone makes a delegate, even a lambda.
            MobileAuthRequestDelegate confirmOnly = (request, confirmation) -> {
                shown.add(request);
                confirmation.confirm();
            };
            MobileAuthRequestDelegate denyOnly = (request, confirmation) -> confirmation.deny();

            client.handleOtpMobileAuthRequest(server.newOtp(null), confirmOnly);
            assertThat(nextRequestGoesThrough().methods()).containsExactly("challenge", "handled");
            client.handleOtpMobileAuthRequest(server.newOtp(null), denyOnly);
            assertThat(nextRequestGoesThrough().methods()).containsExactly("challenge", "handled");
            // Each request's answer reached the server before the next one could start.
            assertThat(server.answers).extracting(a -> a.decision()).containsExactly(
                    AnswerDecision.CONFIRMED, AnswerDecision.CONFIRMED, AnswerDecision.DENIED, AnswerDecision.CONFIRMED);

            // A failure goes to the default failure method, which ignores it.
            client.handleOtpMobileAuthRequest("garbage", confirmOnly);
            assertThat(nextRequestGoesThrough().methods()).containsExactly("challenge", "handled");
            assertThat(shown).hasSize(1);
        }

        /**
         * Handles fresh requests until one is not refused as {@code ACTION_ALREADY_IN_PROGRESS}:
         * the request before it has ended, as its delegate's default terminal method leaves no other
         * trace. Returns that request's delegate.
         */
        private RecordingDelegate nextRequestGoesThrough() throws InterruptedException {
            Instant deadline = Instant.now().plus(WAIT);
            RecordingDelegate probe;
            do {
                probe = handle(server.newOtp(null), RecordingDelegate.confirming());
            } while (probe.errorCode() == SdkErrorCode.ACTION_ALREADY_IN_PROGRESS && Instant.now().isBefore(deadline));
            return probe;
        }

        @Test
        void theNextRequestCanStartFromInsideTheTerminalCall() throws Exception {
            ready();
            String next = server.newOtp(null);
            RecordingDelegate inner = RecordingDelegate.confirming();
            RecordingDelegate outer = new RecordingDelegate((r, c) -> c.confirm()) {
                @Override
                public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                       MobileAuthInfo info) {
                    client.handleOtpMobileAuthRequest(next, inner);
                    super.didHandleMobileAuthRequest(request, authenticator, info);
                }
            };
            handle(server.newOtp(null), outer);
            assertThat(inner.awaitTerminal(WAIT).methods()).containsExactly("challenge", "handled");
        }
    }
}
