package dev.qrauth.portal.challenge;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.portal.tokenserver.CallbackUriCheck;
import dev.qrauth.portal.tokenserver.CallbackUriRefusedException;
import dev.qrauth.portalclient.AuthenticationRequest;
import dev.qrauth.portalclient.PortalClient;
import dev.qrauth.portalclient.TokenServerException;
import dev.qrauth.portalclient.TokenServerRefusedException;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.portal.TransactionFrame;
import dev.qrauth.protocol.portal.TransactionResult;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Starts challenges at the token server and keeps them current. A challenge learns its result in
 * two ways: a callback names its transaction and the portal reads the result, or its code runs
 * out and the portal reads the result itself, so a lost callback delays nothing by more than a
 * second past the expiry.
 */
@ApplicationScoped
@Startup // checks portal.new-codes-per-minute when the portal starts, not at the first login
public class Challenges {

    /** The path the token server calls back on; see {@code CallbackResource}. */
    public static final String CALLBACK_PATH = "/callbacks/mobile-auth";

    static final String LOGIN_MESSAGE = "Log in to your account from the browser shown below.";

    private static final Logger LOG = Logger.getLogger(Challenges.class);

    private final PortalClient tokenServer;
    private final PortalConfig config;
    private final URI callbackUri;
    private final Executor executor;
    private final NewCodeLimiter limiter;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Map<UUID, Challenge> byTransaction = new ConcurrentHashMap<>();
    /** Transactions whose next frame is being asked for now. */
    private final Set<UUID> framing = ConcurrentHashMap.newKeySet();
    /** Transactions being read now, each with whether another read was asked for meanwhile. */
    private final Map<UUID, Boolean> reading = new ConcurrentHashMap<>();
    private final CallbackUriCheck callbackUriCheck;
    private final DuressEvents duressEvents;

