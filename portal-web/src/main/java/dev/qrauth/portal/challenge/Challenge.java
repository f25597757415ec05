package dev.qrauth.portal.challenge;

import dev.qrauth.protocol.portal.TransactionResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One browser's request for a phone's answer: a login or the approval of an action. It lives as
 * long as the browser waits, across the token-server transactions it renews when a code expires.
 *
 * <p>The state only moves forward ({@link ChallengeState#isOpen() open} to final), whatever order
 * results are read in, so a late read of an earlier state never undoes a later one. Watchers are
 * told of every change on the thread that made it and must not block.
 */
public final class Challenge {

    /** How often an expired code is replaced before the page asks the person to press a button. */
    static final int MAX_RENEWALS = 5;
    /** An expired code is renewed only for a page seen this recently (or still listening). */
    static final Duration RENEW_IF_SEEN_WITHIN = Duration.ofSeconds(30);
    /** After its expiry plus this, a code whose result cannot be read counts as expired. */
    static final Duration LAPSE_AFTER = Duration.ofSeconds(10);
    /** A polling page asks every 2 seconds (portal.js); this much later it no longer counts as watching. */
    static final int POLL_SLACK_SECONDS = 3;
    /** Live streams one challenge serves at most: a few tabs, not a flood. */
    static final int MAX_WATCHERS = 5;

    /**
     * What {@link #apply} leaves for the caller to do: nothing, renew the code, or take note that
     * this result decided the challenge (it moved from open to confirmed, denied or wrong user).
     * A challenge is decided once, whatever number of reads race, so a note taken on
     * {@code DECIDED} is taken once per transaction.
     */
    enum Next { NOTHING, RENEW, DECIDED }

    /**
     * One token-server transaction of this challenge; {@code shortCode} is null from a token
     * server that does not send one. For a rotating code ({@code rotationSeconds} not null) it
     * holds the current frame: its number ({@code frame}, 0 for the initiation's code), OTP and image.
     */
    record Issued(UUID transactionId, String otp, Instant expiresAt, Integer bindingCode, byte[] qrPng,
                  String shortCode, Integer rotationSeconds, int frame) {

        Issued(UUID transactionId, String otp, Instant expiresAt, Integer bindingCode, byte[] qrPng,
               String shortCode) {
            this(transactionId, otp, expiresAt, bindingCode, qrPng, shortCode, null, 0);
        }

        Issued(UUID transactionId, String otp, Instant expiresAt, Integer bindingCode, byte[] qrPng) {
            this(transactionId, otp, expiresAt, bindingCode, qrPng, null);
        }

        Issued withFrame(int number, String frameOtp, byte[] png) {
            return new Issued(transactionId, frameOtp, expiresAt, bindingCode, png, shortCode, rotationSeconds, number);
        }

        Issued withoutRotation() {
            return new Issued(transactionId, otp, expiresAt, bindingCode, qrPng, shortCode, null, frame);
        }
    }

    private final Purpose purpose;
    private final String message;
    private final String requiredUserId;
    private final BrowserContext browser;
    private final String binding;
    private final List<Consumer<ChallengeView>> watchers = new CopyOnWriteArrayList<>();

    private Issued issued;
    private ChallengeState state = ChallengeState.WAITING;
    private int renewals;
    private boolean renewing;
    private boolean abandoned;
    private String answeredBy;
    private String denyReason;
    private String denyDetail;
    private Integer codeAttemptsLeft;
    private Integer codeAttemptsAtStart;
    private Instant lastSeen;
    /** When the current frame of a rotating code was received, on the portal's clock. */
    private Instant frameAt;
    /** Of a four-eyes challenge: how many must approve and who did so far, as last read. */
    private Integer requiredApprovals;
    private List<String> approvedBy = List.of();

    Challenge(Purpose purpose, String message, String requiredUserId, BrowserContext browser, Issued first,
              String binding, Instant now) {
        this.purpose = Objects.requireNonNull(purpose, "purpose == null");
        this.message = Objects.requireNonNull(message, "message == null");
        this.requiredUserId = requiredUserId;
        this.browser = browser;
        this.issued = Objects.requireNonNull(first, "first == null");
        this.binding = Objects.requireNonNull(binding, "binding == null");
        this.lastSeen = now;
        this.frameAt = now;
        if (purpose == Purpose.APPROVAL && requiredUserId == null) {
            throw new IllegalArgumentException("an approval needs the user who must give it");
        }
    }

    public Purpose purpose() {
        return purpose;
    }

    /** What the phone is asked, such as the action to approve. */
    public String message() {
        return message;
    }

    BrowserContext browser() {
        return browser;
    }

    /** For an approval, the user whose phone must give it; null for a login. */
    String requiredUserId() {
        return requiredUserId;
    }

    /**
     * Whether {@code secret} is the one given to the browser that started this challenge (in a
     * cookie of its own): a session id planted in another browser before login does not carry it.
     */
    public boolean isBoundTo(String secret) {
        return secret != null && MessageDigest.isEqual(
                binding.getBytes(StandardCharsets.US_ASCII),
                secret.getBytes(StandardCharsets.US_ASCII));
    }

    /** The secret that binds this challenge to the browser that started it; see {@link #isBoundTo}. */
    public String bindingSecret() {
        return binding;
    }

    /** Whether another live stream may watch this challenge. */
    public boolean acceptsWatchers() {
        return watchers.size() < MAX_WATCHERS;
    }

    /** The page showing this challenge asked for it: while it does, expired codes are renewed. */
    public synchronized void seen(Instant now) {
        lastSeen = now;
    }

    public synchronized ChallengeState state() {
        return state;
    }

    /** The user whose phone confirmed, once (and only if) the challenge is {@code CONFIRMED}. */
    public synchronized Optional<String> confirmedUser() {
        return state == ChallengeState.CONFIRMED ? Optional.of(answeredBy) : Optional.empty();
    }

    /** The QR image of the current code, while the phone can still answer. */
    public synchronized Optional<byte[]> qrPng() {
        return state.isOpen() ? Optional.of(issued.qrPng()) : Optional.empty();
    }

    public synchronized UUID transactionId() {
        return issued.transactionId();
    }

    /** Whether the current code's time is up and its result should be read. */
    synchronized boolean isOverdue(Instant now) {
        return state.isOpen() && !renewing && !now.isBefore(issued.expiresAt());
    }

    /**
     * Whether the current code rotates and its frame is a period old while a browser watches the
     * page (a live stream, or polls) and no phone has scanned it yet: then the portal asks the
     * token server for the next.
     * Nobody watching, nothing is asked: the page's next stream starts from the frame it gets.
     */
    synchronized boolean isFrameDue(Instant now) {
        Integer period = issued.rotationSeconds();
        if (period == null || state != ChallengeState.WAITING || renewing) {
            return false;
        }
        // A page that polls (no EventSource) is watching too while its polls keep coming.
        boolean watched = !watchers.isEmpty() || !now.isAfter(lastSeen.plusSeconds(period + POLL_SLACK_SECONDS));
        return watched && now.isBefore(issued.expiresAt()) && !now.isBefore(frameAt.plusSeconds(period));
    }

    /**
     * Takes in a frame of a rotating code read from the token server: a newer one than shown
     * replaces the code, and every watcher is sent the new QR image and text.
     *
     * @return whether the code shown changed
     */
    synchronized boolean newFrame(UUID transactionId, int number, String otp, byte[] png, Instant now) {
        if (state != ChallengeState.WAITING || renewing || !issued.transactionId().equals(transactionId)
                || number <= issued.frame()) {
            return false;
        }
        issued = issued.withFrame(number, otp, png);
        frameAt = now;
        moveTo(ChallengeState.WAITING, now);
        return true;
    }

    /** The token server says this code does not rotate after all: stop asking for frames. */
    synchronized void stopRotating(UUID transactionId) {
        if (issued.transactionId().equals(transactionId)) {
            issued = issued.withoutRotation();
        }
    }


    /** The challenge as the browser sees it at {@code now}. */
    public synchronized ChallengeView view(Instant now) {
        boolean open = state.isOpen();
        boolean codeEntry = state == ChallengeState.CODE_NEEDED;
        return new ChallengeView(
                purpose.pathSegment(),
                state.wireName(),
                open,
                status(),
                open ? issued.otp() : null,
                // A new address for each code and each frame, so the page fetches the new image.
                open ? "/challenge/" + purpose.pathSegment() + "/qr.png?v=" + renewals
                        + (issued.frame() == 0 ? "" : "." + issued.frame()) : null,
                open ? issued.bindingCode() : null,
                open ? Math.max(0, Duration.between(now, issued.expiresAt()).toSeconds()) : null,
                message,
                codeEntry,
                codeEntry ? codeAttemptsLeft : null,
                open ? issued.shortCode() : null);
    }

    /**
     * Calls {@code watcher} now with the current view and after every change.
     *
     * @return false, calling nothing, when the challenge has as many watchers as it serves
     */
    public synchronized boolean watch(Consumer<ChallengeView> watcher, Instant now) {
        if (watchers.size() >= MAX_WATCHERS) {
            return false;
        }
        watchers.add(watcher);
        lastSeen = now;
        watcher.accept(view(now));
        return true;
    }

    public void unwatch(Consumer<ChallengeView> watcher) {
        watchers.remove(watcher);
    }

    /**
     * Takes in a result read from the token server for {@code transactionId}. A result of a
     * transaction this challenge no longer waits for changes nothing.
     */
    synchronized Next apply(UUID transactionId, TransactionResult result, Instant now) {
        if (!state.isOpen() || renewing || !issued.transactionId().equals(transactionId)) {
            return Next.NOTHING;
        }
        switch (result.status()) {
            case PENDING -> {
                return now.isBefore(issued.expiresAt()) ? Next.NOTHING : expired(now);
            }
            case SCANNED -> {
                if (!now.isBefore(issued.expiresAt())) {
                    return expired(now);
                }
                if (tookApprovals(result)) {
                    // One more approver of several: the page shows the progress.
                    moveTo(ChallengeState.SCANNED, now);
                } else if (result.isAwaitingReverseCode()) {
                    Integer left = result.reverseCodeAttemptsLeft();
                    if (state != ChallengeState.CODE_NEEDED || !Objects.equals(left, codeAttemptsLeft)) {
                        // Fewer attempts only: a late read of an earlier count changes nothing.
                        codeAttemptsLeft = codeAttemptsLeft == null || left == null ? left : Math.min(left, codeAttemptsLeft);
                        if (codeAttemptsAtStart == null) {
                            codeAttemptsAtStart = left;
                        }
                        moveTo(ChallengeState.CODE_NEEDED, now);
                    }
                } else if (state == ChallengeState.WAITING) {
                    moveTo(ChallengeState.SCANNED, now);
                }
            }
            case CONFIRMED -> {
                if (!result.isAuthenticated() || result.userId() == null) {
                    // Not a result this portal can act on; it lapses like an unanswered code.
                    return lapseWhenLongPast(now);
                }
                answeredBy = result.userId();
                tookApprovals(result);
                // A four-eyes approval names no one user: the token server checked the group and the count.
                boolean counts = purpose != Purpose.APPROVAL || requiredUserId.equals(answeredBy);
                moveTo(counts ? ChallengeState.CONFIRMED : ChallengeState.WRONG_USER, now);
                return Next.DECIDED;
            }
            case REJECTED -> {
                tookApprovals(result);
                // A fraud report reads not_accepted with the flag (earlier servers sent the reason fraud_reported).
                denyReason = result.isFraudReported() ? "fraud_reported"
                        : result.notAuthenticatedReason() == null ? null : result.notAuthenticatedReason().reason();
                denyDetail = result.notAuthenticatedReason() == null ? null : result.notAuthenticatedReason().detail();
                moveTo(ChallengeState.DENIED, now);
                return Next.DECIDED;
            }
            case EXPIRED, CANCELLED -> {
                return expired(now);
            }
            default -> {
                // A state a newer token server knows and this portal does not: wait for the next
                // one, until the code lapses.
                return lapseWhenLongPast(now);
            }
        }
        return Next.NOTHING;
    }

    /**
     * Takes the four-eyes progress of {@code result} when it has more approvers than known (a late
     * read of an earlier count changes nothing).
     *
     * @return whether it had
     */
    private boolean tookApprovals(TransactionResult result) {
        if (result.requiredApprovals() == null || result.approvers() == null
                || requiredApprovals != null && result.approvers().size() <= approvedBy.size()) {
            return false;
        }
        requiredApprovals = result.requiredApprovals();
        approvedBy = result.approvers();
        return true;
    }

    /** Of a four-eyes challenge, the users who approved so far, in order, as last read. */
    public synchronized List<String> approvedBy() {
        return approvedBy;
    }

    /**
     * The code's result could not be read or made no sense: once it is past its expiry by
     * {@link #LAPSE_AFTER}, or {@code now} when {@code unknownToServer}, it counts as expired.
     */
    synchronized Next lapse(UUID transactionId, Instant now, boolean unknownToServer) {
        if (!state.isOpen() || renewing || !issued.transactionId().equals(transactionId)) {
            return Next.NOTHING;
        }
        return unknownToServer || !now.isBefore(issued.expiresAt().plus(LAPSE_AFTER)) ? expired(now) : Next.NOTHING;
    }

    private Next lapseWhenLongPast(Instant now) {
        return now.isBefore(issued.expiresAt().plus(LAPSE_AFTER)) ? Next.NOTHING : expired(now);
    }

    /**
     * Nobody waits for this challenge any more: it ends as {@code CANCELLED} and its streams close.
     *
     * @return whether it was still open, so its transaction should be cancelled
     */
    synchronized boolean abandon(Instant now) {
        boolean wasOpen = state.isOpen();
        abandoned = true;
        renewing = false;
        if (wasOpen) {
            moveTo(ChallengeState.CANCELLED, now);
        }
        return wasOpen;
    }

    /**
     * The token server issued the replacement of an expired code.
     *
     * @return false when the challenge was abandoned meanwhile: the new code is not wanted
     */
    synchronized boolean renewed(Issued next, Instant now) {
        if (abandoned) {
            return false;
        }
        renewing = false;
        renewals++;
        issued = next;
        // A new transaction: the approvals of the one before do not carry over.
        requiredApprovals = null;
        approvedBy = List.of();
        frameAt = now;
        moveTo(ChallengeState.WAITING, now);
        return true;
    }

    /** The replacement of an expired code could not be had. */
    synchronized void renewalFailed(Instant now) {
        renewing = false;
        if (!abandoned) {
            moveTo(ChallengeState.UNAVAILABLE, now);
        }
    }

    private Next expired(Instant now) {
        boolean watched = !watchers.isEmpty() || !now.isAfter(lastSeen.plus(RENEW_IF_SEEN_WITHIN));
        if (renewals >= MAX_RENEWALS || !watched) {
            moveTo(ChallengeState.GAVE_UP, now);
            return Next.NOTHING;
        }
        renewing = true;
        return Next.RENEW;
    }

    private void moveTo(ChallengeState next, Instant now) {
        state = next;
        ChallengeView view = view(now);
        watchers.forEach(w -> w.accept(view));
    }

    private String status() {
        if (purpose == Purpose.FOUR_EYES) {
            String fourEyes = fourEyesStatus();
            if (fourEyes != null) {
                return fourEyes;
            }
        }
        return switch (state) {
            case WAITING -> {
                String scan = renewals > 0 ? "The previous code expired. Scan this new code" : "Scan the code";
                yield issued.bindingCode() == null
                        ? scan + " with the app on your phone."
                        : scan + " with the app on your phone, then pick the number " + issued.bindingCode() + ".";
            }
            case SCANNED -> issued.bindingCode() == null
                    ? "Code scanned. Confirm on your phone."
                    : "Code scanned. On your phone, pick the number " + issued.bindingCode() + ".";
            case CODE_NEEDED -> "Approved on your phone. Type the code your phone shows"
                    + (codeAttemptsLeft != null && codeAttemptsAtStart != null && codeAttemptsLeft < codeAttemptsAtStart
                    ? " (that was not it: " + codeAttemptsLeft + (codeAttemptsLeft == 1 ? " try" : " tries") + " left)"
                    : "") + ".";
            case CONFIRMED -> purpose == Purpose.LOGIN ? "Confirmed on your phone. Logging you in." : "Approved on your phone.";
            case DENIED -> "proximity".equals(denyDetail)
                    ? "Not accepted: your phone is not on the same network as this browser. Approve from a phone "
                            + "on the same network."
                    : "reverse_code".equals(denyDetail)
                    ? "Not accepted: the code typed here did not match the one on your phone."
                    : switch (denyReason == null ? "" : denyReason) {
                case "fraud_reported" -> "The phone's owner denied this and reported it as not theirs.";
                case "invalid_answer" -> "Not accepted: the number picked on the phone was not the one shown here.";
                default -> "Denied on the phone.";
            };
            case WRONG_USER -> "Not approved: the phone that answered belongs to a different account.";
            case GAVE_UP -> "The code expired. Ask for a new code when you are ready.";
            case UNAVAILABLE -> (purpose == Purpose.LOGIN ? "Logging in" : "Approving")
                    + " with your phone is not possible right now. Please try again in a moment.";
            case CANCELLED -> "This code is no longer valid: it was replaced, or your session ended.";
        };
    }

    /** The status of a four-eyes challenge while approvals come in and once approved; else null. */
    private String fourEyesStatus() {
        String who = approvedBy.isEmpty() ? "no one yet" : String.join(", ", approvedBy);
        return switch (state) {
            case WAITING, SCANNED -> (renewals > 0 ? "The previous code expired. " : "")
                    + "Each approver scans the code with the app on their phone. Approved so far: " + who
                    + (requiredApprovals == null ? "." : " (" + approvedBy.size() + " of " + requiredApprovals + ").");
            case CONFIRMED -> "Approved by " + who + ".";
            case DENIED -> "Denied on an approver's phone" + (approvedBy.isEmpty() ? "." : " (approved before: " + who + ").");
            default -> null;
        };
    }
}
