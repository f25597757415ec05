package dev.qrauth.sdk;

import dev.qrauth.protocol.receipt.ReceiptChainCheck;
import dev.qrauth.protocol.receipt.ReceiptPage;
import dev.qrauth.protocol.receipt.ReceiptRecord;
import dev.qrauth.protocol.receipt.ReceiptStatement;
import dev.qrauth.protocol.receipt.SignedReceipt;
import dev.qrauth.protocol.device.AccessTokenResponse;
import dev.qrauth.protocol.device.DeviceCredentials;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.EnrollmentRequest;
import dev.qrauth.protocol.message.EnrollmentResponse;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpDecoding;
import dev.qrauth.protocol.otp.ShortCode;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpFormatException;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.protocol.pgp.PgpVerification;
import dev.qrauth.sdk.internal.DeviceApiClient;
import dev.qrauth.sdk.internal.DeviceApiClient.Credentials;
import dev.qrauth.sdk.internal.MobileAuthHandler;
import dev.qrauth.sdk.internal.Vault;
import dev.qrauth.sdk.internal.Vault.DeviceRecord;
import dev.qrauth.sdk.internal.Vault.ProfileRecord;
import dev.qrauth.sdk.storage.ProfileStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The app's entry point into the SDK, one per token server: device and user registration, PIN
 * login, mobile-auth enrollment and the handling of OTP mobile-auth requests.
 *
 * <p>Create it with {@link #builder()}. Synchronous calls throw {@link SdkException} and, before
 * they do, remove the local data the error says is gone ({@code DEVICE_DEREGISTERED}: everything;
 * {@code USER_DEREGISTERED}: that profile; {@code USER_DISENROLLED}: that profile's enrollment).
 * A local store that cannot be read fails with {@code LOCAL_STORE_CORRUPT}, at {@code build()}
 * or at the call that reads it. Thread-safe. Many clients in one program (a load test's virtual
 * phones) can share one HTTP client: {@link Builder#httpClient}.
 *
 * <p>Close it when done ({@link #close()}): that ends its threads and lets go of its HTTP client.
 */
public final class UserClient implements AutoCloseable {

    /** How long an idle thread of the SDK waits for more work before it ends. */
    private static final long IDLE_THREAD_SECONDS = 60;

    /**
     * OpenPGP, set up at its first use: Bouncy Castle's policy and classes cost a short-lived
     * program (the CLI's {@code status}) a tenth of a second it does not need to spend.
     */
    private static final class Pgp {
        static final OpenPgp INSTANCE = OpenPgp.withDefaultPolicy();

        private Pgp() {
        }
    }

    private final URI serverUri;
    private final String deviceName;
    private final LocalState vault;
    private final DeviceApiClient api;
    private final ThreadPoolExecutor callbacks;
    private final AtomicBoolean handling = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Each enrolled profile's key and server certificate, parsed: reading them checks their
     * self-signatures, which costs more than a request's own decryption and signature. Used only
     * while the stored text is the same; dropped with the profile or its enrollment.
     */
    private final Map<String, EnrollmentKeys> enrollmentKeys = new ConcurrentHashMap<>();

    private record EnrollmentKeys(String armoredKey, String armoredServer, PgpKey key, PgpCertificate server) {
    }

    private UserClient(Builder builder) {
        this.serverUri = builder.serverUri;
        this.deviceName = builder.deviceName;
        this.vault = new LocalState(new Vault(builder.store));
        // Fail at once rather than at the first call: this store's secrets belong to one server.
        vault.device().ifPresent(this::requireSameServer);
        this.api = builder.httpClient != null
                ? new DeviceApiClient(builder.serverUri, builder.httpClient, builder.requestTimeout)
                : new DeviceApiClient(builder.serverUri, builder.connectTimeout, builder.requestTimeout);
        // Threads as needed, as Executors.newCachedThreadPool makes them; once closed and the last
        // request handled, the HTTP client is let go (a request in hand still needs it).
        this.callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "qrauth-sdk");
            thread.setDaemon(true);
            return thread;
        }) {
            @Override
            protected void terminated() {
                api.close();
            }
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The token server this client talks to. */
    public URI serverUri() {
        return serverUri;
    }

    // ---- Registration ---------------------------------------------------------------------------

    /** Registers this device with the server unless it already is; idempotent. */
    public synchronized void registerDevice() {
        requireOpen();
        Optional<DeviceRecord> registered = vault.device();
        if (registered.isPresent()) {
            requireSameServer(registered.get());
            return;
        }
        DeviceCredentials credentials = api.registerDevice(deviceName);
        vault.saveDevice(new DeviceRecord(serverUri.toString(), credentials.deviceId(), credentials.deviceSecret()));
    }

    /**
     * Registers {@code userId} on this device with an activation code and a new PIN, registering
     * the device first if needed. A profile of the same user is replaced.
     *
     * @throws SdkException {@code INVALID_ACTIVATION_CODE}, {@code PIN_NOT_ALLOWED}, or a network
     *                      or server error
     */
    public UserProfile registerUser(String userId, String activationCode, String pin) {
        return registerUser(userId, activationCode, pin, null);
    }

    /**
     * Registers {@code userId} as {@link #registerUser(String, String, String)} does, with a
     * duress PIN besides the PIN ({@code docs/PROTOCOL.md}, "Duress PIN"): logging in with it
     * looks exactly like logging in with the PIN, here and in everything the server sends, while
     * the server tells the portal that answers in that session were given under duress. Neither
     * PIN is kept on this device. {@code duressPin} null registers without one.
     *
     * @throws SdkException {@code PIN_NOT_ALLOWED} also for a duress PIN that breaks the PIN rules
     *                      or equals the PIN; otherwise as {@link #registerUser(String, String, String)}
     */
    public UserProfile registerUser(String userId, String activationCode, String pin, String duressPin) {
        Objects.requireNonNull(userId, "userId == null");
        Objects.requireNonNull(activationCode, "activationCode == null");
        Objects.requireNonNull(pin, "pin == null");
        requireOpen();
        registerDevice();
        call(null, () -> {
            api.registerUser(credentials(), userId, activationCode, pin, duressPin);
            return null;
        });
        vault.saveProfile(ProfileRecord.registered(userId));
        return new UserProfile(userId);
    }

    /** The profiles registered on this device. */
    public List<UserProfile> userProfiles() {
        requireOpen();
        return vault.profiles().stream().map(p -> new UserProfile(p.userId())).toList();
    }

    /** Whether the device is registered with the server (as far as this device knows). */
    public boolean isDeviceRegistered() {
        requireOpen();
        return vault.device().isPresent();
    }

    /** The device id the server gave this device, if registered. */
    public Optional<java.util.UUID> deviceId() {
        requireOpen();
        return vault.device().map(DeviceRecord::deviceId);
    }

    // ---- Login ------------------------------------------------------------------------------------

    /**
     * Logs {@code profile} in with its PIN; the session lasts as long as the server says
     * (five minutes by default) and survives restarts of the app.
     *
     * @throws SdkException {@code INVALID_PIN} with the attempts left; {@code USER_DEREGISTERED}
     *                      after too many wrong PINs (the profile is then removed here too)
     */
    public void authenticateUser(UserProfile profile, String pin) {
        Objects.requireNonNull(pin, "pin == null");
        requireOpen();
        ProfileRecord record = requireProfile(profile);
        AccessTokenResponse token = call(record.userId(), () -> api.login(credentials(), record.userId(), pin));
        synchronized (vault) {
            vault.saveProfile(existing(record.userId())
                    .withSession(token.accessToken(), Instant.now().plusSeconds(token.expiresIn())));
        }
    }

    /**
     * Sets or replaces the duress PIN of {@code profile}, which must be logged in
     * ({@code docs/PROTOCOL.md}, "Duress PIN"). In a session opened with the duress PIN the server
     * answers as usual but changes nothing, so this returns normally either way.
     *
     * @throws SdkException {@code USER_NOT_AUTHENTICATED} when the profile has no session (nothing
     *                      is sent); {@code PIN_NOT_ALLOWED} for a duress PIN that breaks the PIN
     *                      rules or equals the PIN; a network or server error
     */
    public void setDuressPin(UserProfile profile, String duressPin) {
        Objects.requireNonNull(duressPin, "duressPin == null");
        requireOpen();
        ProfileRecord record = loggedIn(profile);
        call(record.userId(), () -> {
            api.setDuressPin(credentials(), record.userId(), record.accessToken(), duressPin);
            return null;
        });
    }

    /**
     * Removes the duress PIN of {@code profile}, which must be logged in; nothing happens when it
     * has none. As with {@link #setDuressPin}, a session opened with the duress PIN changes nothing.
     *
     * @throws SdkException {@code USER_NOT_AUTHENTICATED} when the profile has no session (nothing
     *                      is sent); a network or server error
     */
    public void removeDuressPin(UserProfile profile) {
        requireOpen();
        ProfileRecord record = loggedIn(profile);
        call(record.userId(), () -> {
            api.removeDuressPin(credentials(), record.userId(), record.accessToken());
            return null;
        });
    }

    /** The profile's record when it has a live session; else USER_NOT_AUTHENTICATED. */
    private ProfileRecord loggedIn(UserProfile profile) {
        ProfileRecord record = requireProfile(profile);
        if (!record.hasSessionAt(Instant.now())) {
            throw new SdkException(SdkErrorCode.USER_NOT_AUTHENTICATED, record.userId() + " is not logged in");
        }
        return record;
    }

    /** The profile with a live session, the most recently used if several; empty when none. */
    public Optional<UserProfile> authenticatedUserProfile() {
        requireOpen();
        return sessionRecord().map(p -> new UserProfile(p.userId()));
    }

    private Optional<ProfileRecord> sessionRecord() {
        Instant now = Instant.now();
        return vault.profiles().stream()
                .filter(p -> p.hasSessionAt(now))
                .max(Comparator.comparing(ProfileRecord::lastUsedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    /** Ends the session of the logged-in profile, here and on the server when it can be reached. */
    public void logout() {
        requireOpen();
        Optional<UserProfile> current = authenticatedUserProfile();
        if (current.isEmpty()) {
            return;
        }
        ProfileRecord record = vault.profile(current.get().userId()).orElseThrow();
        try {
            call(record.userId(), () -> {
                api.logout(credentials(), record.userId(), record.accessToken());
                return null;
            });
        } catch (SdkException e) {
            if (e.code() == SdkErrorCode.DEVICE_DEREGISTERED || e.code() == SdkErrorCode.USER_DEREGISTERED) {
                return;
            }
        }
        vault.profile(record.userId()).ifPresent(p -> vault.saveProfile(p.withoutSession()));
    }

    // ---- Enrollment -------------------------------------------------------------------------------

    /** Whether {@code profile} has enrolled for mobile authentication on this device. */
    public boolean isUserEnrolledForMobileAuth(UserProfile profile) {
        requireOpen();
        return vault.profile(profile.userId()).map(ProfileRecord::isEnrolled).orElse(false);
    }

    /**
     * Enrolls the logged-in profile for mobile authentication: generates its OpenPGP key here,
     * sends the public certificate, and keeps the server's certificate. Enrolling again replaces
     * the key.
     *
     * @throws SdkException {@code USER_NOT_AUTHENTICATED} when nobody is logged in
     */
    public void enrollForMobileAuth() {
        requireOpen();
        ProfileRecord record = sessionProfile();
        PgpKey key = Pgp.INSTANCE.generateKey("qrauth device " + record.userId());
        EnrollmentResponse response = call(record.userId(), () -> api.enroll(credentials(), record.userId(),
                record.accessToken(), new EnrollmentRequest(key.certificate().toArmoredString())));
        PgpCertificate server;
        try {
            server = Pgp.INSTANCE.readCertificate(response.serverCertificate());
        } catch (PgpFormatException e) {
            throw new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE, "The server's certificate is not acceptable");
        }
        if (!key.fingerprint().equals(response.deviceKeyFingerprint())) {
            throw new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE, "The server recorded another key");
        }
        String armoredKey = key.toArmoredSecret();
        String armoredServer = server.toArmoredString();
        synchronized (vault) {
            vault.saveProfile(existing(record.userId()).withEnrollment(armoredKey, key.fingerprint(), armoredServer));
            enrollmentKeys.put(record.userId(), new EnrollmentKeys(armoredKey, armoredServer, key, server));
        }
    }

    // ---- Mobile authentication ------------------------------------------------------------------

    /**
     * Whether {@code otp} is an OTP this SDK can handle: a pure, strict check of its format
     * ({@code docs/PROTOCOL.md}, "The OTP") that makes no network call and never throws.
     */
    public boolean canHandleOtpMobileAuthRequest(String otp) {
        return OtpCodec.decode(otp).isAccepted();
    }

    /**
     * Handles a scanned OTP for the logged-in profile: fetches and verifies the request, asks
     * {@code delegate} for the user's answer, and delivers it. Returns at once; everything else
     * happens on SDK threads, as {@link MobileAuthRequestDelegate} describes. Every failure,
     * also one before there is a request to show (nobody logged in: {@code USER_NOT_AUTHENTICATED}),
     * reaches {@link MobileAuthRequestDelegate#didFailToHandleMobileAuthRequest}.
     */
    public void handleOtpMobileAuthRequest(String otp, MobileAuthRequestDelegate delegate) {
        Objects.requireNonNull(delegate, "delegate == null");
        requireOpen();
        OtpDecoding decoding = OtpCodec.decode(otp);
        if (!(decoding instanceof OtpDecoding.Accepted accepted)) {
            fail(delegate, new SdkException(SdkErrorCode.NOT_HANDLEABLE, "This is not an OTP this app can handle"));
            return;
        }
        if (!handling.compareAndSet(false, true)) {
            fail(delegate, new SdkException(SdkErrorCode.ACTION_ALREADY_IN_PROGRESS,
                    "Another request is being handled"));
            return;
        }
        try {
            callbacks.execute(new MobileAuthHandler(otp, accepted.payload(),
                    delegate, this::prepare, this::deliver, () -> handling.set(false)));
        } catch (RejectedExecutionException e) {
            handling.set(false);
            throw closedMeanwhile(e);
        }
    }

    /**
     * Whether {@code typed} is a short code this SDK can handle ({@code docs/PROTOCOL.md}, "The
     * short code"): case, spaces and dashes do not matter. Pure, makes no network call, never throws.
     */
    public boolean canHandleShortCodeMobileAuthRequest(String typed) {
        return ShortCode.isShortCode(typed);
    }

    /**
     * Handles a short code the user typed instead of scanning (the portal shows it under the QR
     * code), exactly as {@link #handleOtpMobileAuthRequest} handles a scanned OTP, with the same
     * delegate calls. Case, spaces and dashes in {@code typed} are ignored; anything else that is
     * not a short code fails with {@code NOT_HANDLEABLE} without a network call. A wrong code
     * fails with {@code NOT_FOUND} and counts against the device's budget of failed fetches.
     */
    public void handleShortCodeMobileAuthRequest(String typed, MobileAuthRequestDelegate delegate) {
        Objects.requireNonNull(delegate, "delegate == null");
        requireOpen();
        String shortCode = ShortCode.normalize(typed).orElse(null);
        if (shortCode == null) {
            fail(delegate, new SdkException(SdkErrorCode.NOT_HANDLEABLE, "This is not a short code: "
                    + ShortCode.LENGTH + " letters and digits, such as " + ShortCode.grouped("K7QM4XRT9BHN3PWZ")));
            return;
        }
        if (!handling.compareAndSet(false, true)) {
            fail(delegate, new SdkException(SdkErrorCode.ACTION_ALREADY_IN_PROGRESS,
                    "Another request is being handled"));
            return;
        }
        try {
            callbacks.execute(new MobileAuthHandler(() -> prepare(record ->
                    api.fetchByShortCode(credentials(), record.userId(), record.accessToken(), shortCode), null),
                    delegate, this::deliver, () -> handling.set(false)));
        } catch (RejectedExecutionException e) {
            handling.set(false);
            throw closedMeanwhile(e);
        }
    }

    /** A failure before there is a request: reported like every failure, with no request. */
    private void fail(MobileAuthRequestDelegate delegate, SdkException error) {
        try {
            callbacks.execute(() -> {
                try {
                    delegate.didFailToHandleMobileAuthRequest(null, null, error);
                } catch (RuntimeException ignored) {
                    // The contract says delegate exceptions are caught.
                }
            });
        } catch (RejectedExecutionException e) {
            throw closedMeanwhile(e);
        }
    }

    /** Fetch and verify, for the handler: returns the request and what the answer needs. */
    private MobileAuthHandler.Prepared prepare(String otp, java.util.UUID transactionId) {
        return prepare(record -> api.fetch(credentials(), record.userId(), record.accessToken(), otp), transactionId);
    }

    /**
     * Fetch with {@code fetch} and verify; {@code expectedTransactionId} null when only the
     * server's answer names the transaction (a short code).
     */
    private MobileAuthHandler.Prepared prepare(java.util.function.Function<ProfileRecord, SealedMessage> fetch,
                                               java.util.UUID expectedTransactionId) {
        ProfileRecord record = sessionProfile();
        if (!record.isEnrolled()) {
            throw new SdkException(SdkErrorCode.NOT_ENROLLED, "Enroll for mobile authentication first");
        }
        SealedMessage sealed = call(record.userId(), () -> fetch.apply(record));
        java.util.UUID transactionId = expectedTransactionId != null ? expectedTransactionId : sealed.transactionId();
        EnrollmentKeys keys = enrollmentKeys(record);
        PgpKey key = keys.key();
        PgpCertificate server = keys.server();
        MobileAuthMessage message = open(sealed, key, server);
        if (!message.transactionId().equals(transactionId) || !sealed.transactionId().equals(transactionId)
                || !message.userId().equals(record.userId())) {
            throw new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE, "The server sent a message for another request");
        }
        if (!message.expiresAt().isAfter(Instant.now())) {
            throw new SdkException(SdkErrorCode.NOT_FOUND, "The request has expired");
        }
        MobileAuthRequest request = new MobileAuthRequest(new UserProfile(record.userId()), message.type(),
                message.message(), message.transactionId(), message.secureMessage(), message.portalName(),
                message.context().browser(), message.context().operatingSystem(), message.context().ipAddress(),
                message.context().location(), message.expiresAt(), message.numberChoices(),
                message.context().proximity(), message.approvals());
        return new MobileAuthHandler.Prepared(request, message, key, server);
    }

    /** The profile's parsed key and server certificate, parsed again only when the stored text changed. */
    private EnrollmentKeys enrollmentKeys(ProfileRecord record) {
        EnrollmentKeys cached = enrollmentKeys.get(record.userId());
        if (cached != null && cached.armoredKey().equals(record.privateKey())
                && cached.armoredServer().equals(record.serverCertificate())) {
            return cached;
        }
        EnrollmentKeys parsed = new EnrollmentKeys(record.privateKey(), record.serverCertificate(),
                Pgp.INSTANCE.readKey(record.privateKey()), Pgp.INSTANCE.readCertificate(record.serverCertificate()));
        enrollmentKeys.put(record.userId(), parsed);
        return parsed;
    }

    private static MobileAuthMessage open(SealedMessage sealed, PgpKey key, PgpCertificate server) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.message());
        } catch (IllegalArgumentException e) {
            throw new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE, "The server's message is not base64");
        }
        PgpVerification verification = Pgp.INSTANCE.decryptAndVerify(bytes, key, List.of(server));
        if (verification instanceof PgpVerification.Failed failed) {
            throw new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE,
                    "The server's message failed verification: " + failed.reason());
        }
        try {
            return ProtocolJson.read(((PgpVerification.Verified) verification).payload(), MobileAuthMessage.class);
        } catch (ProtocolFormatException e) {
            throw new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE, "The server's message is not a mobile-auth message");
        }
    }

    /** Seal and send the answer, for the handler: returns what the server said. */
    private dev.qrauth.protocol.device.AnswerAccepted deliver(MobileAuthHandler.Prepared prepared,
                                      dev.qrauth.protocol.message.MobileAuthAnswer answer) {
        String userId = prepared.request().userProfile().userId();
        ProfileRecord record = vault.profile(userId).filter(p -> p.hasSessionAt(Instant.now()))
                .orElseThrow(() -> new SdkException(SdkErrorCode.USER_NOT_AUTHENTICATED,
                        "The session of " + userId + " ended before the answer was sent"));
        // The receipt of what was shown and decided, signed with the enrollment key and kept
        // before it is sent: an answer the server applied is then always among the phone's own.
        byte[] statement = ProtocolJson.write(ReceiptStatement.of(prepared.message(), credentials().deviceId(),
                answer.decision(), answer.denyReason(), Instant.now()));
        SignedReceipt receipt = SignedReceipt.of(statement, Pgp.INSTANCE.signDetached(statement, prepared.key()));
        synchronized (vault) {
            vault.addReceipt(userId, receipt);
        }
        dev.qrauth.protocol.message.MobileAuthAnswer withReceipt = answer.withReceipt(receipt);
        byte[] sealed = Pgp.INSTANCE.encryptAndSign(ProtocolJson.write(withReceipt), prepared.server(), prepared.key());
        SealedMessage body = new SealedMessage(answer.transactionId(), Base64.getEncoder().encodeToString(sealed));
        return call(record.userId(), () -> api.answer(credentials(), record.userId(), record.accessToken(),
                answer.transactionId(), body));
    }

    // ---- Receipts -----------------------------------------------------------------------------------

    /** Entries the SDK asks for at a time: small enough that a page stays far below the size the SDK reads. */
    static final int RECEIPT_PAGE = 20;
    // At most this many entries are read from the server for one check (a chain of a million
    // answers is a phone in use for decades; more is a server that does not stop).
    static final int MAX_CHAIN = 1_000_000;

    /**
     * The receipts this phone signed for {@code profile}, oldest first, the newest
     * {@value dev.qrauth.sdk.internal.Vault#MAX_RECEIPTS} at most ({@code docs/PROTOCOL.md}, "Receipts").
     */
    public List<SignedReceipt> storedReceipts(UserProfile profile) {
        requireOpen();
        return vault.receipts(requireProfile(profile).userId());
    }

    /**
     * Reads the logged-in {@code profile}'s whole receipt chain from the server and checks it
     * ({@link ReceiptChainCheck}) against the server certificate this phone got at enrollment,
     * its own enrollment certificate and the receipts it keeps. Needs a live session and an
     * enrollment (USER_NOT_AUTHENTICATED, NOT_ENROLLED).
     */
    public ReceiptHistory receiptHistory(UserProfile profile) {
        requireOpen();
        ProfileRecord record = loggedIn(profile);
        if (!record.isEnrolled()) {
            throw new SdkException(SdkErrorCode.NOT_ENROLLED, "Enroll for mobile authentication first");
        }
        List<ReceiptRecord> chain = new ArrayList<>();
        long after = 0;
        while (true) {
            long from = after;
            ReceiptPage page = call(record.userId(), () -> api.receipts(credentials(), record.userId(),
                    record.accessToken(), from, RECEIPT_PAGE));
            chain.addAll(page.receipts());
            if (!page.more() || page.receipts().isEmpty()) {
                break;
            }
            long last = page.receipts().get(page.receipts().size() - 1).seq();
            if (last <= after || chain.size() > MAX_CHAIN) {
                // The server is the party checked: a page that does not move on, or a chain
                // without end, ends the reading, and the check judges what was read.
                break;
            }
            after = last;
        }
        EnrollmentKeys keys = enrollmentKeys(record);
        Map<java.util.UUID, SignedReceipt> own = new HashMap<>();
        for (SignedReceipt receipt : vault.receipts(record.userId())) {
            try {
                own.put(receipt.parsedStatement().transactionId(), receipt);
            } catch (dev.qrauth.protocol.json.ProtocolFormatException e) {
                // Only this SDK writes them; one it cannot read is simply not counted as signed.
            }
        }
        ReceiptChainCheck.Report report = new ReceiptChainCheck(Pgp.INSTANCE, keys.server(),
                List.of(keys.key().certificate()), own, own.size() >= Vault.MAX_RECEIPTS).check(chain, 0);
        return new ReceiptHistory(chain, report, record.serverCertificate());
    }

    // ---- Deregistration ---------------------------------------------------------------------------

    /** Removes {@code profile} from this device, on the server too when it is logged in. */
    public void deregisterUser(UserProfile profile) {
        requireOpen();
        ProfileRecord record = requireProfile(profile);
        if (record.hasSessionAt(Instant.now())) {
            try {
                call(record.userId(), () -> {
                    api.leave(credentials(), record.userId(), record.accessToken());
                    return null;
                });
            } catch (SdkException e) {
                if (e.code() == SdkErrorCode.NETWORK_CONNECTIVITY_FAILURE || e.code() == SdkErrorCode.SERVER_NOT_REACHABLE) {
                    throw e;
                }
            }
        }
        vault.deleteProfile(record.userId());
        enrollmentKeys.remove(record.userId());
    }

    /** Deregisters this device on the server and removes all local data. */
    public void deregisterDevice() {
        requireOpen();
        if (vault.device().isEmpty()) {
            return;
        }
        try {
            call(null, () -> {
                api.deregisterDevice(credentials());
                return null;
            });
        } catch (SdkException e) {
            if (e.code() != SdkErrorCode.DEVICE_DEREGISTERED) {
                throw e;
            }
        }
        vault.wipe();
        enrollmentKeys.clear();
    }

    // ---- Closing ----------------------------------------------------------------------------------

    /**
     * Ends this client: every later call fails with an {@link IllegalStateException} (apart from
     * {@link #serverUri()} and the pure checks {@code canHandle...}), and a second close does
     * nothing. Returns at once. A mobile-auth request already being handled is not cut short: it
     * ends on its thread as {@link MobileAuthRequestDelegate} describes. Then the SDK's threads
     * end, and the HTTP client this client built is let go: closed where the Java runtime can
     * close one (21 and later); on Java 17, which has no way to close it, left to be collected,
     * after which its selector thread ends. An HTTP client given with {@link Builder#httpClient}
     * belongs to the caller and is never closed. The local store needs no closing.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            callbacks.shutdown();
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("This UserClient is closed");
        }
    }

    /** A handler refused by the executor: only ever because the client was closed meanwhile. */
    private static IllegalStateException closedMeanwhile(RejectedExecutionException e) {
        return new IllegalStateException("This UserClient is closed", e);
    }

    // ---- Helpers ----------------------------------------------------------------------------------

    private Credentials credentials() {
        DeviceRecord device = vault.device().orElseThrow(() -> new SdkException(SdkErrorCode.DEVICE_DEREGISTERED,
                "This device is not registered"));
        requireSameServer(device);
        return new Credentials(device.deviceId(), device.deviceSecret());
    }

    /**
     * The device secret, the PIN and the tokens go only to the server the device registered
     * with, as recorded in the sealed device record: a changed or edited server address is
     * refused before anything is sent.
     */
    private void requireSameServer(DeviceRecord device) {
        if (!sameServer(device.server(), serverUri)) {
            throw new SdkException(SdkErrorCode.SERVER_MISMATCH, "This device is registered with " + device.server()
                    + ", not " + serverUri + "; nothing was sent");
        }
    }

    private static boolean sameServer(String recorded, URI server) {
        try {
            return recorded != null && new URI(recorded).normalize().equals(server.normalize());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** The stored profile, never a stale copy: one removed meanwhile stays removed. */
    private ProfileRecord existing(String userId) {
        return vault.profile(userId).orElseThrow(() -> new SdkException(SdkErrorCode.USER_DEREGISTERED,
                "The profile was removed meanwhile"));
    }

    private ProfileRecord requireProfile(UserProfile profile) {
        Objects.requireNonNull(profile, "profile == null");
        return vault.profile(profile.userId()).orElseThrow(() -> new SdkException(SdkErrorCode.USER_DEREGISTERED,
                "No such profile on this device"));
    }

    private ProfileRecord sessionProfile() {
        return sessionRecord().orElseThrow(() -> new SdkException(SdkErrorCode.USER_NOT_AUTHENTICATED,
                "No user is logged in"));
    }

    /** Runs a server call and applies the local clean-up its error demands before rethrowing. */
    private <T> T call(String userId, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            synchronized (vault) {
                cleanUp(userId, e);
            }
            throw e;
        }
    }

    private void cleanUp(String userId, SdkException e) {
        switch (e.code()) {
            case DEVICE_DEREGISTERED -> {
                vault.wipe();
                enrollmentKeys.clear();
            }
            case USER_DEREGISTERED -> {
                if (userId != null) {
                    vault.deleteProfile(userId);
                    enrollmentKeys.remove(userId);
                }
            }
            case USER_DISENROLLED -> {
                if (userId != null) {
                    vault.profile(userId).ifPresent(p -> vault.saveProfile(p.withoutEnrollment()));
                    enrollmentKeys.remove(userId);
                }
            }
            case USER_NOT_AUTHENTICATED -> {
                if (userId != null) {
                    vault.profile(userId).ifPresent(p -> vault.saveProfile(p.withoutSession()));
                }
            }
            default -> {
            }
        }
    }

    /** Builds a {@link UserClient}; every argument is checked when it is given. */
    public static final class Builder {
        private URI serverUri;
        private ProfileStore store;
        private String deviceName = "qrauth device";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private boolean connectTimeoutGiven;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private HttpClient httpClient;

        private Builder() {
        }

        /** The token server's base URI, such as {@code https://auth.example.com}; http or https. */
        public Builder serverUri(URI serverUri) {
            Objects.requireNonNull(serverUri, "serverUri == null");
            String scheme = serverUri.getScheme();
            if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("serverUri must be http or https: " + serverUri);
            }
            if (serverUri.getHost() == null) {
                throw new IllegalArgumentException("serverUri has no host: " + serverUri);
            }
            if ("http".equalsIgnoreCase(scheme) && !isLoopback(serverUri.getHost())) {
                // The PIN, the device secret and tokens travel in these requests.
                throw new IllegalArgumentException("serverUri must be https unless it is this machine: " + serverUri);
            }
            this.serverUri = serverUri;
            return this;
        }

        /**
         * Exactly {@code localhost}, an IPv4 literal in 127.0.0.0/8, or the IPv6 literal {@code ::1}.
         * A name that merely starts like one ({@code 127.0.0.1.attacker.example}) is not: it is
         * parsed, never looked up.
         */
        static boolean isLoopback(String host) {
            if (host.equalsIgnoreCase("localhost")) {
                return true;
            }
            java.util.regex.Matcher ipv4 = IPV4.matcher(host);
            if (ipv4.matches()) {
                for (int octet = 1; octet <= 4; octet++) {
                    if (Integer.parseInt(ipv4.group(octet)) > 255) {
                        return false;
                    }
                }
                return ipv4.group(1).equals("127");
            }
            if (host.length() > 2 && host.startsWith("[") && host.endsWith("]")) {
                String literal = host.substring(1, host.length() - 1);
                if (!literal.contains(":") || !IPV6.matcher(literal).matches()) {
                    return false;
                }
                try {
                    // Only hex digits, colons and dots, in brackets: parsed as an IPv6 literal, or
                    // refused; never looked up as a name.
                    return java.net.InetAddress.getByName(host).isLoopbackAddress();
                } catch (java.net.UnknownHostException e) {
                    return false;
                }
            }
            return false;
        }

        private static final java.util.regex.Pattern IPV4 =
                java.util.regex.Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
        private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");

        /** Where the SDK keeps its state, such as a {@link dev.qrauth.sdk.storage.DirectoryStore}. */
        public Builder store(ProfileStore store) {
            this.store = Objects.requireNonNull(store, "store == null");
            return this;
        }

        /** The name this device registers under, shown to administrators. */
        public Builder deviceName(String deviceName) {
            Objects.requireNonNull(deviceName, "deviceName == null");
            if (deviceName.isBlank() || deviceName.length() > 100) {
                throw new IllegalArgumentException("deviceName must be 1 to 100 characters");
            }
            this.deviceName = deviceName;
            return this;
        }

        /** How long to wait for a connection; 5 seconds by default. Not with {@link #httpClient}. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            this.connectTimeoutGiven = true;
            return this;
        }

        /**
         * An HTTP client to send with instead of one of this {@code UserClient}'s own, so that many
         * clients in one program (a load test's virtual phones, an app with profiles on several
         * servers) share one connection pool and one set of I/O threads rather than each holding
         * its own. Its settings apply (connect timeout, HTTP version, TLS, proxy); the SDK never
         * closes it. It must not follow redirects ({@link HttpClient.Redirect#NEVER}, the JDK's
         * default): the device API never redirects, and following one could send the device's
         * credentials elsewhere. By default each {@code UserClient} builds its own client with
         * {@link #connectTimeout}.
         *
         * @throws IllegalArgumentException when {@code http} follows redirects
         */
        public Builder httpClient(HttpClient http) {
            Objects.requireNonNull(http, "http == null");
            if (http.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("httpClient must not follow redirects (HttpClient.Redirect.NEVER)");
            }
            this.httpClient = http;
            return this;
        }

        /** How long to wait for an answer; 10 seconds by default. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name + " == null");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }

        public UserClient build() {
            if (serverUri == null) {
                throw new IllegalStateException("serverUri is required");
            }
            if (store == null) {
                throw new IllegalStateException("store is required");
            }
            if (httpClient != null && connectTimeoutGiven) {
                throw new IllegalStateException("connectTimeout does not apply to a given httpClient: set it on that client");
            }
            return new UserClient(this);
        }
    }
}