    Challenges(PortalClient tokenServer, PortalConfig config, ManagedExecutor executor, Clock clock,
               CallbackUriCheck callbackUriCheck, DuressEvents duressEvents) {
        this.tokenServer = tokenServer;
        this.duressEvents = duressEvents;
        this.callbackUriCheck = callbackUriCheck;
        this.config = config;
        this.executor = executor;
        this.limiter = new NewCodeLimiter(config.newCodesPerMinute());
        String base = config.publicUrl().toString();
        this.callbackUri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CALLBACK_PATH);
        this.clock = clock;
    }

    /**
     * Names the callback URI at start: a token server whose allow-list for this client lacks it
     * refuses every login, and this line is where an administrator finds what to add. Then asks,
     * in the background, whether the token server accepts it ({@link CallbackUriCheck}).
     */
    void announceCallbackUri(@Observes StartupEvent event) {
        LOG.infof("the portal sends the callback URI %s (portal.public-url + %s); when the API client has an "
                + "allow-list (callback_uris), it must be an entry of it exactly as written", callbackUri, CALLBACK_PATH);
        callbackUriCheck.start(callbackUri);
    }

    /**
     * Starts a login for a browser.
     *
     * @throws TooManyCodesException when the browser's address asked for too many codes lately
     */
    public Challenge startLogin(BrowserContext browser) {
        return start(Purpose.LOGIN, LOGIN_MESSAGE, null, browser);
    }

    /** Starts the approval of {@code action}, which counts only if {@code userId}'s phone confirms it. */
    public Challenge startApproval(String action, String userId, BrowserContext browser) {
        return start(Purpose.APPROVAL, action, userId, browser);
    }

    /**
     * Starts the approval of {@code action} by the phones of the configured group
     * ({@link PortalConfig#fourEyesApprovers()}), which the token server counts.
     */
    public Challenge startFourEyes(String action, BrowserContext browser) {
        return start(Purpose.FOUR_EYES, action, null, browser);
    }

    /** Whether a transaction belongs to a challenge some browser is waiting for. */
    public boolean isWaitingFor(UUID transactionId) {
        return byTransaction.containsKey(transactionId);
    }

    /**
     * Reads the transaction's result from the token server and applies it to the challenge
     * waiting for it. Safe to call any number of times, in any order, from any thread.
     */
    public void refresh(UUID transactionId) {
        Challenge challenge = byTransaction.get(transactionId);
        if (challenge == null) {
            return;
        }
        Challenge.Next next;
        try {
            TransactionResult result = tokenServer.result(transactionId);
            next = challenge.apply(transactionId, result, clock.instant());
            noteDuress(next, challenge, transactionId, result);
        } catch (TokenServerException e) {
            // Read again at the next callback or overdue check, until the code lapses; a
            // transaction the server does not know (404) will never be readable.
            LOG.warnf("cannot read transaction %s: %s", transactionId, e.getMessage());
            next = challenge.lapse(transactionId, clock.instant(), e.status() == 404);
        }
        if (next == Challenge.Next.RENEW) {
            renew(challenge, transactionId);
        }
        if (!challenge.state().isOpen()) {
            byTransaction.remove(transactionId, challenge);
        }
    }

    /**
     * Like {@link #refresh} but on another thread, so a callback can be answered at once. Reads
     * of one transaction do not overlap: one asked for during a read runs right after it, so a
     * result that changed meanwhile is not missed.
     */
    public void refreshLater(UUID transactionId) {
        // Absent: nobody reads. FALSE: a read runs. TRUE: a read runs and another was asked for.
        boolean start = reading.compute(transactionId, (id, asked) -> asked == null ? Boolean.FALSE : Boolean.TRUE)
                == Boolean.FALSE;
        if (start) {
            executor.execute(() -> readUntilQuiet(transactionId));
        }
    }

    private void readUntilQuiet(UUID transactionId) {
        do {
            try {
                refresh(transactionId);
            } catch (RuntimeException e) {
                LOG.errorf(e, "reading transaction %s failed", transactionId);
            }
        } while (reading.computeIfPresent(transactionId, (id, asked) -> asked ? Boolean.FALSE : null) != null);
    }

    /**
     * The code the person typed into the browser, for a challenge whose phone approved a type
     * with reverse code entry. The token server decides; its result is applied at once. A code
     * that is not six digits is refused by the token server without counting, and changes nothing.
     */
    public void submitReverseCode(Challenge challenge, String code) {
        UUID transactionId = challenge.transactionId();
        if (challenge.state() != ChallengeState.CODE_NEEDED) {
            return;
        }
        try {
            TransactionResult result = tokenServer.submitReverseCode(transactionId, code == null ? "" : code);
            noteDuress(challenge.apply(transactionId, result, clock.instant()), challenge, transactionId, result);
        } catch (TokenServerException e) {
            if (e.status() != 400) {
                // No longer waiting for a code (answered, expired, cancelled): read where it is now.
                refresh(transactionId);
            }
            return;
        }
        if (!challenge.state().isOpen()) {
            byTransaction.remove(transactionId, challenge);
        }
    }

    /** The browser is gone or moved on: end the challenge, and cancel its code if still open. */
    public void abandon(Challenge challenge) {
        UUID transactionId = challenge.transactionId();
        byTransaction.remove(transactionId, challenge);
        if (challenge.abandon(clock.instant())) {
            cancelLater(transactionId);
        }
    }

    /** Reads the result of every challenge whose code has run out. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshOverdue() {
        byTransaction.forEach((transactionId, challenge) -> {
            if (challenge.isOverdue(clock.instant())) {
                refreshLater(transactionId);
            }
        });
    }

    /**
     * Asks the token server for the next frame of every rotating code whose page is watched and
     * whose frame is a period old ({@link Challenge#isFrameDue}); the new QR code reaches the page
     * over its stream. At most one ask per transaction at a time, off the scheduler's thread.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rotateFrames() {
        byTransaction.forEach((transactionId, challenge) -> {
            if (challenge.isFrameDue(clock.instant()) && framing.add(transactionId)) {
                try {
                    executor.execute(() -> {
                        try {
                            nextFrame(transactionId, challenge);
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "asking for the next frame of transaction %s failed", transactionId);
                        } finally {
                            framing.remove(transactionId);
                        }
                    });
                } catch (RuntimeException e) {
                    framing.remove(transactionId);
                    throw e;
                }
            }
        });
    }

    private void nextFrame(UUID transactionId, Challenge challenge) {
        TransactionFrame frame;
        try {
            frame = tokenServer.frame(transactionId);
        } catch (TokenServerRefusedException e) {
            if (e.knownCode().filter(PortalErrorCode.NOT_FOUND::equals).isPresent()) {
                // The type does not rotate (any more): the code shown stays as it is.
                challenge.stopRotating(transactionId);
            } else {
                LOG.warnf("cannot read the frame of transaction %s: %s", transactionId, e.getMessage());
                refreshLater(transactionId);
            }
            return;
        } catch (TokenServerException e) {
            // Asked again at the next tick; the code shown stays valid until then.
            LOG.warnf("cannot read the frame of transaction %s: %s", transactionId, e.getMessage());
            return;
        }
        if (!frame.isPending()) {
            // Scanned, answered or ended meanwhile: the result says what the page shows next.
            refreshLater(transactionId);
            return;
        }
        challenge.newFrame(transactionId, frame.frame(), frame.otp(), QrCodes.png(frame.otp()), clock.instant());
    }

    /**
     * Records a result answered under the duress PIN that decided its challenge, for the operator
     * ({@link DuressEvents}), and logs it. Nothing of it reaches the browser: a coercer may be
     * watching it, so the challenge goes on exactly as for any other answer.
     */
    private void noteDuress(Challenge.Next next, Challenge challenge, UUID transactionId, TransactionResult result) {
        if (next != Challenge.Next.DECIDED || !result.isDuress()) {
            return;
        }
        Purpose purpose = challenge.purpose();
        String userId = result.userId() != null ? result.userId() : challenge.requiredUserId();
        DuressEvent.Outcome outcome = DuressEvent.Outcome.of(purpose, challenge.state());
        // Logged first, so an operator who sees the event on the page finds its line in the log.
        LOG.warnf("a%s was answered under duress: user %s, transaction %s, %s",
                purpose == Purpose.LOGIN ? " login" : "n approval", userId, transactionId, outcome.label());
        duressEvents.record(new DuressEvent(clock.instant(), purpose, userId,
                purpose != Purpose.LOGIN ? challenge.message() : null,
                challenge.browser() == null ? null : challenge.browser().ipAddress(),
                transactionId, outcome));
    }

    private Challenge start(Purpose purpose, String message, String requiredUserId, BrowserContext browser) {
        limiter.take(browser.ipAddress(), clock.instant());
        Challenge.Issued first = issue(purpose, message, browser, requiredUserId);
        byte[] binding = new byte[32];
        random.nextBytes(binding);
        Challenge challenge = new Challenge(purpose, message, requiredUserId, browser, first,
                Base64.getUrlEncoder().withoutPadding().encodeToString(binding), clock.instant());
        byTransaction.put(first.transactionId(), challenge);
        return challenge;
    }

    private void renew(Challenge challenge, UUID expiredTransactionId) {
        byTransaction.remove(expiredTransactionId, challenge);
        Challenge.Issued next;
        try {
            next = issue(challenge.purpose(), challenge.message(), challenge.browser(), challenge.requiredUserId());
        } catch (RuntimeException e) {
            LOG.warnf("cannot renew an expired code: %s", e.getMessage());
            challenge.renewalFailed(clock.instant());
            return;
        }
        byTransaction.put(next.transactionId(), challenge);
        if (!challenge.renewed(next, clock.instant())) {
            // Abandoned while the new code was being issued.
            byTransaction.remove(next.transactionId(), challenge);
            cancelLater(next.transactionId());
        }
    }

    private void cancelLater(UUID transactionId) {
        executor.execute(() -> {
            try {
                tokenServer.cancel(transactionId);
            } catch (TokenServerException e) {
                // It expires on its own; cancelling only frees it sooner.
                LOG.debugf("could not cancel transaction %s: %s", transactionId, e.getMessage());
            }
        });
    }

    /**
     * Initiates one transaction. An approval names its user, so the token server lets no other
     * user's phone fetch it; the portal still checks who confirmed ({@link Challenge#apply}).
     */
    private Challenge.Issued issue(Purpose purpose, String message, BrowserContext browser, String requiredUserId) {
        String type = switch (purpose) {
            case LOGIN -> config.loginType();
            case APPROVAL -> config.approvalType();
            case FOUR_EYES -> config.fourEyesType();
        };
        AuthenticationRequest request = AuthenticationRequest.builder(type, callbackUri)
                .message(message)
                .browser(browser.ipAddress(), browser.userAgent())
                .expectedUserId(requiredUserId)
                .approvers(purpose == Purpose.FOUR_EYES ? config.fourEyesApprovers().orElseThrow() : null)
                .build();
        AuthenticationStarted started;
        try {
            started = tokenServer.authenticate(request);
        } catch (TokenServerRefusedException e) {
            if (e.refusedParameter().filter("callback_uri"::equals).isPresent()) {
                // Not this request's fault but the setup's: every login fails until an administrator acts.
                throw new CallbackUriRefusedException(callbackUri, e);
            }
            throw e;
        }
        // Counted from the time to live on this portal's own clock, so a clock that differs from the
        // token server's cannot make the page renew a code the phone may still answer.
        return new Challenge.Issued(started.transactionId(), started.otp(),
                clock.instant().plusMillis(started.timeToLive()), started.bindingCode(), QrCodes.png(started.otp()),
                started.shortCode(), started.rotationSeconds(), 0);
    }
}
