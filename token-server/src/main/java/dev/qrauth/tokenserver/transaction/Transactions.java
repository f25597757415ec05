package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.Approvals;
import dev.qrauth.protocol.message.DenyReason;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.Nonce;
import dev.qrauth.protocol.message.NumberChoices;
import dev.qrauth.protocol.message.Proximity;
import dev.qrauth.protocol.message.RequestContext;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.otp.OtpCode;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpDecoding;
import dev.qrauth.protocol.otp.OtpPayload;
import dev.qrauth.protocol.otp.ShortCode;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpVerification;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.TransactionFrame;
import dev.qrauth.protocol.portal.TransactionResult;
import dev.qrauth.protocol.receipt.ReceiptStatement;
import dev.qrauth.protocol.text.DisplayText;
import dev.qrauth.tokenserver.TokenServerConfig;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.authtype.DuressPolicy;
import dev.qrauth.tokenserver.authtype.MobileAuthType;
import dev.qrauth.tokenserver.authtype.MobileAuthTypes;
import dev.qrauth.tokenserver.authtype.ProximityPolicy;
import dev.qrauth.tokenserver.authtype.TypeRules;
import dev.qrauth.tokenserver.callback.CallbackOutbox;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.client.CallbackUris;
import dev.qrauth.tokenserver.client.OpenTransactions;
import dev.qrauth.tokenserver.device.MobileAuthSession;
import dev.qrauth.tokenserver.enrollment.DeviceCertificates;
import dev.qrauth.tokenserver.enrollment.ServerKeys;
import dev.qrauth.tokenserver.error.DeviceApiException;
import dev.qrauth.tokenserver.error.PortalApiException;
import dev.qrauth.tokenserver.receipt.ReceiptChain;
import dev.qrauth.tokenserver.receipt.ReceiptCheck;
import dev.qrauth.tokenserver.security.MasterKey;
import dev.qrauth.tokenserver.security.Secrets;
import dev.qrauth.tokenserver.user.Users;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Mobile-auth transactions: initiation and results for portals, fetch and answer for devices,
 * cancellation and expiry. Every change of status is one conditional {@code UPDATE ... WHERE
 * status = <expected>}, so of two concurrent changes exactly one wins, and the callback it
 * causes is written to the outbox in the same database transaction.
 */
@ApplicationScoped
public class Transactions implements OpenTransactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class);
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final int MAX_USER_AGENT = 512;
    /** Wrong codes typed into the browser before a reverse-code transaction is rejected. */
    public static final int MAX_REVERSE_CODE_ATTEMPTS = 3;
    private static final Pattern REVERSE_CODE = Pattern.compile("\\d{6}");
    /** Draws of a short code before an initiation gives up: one in 2^60 collides per million pending. */
    private static final int MAX_SHORT_CODE_DRAWS = 5;

    private final EntityManager entities;
    private final OpenPgp pgp;
    private final ServerKeys serverKeys;
    private final DeviceCertificates deviceCertificates;
    private final CallbackOutbox outbox;
    private final AuditLog audit;
    private final TransactionMetrics metrics;
    private final InitiationRateLimiter rateLimiter;
    private final Geolocation geolocation;
    private final ProximityCheck proximityCheck;
    private final int pendingCap;
    private final int maxFailedFetches;
    private final Duration failedFetchWindow;
    private final KnownCredentials known;
    private final MasterKey masterKey;
    private final ShortCodes shortCodes;
    private final FourEyes fourEyes;
    @Inject
    ReceiptChain receipts;

    Transactions(FourEyes fourEyes, KnownCredentials known, MasterKey masterKey, ShortCodes shortCodes, EntityManager entities, OpenPgp pgp, ServerKeys serverKeys, DeviceCertificates deviceCertificates,
                 CallbackOutbox outbox, AuditLog audit,
                 TransactionMetrics metrics, InitiationRateLimiter rateLimiter, Geolocation geolocation,
                 ProximityCheck proximityCheck, TokenServerConfig config) {
        this.entities = entities;
        this.pgp = pgp;
        this.serverKeys = serverKeys;
        this.deviceCertificates = deviceCertificates;
        this.outbox = outbox;
        this.audit = audit;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
        this.geolocation = geolocation;
        this.proximityCheck = proximityCheck;
        this.pendingCap = config.pendingCap();
        this.maxFailedFetches = config.fetch().maxFailures();
        this.failedFetchWindow = config.fetch().failureWindow();
        this.known = known;
        this.masterKey = masterKey;
        this.shortCodes = shortCodes;
        this.fourEyes = fourEyes;
    }

    int maxFailedFetches() {
        return maxFailedFetches;
    }

    Duration failedFetchWindow() {
        return failedFetchWindow;
    }

    // ---- Portal side --------------------------------------------------------------------------

    /** Flow steps 1-2: a new PENDING transaction and its OTP. */
    @Transactional
    public AuthenticationStarted initiate(ApiClient client, InitiateRequest request) {
        return initiate(client, request, false);
    }

    /** As {@link #initiate(ApiClient, InitiateRequest)}; {@code rateChecked} when the hot path already took from the rate. */
    @Transactional
    public AuthenticationStarted initiate(ApiClient client, InitiateRequest request, boolean rateChecked) {
        if (!rateChecked) {
            checkRate(client.clientId);
        }
        if (request.type() == null || request.type().isBlank()) {
            throw invalidParameter("type is required");
        }
        MobileAuthType found = MobileAuthType.findById(request.type());
        if (found == null) {
            throw new PortalApiException(PortalErrorCode.TYPE_NOT_FOUND, null);
        }
        TypeRules type = TypeRules.of(found);
        known.rememberType(type);
        NewTransaction start = prepare(request, type, client.callbackUris, drawShortCode());
        // A short code already pending makes the insert write nothing: draw again. With 2^80
        // codes and at most a few million pending this practically never happens twice.
        for (int draw = 1; !insert(client, request, type, start); draw++) {
            if (start.shortCode() == null || !shortCodePending(shortCodeHash(start.shortCode()))) {
                throw pendingCapReached(type);
            }
            if (draw == MAX_SHORT_CODE_DRAWS) {
                throw noFreeShortCode();
            }
            start = prepare(request, type, client.callbackUris, drawShortCode());
        }
        fourEyes.started(start);
        return start.started();
    }

    /** The short code of a new transaction. */
    String drawShortCode() {
        return shortCodes.draw();
    }

    /**
     * Every draw named a code already pending, which a working random source practically never
     * does: the server, not the portal, is at fault, and the portal may simply try again.
     */
    private static PortalApiException noFreeShortCode() {
        LOG.errorf("%d short codes drawn in a row were all pending: is the random source broken?", MAX_SHORT_CODE_DRAWS);
        return new PortalApiException(PortalErrorCode.SERVICE_UNAVAILABLE,
                "No unused short code could be drawn: try again shortly", 1);
    }

    private boolean shortCodePending(String shortCodeHash) {
        return !entities.createNativeQuery("SELECT 1 FROM mobile_auth_transaction WHERE short_code_hash = ?1 "
                        + "AND status = 'PENDING'")
                .setParameter(1, shortCodeHash).getResultList().isEmpty();
    }

    /** Writes the transaction unless the client is at its cap or the short code is already pending. */
    private boolean insert(ApiClient client, InitiateRequest request, TypeRules type, NewTransaction start) {
        // The cap and the insert in one statement: nothing is written when the client already
        // holds its cap of open transactions. (Like a separate count, it does not lock: two
        // concurrent initiations at the cap may both pass, which the cap tolerates.)
        // The audit event in the same statement: one round trip on the hot path.
        int inserted = entities.createNativeQuery("WITH started AS (INSERT INTO mobile_auth_transaction (transaction_id, client_id, "
                        + "type_name, status, code_hash, callback_uri, message, secure_message, language_code, ip_address, "
                        + "user_agent, binding_code, created_at, expires_at, expected_user_id, proximity_policy, "
                        + "reverse_code, short_code_hash, duress_policy, rotation_seconds, frame_code_sealed) "
                        + "SELECT ?1, ?2, ?3, 'PENDING', ?4, ?5, ?6, CAST(?7 AS text), CAST(?8 AS text), CAST(?9 AS text), "
                        + "CAST(?10 AS text), CAST(?11 AS integer), ?12, ?13, CAST(?15 AS text), ?16, ?17, CAST(?19 AS text), "
                        + "COALESCE((SELECT duress FROM mobile_auth_type WHERE name = ?3), '"
                        + DuressPolicy.FLAG.wireName + "'), CAST(?20 AS integer), CAST(?21 AS bytea) "
                        + "WHERE (SELECT count(*) FROM mobile_auth_transaction WHERE client_id = ?2 "
                        + "AND status IN ('PENDING', 'SCANNED') AND expires_at > ?12) < ?14 "
                        + "ON CONFLICT (short_code_hash) WHERE status = 'PENDING' DO NOTHING "
                        + "RETURNING transaction_id, client_id, type_name, expected_user_id) "
                        + "INSERT INTO audit_event (occurred_at, event_type, actor, user_id, transaction_id, client_id, "
                        + "details) SELECT ?12, ?18, 'client:' || client_id, expected_user_id, transaction_id, client_id, "
                        + "'type ' || type_name FROM started")
                .setParameter(1, start.transactionId()).setParameter(2, client.clientId)
                .setParameter(3, type.name()).setParameter(4, Secrets.sha256Hex(start.code()))
                .setParameter(5, request.callbackUri()).setParameter(6, start.message())
                .setParameter(7, request.secureMessage()).setParameter(8, request.languageCode())
                .setParameter(9, request.ipAddress()).setParameter(10, request.userAgent())
                .setParameter(11, start.bindingCode())
                .setParameter(12, start.createdAt()).setParameter(13, start.expiresAt())
                .setParameter(14, pendingCap)
                .setParameter(15, request.expectedUserId())
                .setParameter(16, type.proximity()).setParameter(17, type.reverseCode())
                .setParameter(18, AuditType.TRANSACTION_INITIATED.name())
                .setParameter(19, shortCodeHash(start.shortCode()))
                .setParameter(20, type.rotationSeconds())
                .setParameter(21, sealFrameCode(start))
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * What is stored of a short code: a keyed hash under the master key, so that a copy of the
     * database does not let its 80 bits be searched offline ({@code docs/PROTOCOL.md}, "The short code").
     */
    String shortCodeHash(String shortCode) {
        // A rotating type's transactions have none (it would outlive the frames).
        return shortCode == null ? null : masterKey.mac("short-code", shortCode);
    }

    /**
     * The code of a rotating transaction's current frame, sealed under the master key and bound to
     * the transaction, so that the portal can be given it again ({@link #frame}); null for a
     * transaction whose code never changes.
     */
    byte[] sealFrameCode(NewTransaction start) {
        return start.type().rotationSeconds() == null ? null
                : masterKey.encrypt(framePurpose(start.transactionId()), start.code());
    }

    private static String framePurpose(UUID transactionId) {
        return "frame-code:" + transactionId;
    }

    /** RATE_LIMITED when the client has spent its initiation rate. */
    void checkRate(String clientId) {
        long retryAfter = rateLimiter.tryAcquire(clientId);
        if (retryAfter > 0) {
            throw new PortalApiException(PortalErrorCode.RATE_LIMITED, "Initiation rate exceeded", retryAfter);
        }
    }

    static PortalApiException pendingCapReached(TypeRules type) {
        return new PortalApiException(PortalErrorCode.RATE_LIMITED,
                "Too many pending transactions for this client", type.timeToLiveSeconds());
    }

    int pendingCap() {
        return pendingCap;
    }

    /**
     * Checks an initiation against its type and the client's allow-list and draws what is new
     * about it: the id, the one-time code, the number to match. Shared by both ways of starting
     * a transaction ({@link HotPath} and {@link #initiate}), so they refuse the same input alike.
     */
    static NewTransaction prepare(InitiateRequest request, TypeRules type, String[] allowedCallbackUris, String shortCode) {
        if (request.userId() != null) {
            throw invalidParameter("user_id must not be present for an OTP type");
        }
        if (request.expectedUserId() != null && !Users.isValidUserId(request.expectedUserId())) {
            throw invalidParameter("expected_user_id must be 1 to 255 printable characters without spaces or '/'");
        }
        checkCallbackUri(request.callbackUri(), allowedCallbackUris);
        if (request.languageCode() != null && !MobileAuthTypes.LANGUAGE_CODE.matcher(request.languageCode()).matches()) {
            throw invalidParameter("language_code is not a language tag");
        }
        String message = request.message() == null || request.message().isEmpty()
                ? type.defaultMessageFor(request.languageCode()) : request.message();
        if (message == null) {
            throw invalidParameter("message is required: the type has no default message");
        }
        if (!DisplayText.isSingleLine(message)) {
            throw invalidParameter("message must not contain control or format characters (such as ESC, CR, "
                    + "newline, bidi overrides or zero-width characters)");
        }
        if (message.length() > type.maxMessageLength()) {
            throw new PortalApiException(PortalErrorCode.MESSAGE_TOO_LONG,
                    "message is longer than " + type.maxMessageLength() + " characters");
        }
        if (request.secureMessage() != null && request.secureMessage().length() > MobileAuthMessage.MAX_SECURE_MESSAGE_LENGTH) {
            throw new PortalApiException(PortalErrorCode.MESSAGE_TOO_LONG,
                    "secure_message is longer than " + MobileAuthMessage.MAX_SECURE_MESSAGE_LENGTH + " characters");
        }
        if (request.secureMessage() != null && !DisplayText.isMultiLine(request.secureMessage())) {
            throw invalidParameter("secure_message must not contain control or format characters other than "
                    + "tab and newline (such as ESC, CR, bidi overrides or zero-width characters)");
        }
        if (request.ipAddress() != null && !isIpAddress(request.ipAddress())) {
            throw invalidParameter("ip_address is not an IPv4 or IPv6 address");
        }
        if (request.ipAddress() == null && ProximityPolicy.REQUIRE.wireName.equals(type.proximity())) {
            throw invalidParameter("ip_address is required: the type requires the phone to be near the browser");
        }
        if (request.userAgent() != null && request.userAgent().length() > MAX_USER_AGENT) {
            throw invalidParameter("user_agent is longer than " + MAX_USER_AGENT + " characters");
        }
        List<String> approvers = FourEyes.group(request, type);
        UUID transactionId = UUID.randomUUID();
        String code = OtpCode.generate(Secrets.random());
        Integer bindingCode = type.numberMatching()
                ? NumberChoices.MIN + Secrets.random().nextInt(NumberChoices.MAX - NumberChoices.MIN + 1) : null;
        // The database keeps microseconds; so does every timestamp handed out.
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expiresAt = createdAt.plusSeconds(type.timeToLiveSeconds());
        // A rotating code has no short code: a short code would outlive the frames and could be
        // relayed like a screenshot (docs/PROTOCOL.md, "Rotating codes").
        return new NewTransaction(request, type, transactionId, code, message, bindingCode, createdAt, expiresAt,
                type.rotationSeconds() == null ? shortCode : null, approvers);
    }

    /**
     * The callback-URI check of an initiation on its own (our addition, {@code docs/PROTOCOL.md},
     * "POST /oauth/api/v4/authenticate/callback-uri"): returns when an initiation by {@code client}
     * would accept {@code callbackUri}, else throws the {@code 1003} that initiation would. Creates
     * nothing and takes nothing from the initiation rate.
     */
    public void checkCallbackUri(ApiClient client, String callbackUri) {
        checkCallbackUri(callbackUri, client.callbackUris);
    }

    /** The rules of {@code callback_uri} at initiation: {@link CallbackUris}, then the client's allow-list. */
    private static void checkCallbackUri(String callbackUri, String[] allowedCallbackUris) {
        String callbackProblem = CallbackUris.problem(callbackUri);
        if (callbackProblem != null) {
            throw invalidParameter("callback_uri " + callbackProblem);
        }
        if (allowedCallbackUris.length > 0 && !Arrays.asList(allowedCallbackUris).contains(callbackUri)) {
            throw invalidParameter("callback_uri is not in this client's allow-list");
        }
    }

    /** The result, for the client that created the transaction only. */
    @Transactional
    public TransactionResult result(ApiClient client, UUID transactionId) {
        MobileAuthTransaction t = owned(client, transactionId);
        return fourEyes.withApprovals(resultOf(new TransactionStore.Stored(t.transactionId, t.status, t.callbackUri,
                t.createdAt, t.expiresAt, t.userId, t.reason, t.reasonDetail, t.proximity, t.reverseCodeHash != null,
                t.reverseCodeFailures, t.duress)), t);
    }

    /** What the portal reads of a transaction (flow step 11). */
    static TransactionResult resultOf(TransactionStore.Stored transaction) {
        boolean authenticated = transaction.status() == TransactionStatus.CONFIRMED;
        boolean answered = authenticated || transaction.status() == TransactionStatus.REJECTED;
        // Onegini sends the reason only after a final failure, never while the user may still answer.
        boolean failed = !authenticated && transaction.status().isTerminal();
        TransactionResult.Reason reason = failed ? reasonOf(transaction) : null;
        boolean fraud = failed && NotAuthenticatedReason.FRAUD_REPORTED.wireName.equals(transaction.reason());
        boolean awaitingCode = transaction.status() == TransactionStatus.SCANNED && transaction.awaitingCode();
        // "The moment the authentication request was sent": the initiation, whatever happened since.
        return new TransactionResult(transaction.transactionId(), transaction.callbackUri(), transaction.createdAt(),
                answered ? transaction.userId() : null, authenticated, AuthenticationStarted.AUTH_METHOD_OTP,
                reason, transaction.status(), transaction.expiresAt(),
                transaction.proximity() == null ? null : Proximity.fromWire(transaction.proximity()),
                awaitingCode ? Boolean.TRUE : null,
                awaitingCode ? MAX_REVERSE_CODE_ATTEMPTS - transaction.reverseCodeFailures() : null,
                fraud ? Boolean.TRUE : null,
                // Only when true: a normal answer's result keeps the Onegini shape.
                transaction.duress() ? Boolean.TRUE : null);
    }

    /**
     * What the phone is told of an approval the type's duress policy refused: exactly what it
     * would have been told of the approval, so that nothing on the phone shows the refusal.
     */
    static AnswerAccepted answerToApproval(boolean reverseCodeType, String reverseCode) {
        return reverseCodeType ? new AnswerAccepted(TransactionStatus.SCANNED, reverseCode)
                : new AnswerAccepted(TransactionStatus.CONFIRMED);
    }

    /**
     * The browser's half of reverse code entry: the code the phone showed after approving, typed
     * into the browser and submitted by the portal. One conditional update, under the row's lock:
     * the right code confirms, the last allowed wrong one rejects, other wrong ones are counted.
     * Of concurrent submissions each sees the one before it, so at most one completes.
     */
    @Transactional
    public TransactionResult submitReverseCode(ApiClient client, UUID transactionId, String typedCode) {
        MobileAuthTransaction transaction = owned(client, transactionId);
        String code = typedCode == null ? "" : typedCode.replace(" ", "").replace("-", "");
        if (!REVERSE_CODE.matcher(code).matches()) {
            throw invalidParameter("code must be the 6 digits the phone shows");
        }
        Instant now = Instant.now();
        @SuppressWarnings("unchecked")
        List<Object[]> changed = entities.createNativeQuery("UPDATE mobile_auth_transaction SET "
                        + "status = CASE WHEN reverse_code_hash = ?2 THEN 'CONFIRMED' "
                        + "WHEN reverse_code_failures + 1 >= ?3 THEN 'REJECTED' ELSE status END, "
                        + "reason = CASE WHEN reverse_code_hash = ?2 THEN NULL "
                        + "WHEN reverse_code_failures + 1 >= ?3 THEN ?4 ELSE reason END, "
                        + "reason_detail = CASE WHEN reverse_code_hash <> ?2 AND reverse_code_failures + 1 >= ?3 "
                        + "THEN ?5 ELSE reason_detail END, "
                        + "finished_at = CASE WHEN reverse_code_hash = ?2 OR reverse_code_failures + 1 >= ?3 THEN ?6 "
                        + "ELSE finished_at END, "
                        + "reverse_code_failures = CASE WHEN reverse_code_hash = ?2 THEN reverse_code_failures "
                        + "ELSE reverse_code_failures + 1 END "
                        + "WHERE transaction_id = ?1 AND client_id = ?7 AND status = 'SCANNED' "
                        + "AND reverse_code_hash IS NOT NULL AND expires_at > ?6 "
                        + "RETURNING status, callback_uri, user_id, device_id, created_at, duress")
                .setParameter(1, transactionId).setParameter(2, reverseCodeHash(transactionId, code))
                .setParameter(3, MAX_REVERSE_CODE_ATTEMPTS)
                .setParameter(4, NotAuthenticatedReason.NOT_ACCEPTED.wireName)
                .setParameter(5, TransactionResult.Reason.DETAIL_REVERSE_CODE)
                .setParameter(6, now).setParameter(7, client.clientId)
                .getResultList();
        if (changed.isEmpty()) {
            throw new PortalApiException(PortalErrorCode.TRANSACTION_NOT_PENDING,
                    "The transaction is not waiting for a code from the browser");
        }
        Object[] row = changed.get(0);
        TransactionStatus outcome = TransactionStatus.valueOf((String) row[0]);
        if (outcome.isTerminal()) {
            Subject subject = new Subject("client:" + client.clientId, (String) row[2], (UUID) row[3], transactionId,
                    client.clientId);
            outbox.enqueue(transactionId, client.clientId, (String) row[1], outcome, Boolean.TRUE.equals(row[5]));
            audit.record(outcome == TransactionStatus.CONFIRMED ? AuditType.TRANSACTION_CONFIRMED
                    : AuditType.TRANSACTION_REJECTED, subject, outcome == TransactionStatus.CONFIRMED ? null
                    : "the code typed into the browser was wrong " + MAX_REVERSE_CODE_ATTEMPTS + " times");
            metrics.outcome(outcome);
            metrics.answered(Duration.between(WireValues.instant(row[4]), now));
        }
        entities.refresh(transaction);
        return result(client, transactionId);
    }

    /**
     * The current frame of a rotating code (our addition, {@code docs/PROTOCOL.md}, "GET
     * .../transaction/{transaction_id}/frame"), for the client that created the transaction
     * only. When the current frame is at least a period old, a new one is made first: a fresh
     * code whose hash replaces the current one, which stays valid for a fetch in flight for one
     * more period. One conditional update on the frame number decides, so of concurrent calls
     * exactly one makes the frame and the others read it.
     */
    @Transactional
    public TransactionFrame frame(ApiClient client, UUID transactionId) {
        for (int attempt = 0; ; attempt++) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entities.createNativeQuery("SELECT client_id, status, expires_at, rotation_seconds, "
                            + "frame, COALESCE(frame_at, created_at), frame_code_sealed FROM mobile_auth_transaction "
                            + "WHERE transaction_id = ?1")
                    .setParameter(1, transactionId).getResultList();
            if (rows.isEmpty() || !client.clientId.equals(rows.get(0)[0])) {
                throw new PortalApiException(PortalErrorCode.TRANSACTION_NOT_FOUND, null);
            }
            Object[] row = rows.get(0);
            if (row[3] == null) {
                throw new PortalApiException(PortalErrorCode.NOT_FOUND,
                        "The transaction's type does not rotate its code: show the initiation's OTP");
            }
            TransactionStatus status = TransactionStatus.valueOf((String) row[1]);
            int rotation = ((Number) row[3]).intValue();
            int frame = ((Number) row[4]).intValue();
            if (status == TransactionStatus.PENDING && !WireValues.instant(row[2]).isAfter(now)) {
                // Past its expiry, before the sweep has marked it: expired all the same.
                status = TransactionStatus.EXPIRED;
            }
            if (status != TransactionStatus.PENDING) {
                return new TransactionFrame(null, frame, rotation, status);
            }
            if (now.isBefore(WireValues.instant(row[5]).plusSeconds(rotation)) || attempt > 0) {
                return new TransactionFrame(OtpCodec.encode(new OtpPayload(transactionId,
                        masterKey.decryptToString(framePurpose(transactionId), (byte[]) row[6]))),
                        frame, rotation, status);
            }
            String code = OtpCode.generate(Secrets.random());
            int made = entities.createNativeQuery("UPDATE mobile_auth_transaction SET "
                            + "previous_code_hash = code_hash, previous_code_until = ?3, code_hash = ?4, "
                            + "frame_code_sealed = ?5, frame = frame + 1, frame_at = ?2 "
                            + "WHERE transaction_id = ?1 AND status = 'PENDING' AND frame = ?6 AND expires_at > ?2")
                    .setParameter(1, transactionId).setParameter(2, now)
                    .setParameter(3, now.plusSeconds(rotation)).setParameter(4, Secrets.sha256Hex(code))
                    .setParameter(5, masterKey.encrypt(framePurpose(transactionId), code))
                    .setParameter(6, frame)
                    .executeUpdate();
            if (made == 1) {
                return new TransactionFrame(OtpCodec.encode(new OtpPayload(transactionId, code)), frame + 1, rotation,
                        TransactionStatus.PENDING);
            }
            // Another call made the frame, or a phone fetched, meanwhile: read what it left.
        }
    }

    /** Cancels a PENDING or SCANNED transaction; no callback, since the portal asked for it. */
    @Transactional
    public void cancel(ApiClient client, UUID transactionId) {
        MobileAuthTransaction transaction = owned(client, transactionId);
        // Past its expiry a transaction belongs to the sweep, which sends its EXPIRED callback.
        int changed = entities.createNativeQuery("UPDATE mobile_auth_transaction SET status = 'CANCELLED', "
                        + "reason = ?2, finished_at = ?3 WHERE transaction_id = ?1 AND status IN ('PENDING', 'SCANNED') "
                        + "AND expires_at > ?3")
                .setParameter(1, transactionId)
                .setParameter(2, NotAuthenticatedReason.CANCELLED.wireName)
                .setParameter(3, Instant.now())
                .executeUpdate();
        if (changed == 0) {
            throw new PortalApiException(PortalErrorCode.TRANSACTION_NOT_PENDING, null);
        }
        audit.record(AuditType.TRANSACTION_CANCELLED, new Subject("client:" + client.clientId, transaction.userId,
                transaction.deviceId, transactionId, client.clientId), null);
        metrics.outcome(TransactionStatus.CANCELLED);
    }

    /**
     * Cancels every open ({@code PENDING} or {@code SCANNED}) transaction of a client being
     * disabled, each audited as cancelled by {@code actor}, without callbacks: a disabled client
     * is sent nothing. Phones that fetch or answer one are told it is not found.
     *
     * @return how many were cancelled
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int cancelOpen(String clientId, String actor, String details) {
        Instant now = Instant.now();
        Number cancelled = (Number) entities.createNativeQuery("WITH cancelled AS (UPDATE mobile_auth_transaction "
                        + "SET status = 'CANCELLED', reason = ?2, finished_at = ?3 "
                        + "WHERE client_id = ?1 AND status IN ('PENDING', 'SCANNED') "
                        + "RETURNING transaction_id, user_id, device_id), "
                        + "audited AS (INSERT INTO audit_event (occurred_at, event_type, actor, user_id, device_id, "
                        + "transaction_id, client_id, details) SELECT ?3, ?4, ?5, user_id, device_id, transaction_id, ?1, ?6 "
                        + "FROM cancelled) "
                        + "SELECT count(*) FROM cancelled")
                .setParameter(1, clientId)
                .setParameter(2, NotAuthenticatedReason.CANCELLED.wireName)
                .setParameter(3, now)
                .setParameter(4, AuditType.TRANSACTION_CANCELLED.name())
                .setParameter(5, actor)
                .setParameter(6, details)
                .getSingleResult();
        for (int i = 0; i < cancelled.intValue(); i++) {
            metrics.outcome(TransactionStatus.CANCELLED);
        }
        return cancelled.intValue();
    }

    /** Whether a client has transactions still open (not yet expired). */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean hasOpen(String clientId) {
        return !entities.createNativeQuery("SELECT 1 FROM mobile_auth_transaction WHERE client_id = ?1 "
                        + "AND status IN ('PENDING', 'SCANNED') AND expires_at > ?2 LIMIT 1")
                .setParameter(1, clientId).setParameter(2, Instant.now())
                .getResultList().isEmpty();
    }

    private MobileAuthTransaction owned(ApiClient client, UUID transactionId) {
        MobileAuthTransaction transaction = MobileAuthTransaction.findById(transactionId);
        if (transaction == null || !transaction.clientId.equals(client.clientId)) {
            throw new PortalApiException(PortalErrorCode.TRANSACTION_NOT_FOUND, null);
        }
        return transaction;
    }

    private static TransactionResult.Reason reasonOf(TransactionStore.Stored transaction) {
        NotAuthenticatedReason reason = switch (transaction.status()) {
            case EXPIRED -> NotAuthenticatedReason.EXPIRED;
            case CANCELLED -> NotAuthenticatedReason.CANCELLED;
            default -> transaction.reason() == null ? NotAuthenticatedReason.NOT_ACCEPTED
                    : NotAuthenticatedReason.fromWire(transaction.reason());
        };
        if (reason == NotAuthenticatedReason.FRAUD_REPORTED) {
            // Onegini knows no fraud reason: a denial reads not_accepted, the flag says the rest.
            return new TransactionResult.Reason(NotAuthenticatedReason.NOT_ACCEPTED.wireName, reason.description);
        }
        if (TransactionResult.Reason.DETAIL_PROXIMITY.equals(transaction.reasonDetail())) {
            return new TransactionResult.Reason(reason.wireName, "The approval came from a phone on another network "
                    + "than this browser: approve from a phone on the same network", transaction.reasonDetail());
        }
        if (TransactionResult.Reason.DETAIL_REVERSE_CODE.equals(transaction.reasonDetail())) {
            return new TransactionResult.Reason(reason.wireName, "The code typed into the browser did not match the "
                    + "code the phone showed", transaction.reasonDetail());
        }
        return new TransactionResult.Reason(reason.wireName, reason.description);
    }

    // ---- Device side --------------------------------------------------------------------------

    /**
     * Flow steps 5-6: consumes the OTP, binds the transaction to the user and device
     * (PENDING -> SCANNED) and returns the message sealed for the device.
     */
    @Transactional
    public Outcome<SealedMessage> fetch(MobileAuthSession session, String otp, String phoneAddress) {
        PgpCertificate deviceCertificate = enrolledCertificate(session);
        checkFetchBudget(session);
        OtpDecoding decoding = OtpCodec.decode(otp);
        if (!(decoding instanceof OtpDecoding.Accepted accepted)) {
            recordFailedFetch(session, null, "the otp is not an OTP");
            return Outcome.refused(DeviceError.of(DeviceErrorCode.INVALID_REQUEST,
                    "otp is not an OTP: " + ((OtpDecoding.Rejected) decoding).reason()));
        }
        UUID transactionId = accepted.payload().transactionId();
        String codeHash = Secrets.sha256Hex(accepted.payload().code());
        return scan(session, deviceCertificate, transactionId, codeHash, phoneAddress);
    }

    /**
     * Flow steps 5-6 with a short code instead of an OTP ({@code docs/PROTOCOL.md}, "Fetch by
     * short code"): the code names a pending transaction, which then goes on exactly as after a
     * fetch with its OTP. A wrong code is refused and counted against the same budget.
     */
    @Transactional
    public Outcome<SealedMessage> fetchByShortCode(MobileAuthSession session, String shortCode, String phoneAddress) {
        PgpCertificate deviceCertificate = enrolledCertificate(session);
        checkFetchBudget(session);
        String code = ShortCode.normalize(shortCode).orElse(null);
        if (code == null) {
            recordFailedFetch(session, null, "the short code is not a short code");
            return Outcome.refused(DeviceError.of(DeviceErrorCode.INVALID_REQUEST, "short_code is not a short code: "
                    + ShortCode.LENGTH + " letters and digits (spaces and dashes are ignored)"));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> pending = entities.createNativeQuery("SELECT transaction_id, code_hash FROM mobile_auth_transaction "
                        + "WHERE short_code_hash = ?1 AND status = 'PENDING'")
                .setParameter(1, shortCodeHash(code)).getResultList();
        if (pending.isEmpty()) {
            // Unknown, used, expired or cancelled alike: a code is usable only while it is pending.
            recordFailedFetch(session, null, "no pending transaction has this short code");
            return Outcome.refused(notFound().body());
        }
        return scan(session, deviceCertificate, (UUID) pending.get(0)[0], (String) pending.get(0)[1], phoneAddress);
    }

    /** PENDING -> SCANNED for the transaction whose code hash the caller showed it knows. */
    private Outcome<SealedMessage> scan(MobileAuthSession session, PgpCertificate deviceCertificate, UUID transactionId,
                                        String codeHash, String phoneAddress) {
        String nonce = Nonce.generate(Secrets.random());
        Instant now = Instant.now();
        // One round trip: the change, and what the message needs of the transaction and its client.
        @SuppressWarnings("unchecked")
        List<Object[]> scanned = entities.createNativeQuery("WITH scanned AS (UPDATE mobile_auth_transaction t "
                        + "SET status = 'SCANNED', "
                        + "user_id = ?3, device_id = ?4, nonce = ?5, scanned_at = ?6, frame_code_sealed = NULL "
                        + "FROM api_client c "
                        + "WHERE t.transaction_id = ?1 AND (t.code_hash = ?2 OR (t.previous_code_hash = ?2 "
                        + "AND t.previous_code_until > ?6)) AND t.status = 'PENDING' AND t.expires_at > ?6 "
                        + "AND (t.expected_user_id IS NULL OR t.expected_user_id = ?3) AND t.required_approvals = 1 "
                        + "AND c.client_id = t.client_id AND c.enabled RETURNING t.client_id, t.type_name, t.message, t.secure_message, "
                        + "t.user_agent, t.ip_address, t.expires_at, t.binding_code, t.callback_uri, c.display_name, "
                        + "c.callback_on_scan, t.proximity_policy), "
                        // The audit event in the same statement: one round trip on the hot path.
                        + "audited AS (INSERT INTO audit_event (occurred_at, event_type, actor, user_id, device_id, "
                        + "transaction_id, client_id) SELECT ?6, ?7, 'device:' || CAST(?4 AS text), ?3, ?4, ?1, client_id "
                        + "FROM scanned) "
                        + "SELECT client_id, type_name, message, secure_message, user_agent, ip_address, expires_at, "
                        + "binding_code, callback_uri, display_name, callback_on_scan, proximity_policy FROM scanned")
                .setParameter(1, transactionId).setParameter(2, codeHash)
                .setParameter(3, session.userId()).setParameter(4, session.deviceId())
                .setParameter(5, nonce).setParameter(6, now)
                .setParameter(7, AuditType.TRANSACTION_SCANNED.name())
                .getResultList();
        if (scanned.isEmpty()) {
            MobileAuthTransaction existing = MobileAuthTransaction.findById(transactionId);
            if (existing == null || !(existing.codeHash.equals(codeHash) || codeHash.equals(existing.previousCodeHash))) {
                recordFailedFetch(session, existing == null ? null : transactionId,
                        existing == null ? "no such transaction" : "wrong code for the transaction");
                return Outcome.refused(notFound().body());
            }
            if (existing.requiredApprovals > 1) {
                return scanFourEyes(session, deviceCertificate, transactionId, codeHash);
            }
            if (existing.expectedUserId != null && !existing.expectedUserId.equals(session.userId())) {
                // Meant for another user: not this phone's to see, whatever its state, and left
                // untouched for the right user's phone.
                throw notFound();
            }
            if (existing.status == TransactionStatus.SCANNED || existing.status == TransactionStatus.CONFIRMED
                    || existing.status == TransactionStatus.REJECTED) {
                throw new DeviceApiException(DeviceErrorCode.ALREADY_HANDLED, "This OTP was already used");
            }
            throw notFound();
        }
        Object[] row = scanned.get(0);
        String clientId = (String) row[0];
        String ipAddress = (String) row[5];
        String callbackUri = (String) row[8];
        Integer bindingCode = row[7] == null ? null : ((Number) row[7]).intValue();
        Proximity proximity = null;
        if (!ProximityPolicy.OFF.wireName.equals(row[11])) {
            proximity = proximityCheck.classify(ipAddress, phoneAddress);
            entities.createNativeQuery("UPDATE mobile_auth_transaction SET proximity = ?2 WHERE transaction_id = ?1")
                    .setParameter(1, transactionId).setParameter(2, proximity.wireName()).executeUpdate();
        }
        MobileAuthMessage message = messageFor(transactionId, session.userId(), (String) row[1], (String) row[2],
                (String) row[3], (String) row[9], (String) row[4], ipAddress, proximity, WireValues.instant(row[6]),
                nonce, bindingCode);
        byte[] sealed = pgp.encryptAndSign(ProtocolJson.write(message), deviceCertificate, serverKeys.key());
        if (Boolean.TRUE.equals(row[10])) {
            outbox.enqueue(transactionId, clientId, callbackUri, TransactionStatus.SCANNED);
        }
        return Outcome.accepted(new SealedMessage(transactionId, Base64.getEncoder().encodeToString(sealed)));
    }

    /** An approver's fetch of a four-eyes transaction ({@link FourEyes#scan}), sealed as any other. */
    private Outcome<SealedMessage> scanFourEyes(MobileAuthSession session, PgpCertificate deviceCertificate,
                                                UUID transactionId, String codeHash) {
        String nonce = Nonce.generate(Secrets.random());
        FourEyes.Scanned scanned = fourEyes.scan(session, transactionId, codeHash, nonce,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        // Four-eyes types check no proximity (MobileAuthTypes refuses the combination).
        MobileAuthMessage message = messageFor(transactionId, session.userId(), scanned.typeName(), scanned.message(),
                scanned.secureMessage(), scanned.clientDisplayName(), scanned.userAgent(), scanned.ipAddress(), null,
                scanned.expiresAt(), nonce, null, scanned.approvals());
        byte[] sealed = pgp.encryptAndSign(ProtocolJson.write(message), deviceCertificate, serverKeys.key());
        if (scanned.callbackOnScan()) {
            outbox.enqueue(transactionId, scanned.clientId(), scanned.callbackUri(), TransactionStatus.SCANNED);
        }
        return Outcome.accepted(new SealedMessage(transactionId, Base64.getEncoder().encodeToString(sealed)));
    }

    /** The message a device is shown (flow step 6), before it is sealed. */
    MobileAuthMessage messageFor(UUID transactionId, String userId, String typeName, String text, String secureText,
                                 String clientDisplayName, String userAgent, String ipAddress, Proximity proximity,
                                 Instant expiresAt, String nonce, Integer bindingCode) {
        return messageFor(transactionId, userId, typeName, text, secureText, clientDisplayName, userAgent, ipAddress,
                proximity, expiresAt, nonce, bindingCode, null);
    }

    /** As above, with the progress of a four-eyes transaction. */
    MobileAuthMessage messageFor(UUID transactionId, String userId, String typeName, String text, String secureText,
                                 String clientDisplayName, String userAgent, String ipAddress, Proximity proximity,
                                 Instant expiresAt, String nonce, Integer bindingCode, Approvals approvals) {
        UserAgents.Description agent = UserAgents.describe(userAgent);
        return new MobileAuthMessage(MobileAuthMessage.VERSION, transactionId, userId, typeName, text, secureText,
                clientDisplayName, new RequestContext(agent.browser(), agent.operatingSystem(), ipAddress,
                        geolocation.locate(ipAddress), proximity),
                expiresAt, nonce, numberChoices(bindingCode), approvals);
    }

    /**
     * Flow steps 9-10: verifies the device's answer and moves SCANNED -> CONFIRMED or REJECTED
     * in one conditional update. A refused answer changes nothing.
     */
    @Transactional
    public Outcome<AnswerAccepted> answer(MobileAuthSession session, UUID transactionId, SealedMessage sealed) {
        PgpCertificate deviceCertificate = enrolledCertificate(session);
        Instant now = Instant.now();
        // The answer is opened first and the change made in one conditional UPDATE that also
        // checks ownership, state, expiry and nonce; the row is read only to explain a refusal.
        MobileAuthAnswer answer;
        ReceiptChain.Append receipt;
        try {
            answer = open(sealed, transactionId, deviceCertificate);
            if (!answer.transactionId().equals(transactionId) || answer.decision() == AnswerDecision.UNRECOGNIZED) {
                throw invalidAnswer("the answer does not belong to this request");
            }
            receipt = receiptOf(answer, session, deviceCertificate, transactionId, now);
        } catch (DeviceApiException refused) {
            return refuseAnswer(session, transactionId, now, refused);
        }
        boolean confirmed = answer.decision() == AnswerDecision.CONFIRMED;
        NotAuthenticatedReason denial = answer.denyReason() == DenyReason.FRAUD
                ? NotAuthenticatedReason.FRAUD_REPORTED : NotAuthenticatedReason.NOT_ACCEPTED;
        String reverseCode = String.format("%06d", Secrets.random().nextInt(1_000_000));
        // A confirmation counts only with the browser's number where the type matches numbers,
        // and only from a phone near the browser where the type requires it. Where the type asks
        // the browser for a code, an approval leaves the transaction SCANNED with the code's hash.
        String verdict = "(CASE WHEN NOT ?2 THEN 'denied' "
                + "WHEN binding_code IS NOT NULL AND binding_code <> ?3 THEN 'wrong_number' "
                + "WHEN proximity_policy = 'require' AND (proximity IS NULL "
                + "OR proximity NOT IN ('" + Proximity.SAME_ADDRESS.wireName() + "', '"
                + Proximity.SAME_NETWORK.wireName() + "')) THEN 'far' "
                + "WHEN ?13 AND duress_policy = '" + DuressPolicy.REFUSE.wireName + "' THEN 'refused' "
                + "WHEN reverse_code THEN 'code' ELSE 'confirmed' END)";
        @SuppressWarnings("unchecked")
        // The same statement records that the client will see this user in a result, which is
        // what allows it to disable the user's mobile authentication (Enrollments.disable).
        List<Object[]> changed = entities.createNativeQuery("WITH changed AS (UPDATE mobile_auth_transaction SET "
                        + "status = CASE " + verdict + " WHEN 'confirmed' THEN 'CONFIRMED' WHEN 'code' THEN 'SCANNED' "
                        + "ELSE 'REJECTED' END, "
                        + "reason = CASE " + verdict + " WHEN 'denied' THEN ?4 WHEN 'wrong_number' THEN ?9 "
                        + "WHEN 'far' THEN ?10 WHEN 'refused' THEN ?10 ELSE NULL END, "
                        + "duress = ?13, "
                        + "reason_detail = CASE " + verdict + " WHEN 'far' THEN ?11 ELSE NULL END, "
                        + "reverse_code_hash = CASE " + verdict + " WHEN 'code' THEN ?12 ELSE NULL END, "
                        + "finished_at = CASE " + verdict + " WHEN 'code' THEN CAST(NULL AS timestamptz) ELSE ?5 END "
                        + "WHERE transaction_id = ?1 AND user_id = ?6 AND device_id = ?7 AND nonce = ?8 "
                        + "AND status = 'SCANNED' AND reverse_code_hash IS NULL AND expires_at > ?5 "
                        + "AND required_approvals = 1 "
                        + "AND " + String.format(TransactionStore.USER_KEPT, "?6") + " "
                        + "RETURNING status, client_id, callback_uri, ip_address, created_at, reason, "
                        + "reverse_code_hash IS NOT NULL AS awaiting_code, duress_policy, reverse_code, "
                        + verdict + " = 'refused' AS refused_under_duress), "
                        + "seen AS (INSERT INTO client_user (client_id, user_id, first_seen_at) "
                        + "SELECT client_id, ?6, ?5 FROM changed ON CONFLICT DO NOTHING) "
                        + "SELECT status, client_id, callback_uri, ip_address, created_at, reason, awaiting_code, "
                        + "duress_policy, reverse_code, refused_under_duress FROM changed")
                .setParameter(1, transactionId).setParameter(2, confirmed)
                .setParameter(3, answer.chosenNumber() == null ? -1 : answer.chosenNumber())
                .setParameter(4, denial.wireName).setParameter(5, now)
                .setParameter(6, session.userId()).setParameter(7, session.deviceId())
                .setParameter(8, answer.nonce()).setParameter(9, NotAuthenticatedReason.INVALID_ANSWER.wireName)
                .setParameter(10, NotAuthenticatedReason.NOT_ACCEPTED.wireName)
                .setParameter(11, TransactionResult.Reason.DETAIL_PROXIMITY)
                .setParameter(12, reverseCodeHash(transactionId, reverseCode))
                .setParameter(13, session.duress())
                .getResultList();
        if (changed.isEmpty()) {
            MobileAuthTransaction transaction = MobileAuthTransaction.findById(transactionId);
            if (transaction != null && transaction.requiredApprovals > 1) {
                Outcome<AnswerAccepted> counted = fourEyes.answer(session, transactionId, answer, denial, confirmed, now);
                if (counted instanceof Outcome.Accepted<AnswerAccepted> && receipt != null) {
                    // Each approver's answer is chained to that approver, like any other answer.
                    receipts.append(receipt);
                }
                return counted;
            }
            return refuseAnswer(session, transactionId, now, invalidAnswer("the answer does not belong to this request"));
        }
        Object[] row = changed.get(0);
        receipts.append(receipt);
        TransactionStatus outcome = TransactionStatus.valueOf((String) row[0]);
        String clientId = (String) row[1];
        String ipAddress = (String) row[3];
        Subject subject = new Subject("device:" + session.deviceId(), session.userId(), session.deviceId(),
                transactionId, clientId);
        if (session.duress()) {
            audit.record(AuditType.DURESS_ANSWER, subject, (confirmed ? "confirmed" : "denied") + ", policy "
                    + row[7] + ", status " + outcome.name());
        }
        if (Boolean.TRUE.equals(row[6])) {
            // Approved; the browser has the last word. The callback only prompts the portal to
            // read the result and ask its browser for the code.
            outbox.enqueue(transactionId, clientId, (String) row[2], TransactionStatus.SCANNED, session.duress());
            return Outcome.accepted(new AnswerAccepted(TransactionStatus.SCANNED, reverseCode));
        }
        NotAuthenticatedReason reason = outcome == TransactionStatus.CONFIRMED ? null
                : NotAuthenticatedReason.fromWire((String) row[5]);
        outbox.enqueue(transactionId, clientId, (String) row[2], outcome, session.duress());
        audit.record(outcome == TransactionStatus.CONFIRMED ? AuditType.TRANSACTION_CONFIRMED : AuditType.TRANSACTION_REJECTED,
                subject, reason == null ? null : reason.wireName);
        if (reason == NotAuthenticatedReason.FRAUD_REPORTED) {
            audit.record(AuditType.FRAUD_REPORTED, subject, ipAddress == null ? null : "browser IP " + ipAddress);
            metrics.fraudReported();
        }
        metrics.outcome(outcome);
        metrics.answered(Duration.between(WireValues.instant(row[4]), now));
        if (Boolean.TRUE.equals(row[9])) {
            return Outcome.accepted(answerToApproval(Boolean.TRUE.equals(row[8]), reverseCode));
        }
        return Outcome.accepted(new AnswerAccepted(outcome));
    }

    /**
     * The receipt an answer appends ({@code docs/PROTOCOL.md}, "Receipts"): the phone's, checked
     * against the transaction, or, from a phone that sent none, one the server writes of what it
     * sent, marked unsigned. Null when the transaction is not this device's to answer, which the
     * update then refuses.
     */
    private ReceiptChain.Append receiptOf(MobileAuthAnswer answer, MobileAuthSession session,
                                          PgpCertificate deviceCertificate, UUID transactionId, Instant now) {
        MobileAuthTransaction shown = MobileAuthTransaction.findById(transactionId);
        // A four-eyes transaction has one approver per user and no one owner: its own conditional
        // update (FourEyes#answer) decides whether this user's device may answer, and each
        // approver's receipt goes to that approver's chain.
        boolean fourEyes = shown != null && shown.requiredApprovals > 1;
        if (shown == null || !fourEyes && (shown.nonce == null || !session.userId().equals(shown.userId)
                || !session.deviceId().equals(shown.deviceId))) {
            return null;
        }
        if (answer.receipt() == null) {
            ApiClient client = ApiClient.findById(shown.clientId);
            MobileAuthMessage message = messageFor(transactionId, session.userId(), shown.typeName, shown.message,
                    shown.secureMessage, client == null ? shown.clientId : client.displayName, shown.userAgent,
                    shown.ipAddress, shown.proximity == null ? null : Proximity.fromWire(shown.proximity),
                    shown.expiresAt, fourEyes ? answer.nonce() : shown.nonce, null);
            byte[] statement = ProtocolJson.write(ReceiptStatement.of(message, session.deviceId(), answer.decision(),
                    answer.denyReason(), now));
            return new ReceiptChain.Append(session.userId(), transactionId, shown.clientId, statement, null, null, now);
        }
        ReceiptCheck.Accepted accepted;
        try {
            accepted = ReceiptCheck.check(pgp, answer, deviceCertificate, transactionId, session.userId(),
                    session.deviceId());
        } catch (ReceiptCheck.Refused refused) {
            throw invalidAnswer(refused.getMessage());
        }
        if (!ReceiptCheck.matchesText(accepted.statement(), shown.message, shown.secureMessage)) {
            throw invalidAnswer("the receipt shows other text than the request");
        }
        return new ReceiptChain.Append(session.userId(), transactionId, shown.clientId, accepted.statementBytes(),
                accepted.signature(), accepted.deviceFingerprint(), now);
    }

    /**
     * Why an answer that changed nothing was refused, in this order: a transaction that is not
     * this device's, or does not exist, is not found; one already answered is handled; one no
     * longer waiting for an answer is not found; otherwise the answer itself was at fault, which
     * is audited, since a tampered or foreign answer may be an attack on this user.
     */
    private Outcome<AnswerAccepted> refuseAnswer(MobileAuthSession session, UUID transactionId, Instant now,
                                                    DeviceApiException answerAtFault) {
        MobileAuthTransaction transaction = MobileAuthTransaction.findById(transactionId);
        if (transaction != null && transaction.requiredApprovals > 1) {
            return fourEyes.refusal(session, transactionId, now, answerAtFault);
        }
        if (transaction == null || !session.userId().equals(transaction.userId)
                || !session.deviceId().equals(transaction.deviceId)) {
            throw notFound();
        }
        if (transaction.status.isTerminal() && transaction.status != TransactionStatus.EXPIRED
                && transaction.status != TransactionStatus.CANCELLED
                || transaction.status == TransactionStatus.SCANNED && transaction.reverseCodeHash != null) {
            throw new DeviceApiException(DeviceErrorCode.ALREADY_HANDLED, "This transaction was already answered");
        }
        if (transaction.status != TransactionStatus.SCANNED || !transaction.expiresAt.isAfter(now)) {
            throw notFound();
        }
        Subject subject = new Subject("device:" + session.deviceId(), session.userId(), session.deviceId(),
                transactionId, transaction.clientId);
        audit.record(AuditType.ANSWER_REFUSED, subject, answerAtFault.body().errorMessage());
        return Outcome.refused(answerAtFault.body());
    }

    MobileAuthAnswer open(SealedMessage sealed, UUID transactionId, PgpCertificate deviceCertificate) {
        if (sealed == null || !transactionId.equals(sealed.transactionId())) {
            throw invalidAnswer("the sealed message names another transaction");
        }
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(sealed.message());
        } catch (IllegalArgumentException e) {
            throw invalidAnswer("message is not base64");
        }
        PgpVerification verification = pgp.decryptAndVerify(ciphertext, serverKeys.key(), List.of(deviceCertificate));
        if (verification instanceof PgpVerification.Failed failed) {
            throw invalidAnswer("the answer failed verification: " + failed.reason());
        }
        try {
            return ProtocolJson.read(((PgpVerification.Verified) verification).payload(), MobileAuthAnswer.class);
        } catch (ProtocolFormatException e) {
            throw invalidAnswer("the answer is not a MobileAuthAnswer");
        }
    }

    private PgpCertificate enrolledCertificate(MobileAuthSession session) {
        if (session.deviceCertificate() == null) {
            if (session.disenrolledAt() != null) {
                throw new DeviceApiException(DeviceErrorCode.USER_DISENROLLED,
                        "Mobile authentication was disabled for this user on this device: enroll again");
            }
            throw new DeviceApiException(DeviceErrorCode.NOT_ENROLLED, "This user is not enrolled for mobile authentication");
        }
        return deviceCertificates.of(session.deviceCertificate());
    }

    private void checkFetchBudget(MobileAuthSession session) {
        Instant windowStart = session.failedFetchWindowStart();
        if (windowStart == null || session.failedFetches() < maxFailedFetches) {
            return;
        }
        Instant windowEnd = windowStart.plus(failedFetchWindow);
        long retryAfter = Duration.between(Instant.now(), windowEnd).toSeconds();
        if (retryAfter > 0) {
            throw new DeviceApiException(DeviceError.of(DeviceErrorCode.RATE_LIMITED,
                    "Too many failed fetches from this device"), retryAfter);
        }
    }

    /**
     * Counts a failed fetch and audits it; the caller returns its refusal so that this commits.
     * The fetch that spends the device's budget is also audited as the start of its rate
     * limiting; the fetches refused while it lasts are not (they change nothing), so a device
     * leaves at most {@code tokenserver.fetch.max-failures} + 1 events per window.
     */
    private void recordFailedFetch(MobileAuthSession session, UUID transactionId, String why) {
        Instant now = Instant.now();
        Object failures = entities.createNativeQuery("UPDATE device SET "
                        + "failed_fetches = CASE WHEN failed_fetch_window_start IS NULL OR failed_fetch_window_start <= ?2 "
                        + "THEN 1 ELSE failed_fetches + 1 END, "
                        + "failed_fetch_window_start = CASE WHEN failed_fetch_window_start IS NULL "
                        + "OR failed_fetch_window_start <= ?2 THEN ?3 ELSE failed_fetch_window_start END "
                        + "WHERE device_id = ?1 RETURNING failed_fetches")
                .setParameter(1, session.deviceId()).setParameter(2, now.minus(failedFetchWindow)).setParameter(3, now)
                .getSingleResult();
        Subject subject = new Subject("device:" + session.deviceId(), session.userId(), session.deviceId(),
                transactionId, null);
        audit.recordRefusalInTransaction(AuditType.FETCH_REFUSED, subject, why);
        if (((Number) failures).intValue() == maxFailedFetches) {
            audit.recordRefusalInTransaction(AuditType.FETCH_RATE_LIMITED, subject,
                    maxFailedFetches + " failed fetches within " + failedFetchWindow);
        }
    }

    // ---- Expiry ---------------------------------------------------------------------------------

    /**
     * Expires up to {@code batchSize} due transactions, claimed with {@code FOR UPDATE SKIP
     * LOCKED} so that nodes sweeping at once never take the same row, and queues their callbacks.
     *
     * @return how many expired
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public int expireDue(int batchSize) {
        Instant now = Instant.now();
        List<Object[]> expired = entities.createNativeQuery("WITH expired AS (UPDATE mobile_auth_transaction "
                        + "SET status = 'EXPIRED', "
                        + "reason = ?2, finished_at = expires_at WHERE transaction_id IN (SELECT transaction_id FROM "
                        + "mobile_auth_transaction WHERE status IN ('PENDING', 'SCANNED') AND expires_at <= ?1 "
                        + "ORDER BY expires_at LIMIT ?3 FOR UPDATE SKIP LOCKED) "
                        + "RETURNING transaction_id, client_id, callback_uri, user_id, device_id, duress), "
                        + "audited AS (INSERT INTO audit_event (occurred_at, event_type, actor, user_id, device_id, "
                        + "transaction_id, client_id) SELECT ?1, ?4, 'system', user_id, device_id, transaction_id, client_id "
                        + "FROM expired) "
                        + "SELECT transaction_id, client_id, callback_uri, duress FROM expired")
                .setParameter(1, now).setParameter(2, NotAuthenticatedReason.EXPIRED.wireName)
                .setParameter(3, batchSize).setParameter(4, AuditType.TRANSACTION_EXPIRED.name())
                .getResultList();
        for (Object[] row : expired) {
            // A transaction approved under duress and left waiting for its code expires flagged.
            outbox.enqueue((UUID) row[0], (String) row[1], (String) row[2], TransactionStatus.EXPIRED,
                    Boolean.TRUE.equals(row[3]));
            metrics.outcome(TransactionStatus.EXPIRED);
        }
        return expired.size();
    }

    // ---- Helpers ------------------------------------------------------------------------------

    static List<Integer> numberChoices(Integer bindingCode) {
        if (bindingCode == null) {
            return null;
        }
        List<Integer> choices = new ArrayList<>(List.of(bindingCode));
        while (choices.size() < NumberChoices.COUNT) {
            int candidate = NumberChoices.MIN + Secrets.random().nextInt(NumberChoices.MAX - NumberChoices.MIN + 1);
            if (!choices.contains(candidate)) {
                choices.add(candidate);
            }
        }
        Collections.shuffle(choices, Secrets.random());
        return choices;
    }

    /** What is stored of a reverse code: bound to its transaction, so equal codes differ. */
    static String reverseCodeHash(UUID transactionId, String code) {
        return Secrets.sha256Hex(transactionId + ":" + code);
    }

    private static boolean isIpAddress(String value) {
        if (IPV4.matcher(value).matches()) {
            return true;
        }
        if (!value.contains(":") || !IPV6.matcher(value).matches()) {
            return false;
        }
        try {
            // Only an IPv6 literal reaches this point, so no name is ever looked up.
            java.net.InetAddress.getByName(value);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static PortalApiException invalidParameter(String message) {
        return new PortalApiException(PortalErrorCode.INVALID_PARAMETER, message);
    }

    private static DeviceApiException notFound() {
        return new DeviceApiException(DeviceErrorCode.NOT_FOUND, "No such transaction, or it expired or was cancelled");
    }

    private static DeviceApiException invalidAnswer(String message) {
        return new DeviceApiException(DeviceErrorCode.INVALID_ANSWER, message);
    }
}
