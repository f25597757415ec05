package dev.qrauth.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.qrauth.protocol.device.AccessTokenResponse;
import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.device.DeviceCredentials;
import dev.qrauth.protocol.device.OtpFetchRequest;
import dev.qrauth.protocol.device.PinLoginRequest;
import dev.qrauth.protocol.device.UserRegistrationRequest;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.EnrollmentRequest;
import dev.qrauth.protocol.message.EnrollmentResponse;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.Nonce;
import dev.qrauth.protocol.message.Proximity;
import dev.qrauth.protocol.message.RequestContext;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.otp.OtpCode;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpDecoding;
import dev.qrauth.protocol.otp.OtpPayload;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.protocol.pgp.PgpVerification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process token server for SDK tests: it speaks the device API well enough for a full flow
 * and, on request, answers the next call to a path with any status and body, to produce every
 * documented error and every kind of garbage.
 */
public final class FakeTokenServer implements AutoCloseable {

    static final OpenPgp PGP = OpenPgp.withDefaultPolicy();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern USER_PATH = Pattern.compile("/device/api/v1/users/([^/]+)(/.*)?");

    record Scripted(String method, String pathSuffix, int status, String body, Duration delay) {
    }

    final PgpKey serverKey = PGP.generateKey("fake token server");
    final List<MobileAuthAnswer> answers = new CopyOnWriteArrayList<>();
    /** Each user's receipt chain as this server keeps it; tests may change it to play a dishonest server. */
    final Map<String, List<dev.qrauth.protocol.receipt.ReceiptRecord>> chains = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> pins = new CopyOnWriteArrayList<>();
    private final List<String> activationCodes = new CopyOnWriteArrayList<>();
    private final List<String> duressPinRequests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    private final ConcurrentLinkedQueue<Scripted> scripted = new ConcurrentLinkedQueue<>();
    private final Map<String, PgpCertificate> enrolled = new ConcurrentHashMap<>();
    private final Map<UUID, String> nonces = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> bindingCodes = new ConcurrentHashMap<>();
    private final Map<UUID, Proximity> proximities = new ConcurrentHashMap<>();
    private final Map<UUID, String> reverseCodes = new ConcurrentHashMap<>();
    private final Map<UUID, dev.qrauth.protocol.message.Approvals> fourEyes = new ConcurrentHashMap<>();
    private final Map<String, UUID> shortCodes = new ConcurrentHashMap<>();
    private final List<String> shortCodesReceived = new CopyOnWriteArrayList<>();
    volatile PgpKey signingKeyOverride;
    volatile UUID transactionIdOverride;
    volatile Instant expiryOverride;
    private volatile String portalName = "Example Portal";
    private volatile String message = "Log in to Example";
    private volatile String secureMessage = "From the office";
    private volatile RequestContext context = new RequestContext("Firefox 140", "Linux", "192.0.2.10", "Amsterdam, Netherlands");

    public FakeTokenServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** Every request received so far, as {@code METHOD /path}. */
    /** Any activation code is taken by this server; this is the one the tests give. */
    public static final String ACTIVATION_CODE = "K7QZ2-M4XPA-9RTWC-HD3NB";

    /**
     * {@code phone}, a client of this server, made ready: {@code userId} registered with {@code pin},
     * logged in and enrolled, ready to handle a request. Returns its profile.
     */
    public UserProfile readyPhone(UserClient phone, String userId, String pin) {
        UserProfile profile = phone.registerUser(userId, ACTIVATION_CODE, pin);
        phone.authenticateUser(profile, pin);
        phone.enrollForMobileAuth();
        return profile;
    }

    public List<String> receivedRequests() {
        return List.copyOf(requests);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next request whose method matches and whose path ends with {@code pathSuffix} gets this answer. */
    public void script(String method, String pathSuffix, int status, String body) {
        scripted.add(new Scripted(method, pathSuffix, status, body, Duration.ZERO));
    }

    public void scriptError(String method, String pathSuffix, int status, String code) {
        script(method, pathSuffix, status, "{\"error\":\"" + code + "\",\"error_message\":\"scripted\"}");
    }

    void scriptDelay(String method, String pathSuffix, Duration delay) {
        scripted.add(new Scripted(method, pathSuffix, 0, null, delay));
    }

    /** The PINs that arrived with user registrations and PIN logins, in order. */
    public List<String> pins() {
        return List.copyOf(pins);
    }

    /**
     * What arrived of duress PINs, in order: {@code register <pin>} or {@code register none} for each
     * user registration (a {@code null} or absent member being none), {@code set <pin> <token>}
     * and {@code remove <token>} for the later changes.
     */
    public List<String> duressPinRequests() {
        return List.copyOf(duressPinRequests);
    }

    /** The activation codes that arrived with user registrations, in order. */
    public List<String> activationCodes() {
        return List.copyOf(activationCodes);
    }

    /** A new OTP for a transaction the fake will serve; number matching when {@code bindingCode} is set. */
    public String newOtp(Integer bindingCode) {
        return newOtp(bindingCode, null, null);
    }

    /**
     * A new OTP whose message tells the phone {@code proximity} (unless null), and whose approval
     * answers with {@code reverseCode} for the browser (unless null), as a reverse-code type does.
     */
    public String newOtp(Integer bindingCode, Proximity proximity, String reverseCode) {
        UUID transactionId = UUID.randomUUID();
        if (bindingCode != null) {
            bindingCodes.put(transactionId, bindingCode);
        }
        if (proximity != null) {
            proximities.put(transactionId, proximity);
        }
        if (reverseCode != null) {
            reverseCodes.put(transactionId, reverseCode);
        }
        return OtpCodec.encode(new OtpPayload(transactionId, OtpCode.generate(RANDOM)));
    }

    /**
     * A new OTP of a four-eyes transaction whose message carries {@code approvals}; an approval is
     * answered as the token server does: counted ({@code SCANNED}) unless it is the last one needed.
     */
    public String newFourEyesOtp(dev.qrauth.protocol.message.Approvals approvals) {
        UUID transactionId = UUID.randomUUID();
        fourEyes.put(transactionId, approvals);
        return OtpCodec.encode(new OtpPayload(transactionId, OtpCode.generate(RANDOM)));
    }

    /**
     * A new short code (as the browser shows it, in groups) for a transaction the fake will serve
     * once, like the token server; number matching when {@code bindingCode} is set.
     */
    public String newShortCode(Integer bindingCode) {
        UUID transactionId = UUID.randomUUID();
        if (bindingCode != null) {
            bindingCodes.put(transactionId, bindingCode);
        }
        String code = dev.qrauth.protocol.otp.ShortCode.generate(RANDOM);
        shortCodes.put(code, transactionId);
        return dev.qrauth.protocol.otp.ShortCode.grouped(code);
    }

    /** The short codes that arrived with fetches, as sent. */
    public List<String> shortCodesReceived() {
        return List.copyOf(shortCodesReceived);
    }

    /** From now on, fetched messages carry these texts, as a hostile or careless server might send them. */
    public void showText(String portalName, String message, String secureMessage, RequestContext context) {
        this.portalName = portalName;
        this.message = message;
        this.secureMessage = secureMessage;
        this.context = context;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        requests.add(method + " " + path);
        byte[] body = exchange.getRequestBody().readAllBytes();
        for (Scripted next : scripted) {
            if (next.method().equals(method) && path.endsWith(next.pathSuffix()) && scripted.remove(next)) {
                if (!next.delay().isZero()) {
                    try {
                        // A server that does not answer in time: hold the request until the
                        // delay passes or the fake closes.
                        closing.await(next.delay().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    break;
                }
                respond(exchange, next.status(), next.body());
                return;
            }
        }
        try {
            route(exchange, method, path, body);
        } catch (RuntimeException e) {
            respond(exchange, 500, "{\"error\":\"INTERNAL\",\"error_message\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private void route(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        if (method.equals("POST") && path.equals("/device/api/v1/devices")) {
            json(exchange, 201, new DeviceCredentials(UUID.randomUUID(), "fake-device-secret-" + UUID.randomUUID()));
            return;
        }
        if (method.equals("POST") && path.equals("/device/api/v1/users")) {
            UserRegistrationRequest registration = ProtocolJson.read(body, UserRegistrationRequest.class);
            pins.add(registration.pin());
            activationCodes.add(registration.activationCode());
            // A member sent as null would be refused by a server that predates the duress PIN.
            boolean sent = new String(body, StandardCharsets.UTF_8).contains("\"duress_pin\"");
            duressPinRequests.add("register " + (sent ? registration.duressPin() : "none"));
        }
        if (path.equals("/device/api/v1/devices/self") || path.equals("/device/api/v1/users")) {
            respond(exchange, method.equals("POST") ? 201 : 204, method.equals("POST") ? "{\"user_id\":\"x\"}" : null);
            return;
        }
        Matcher matcher = USER_PATH.matcher(path);
        if (!matcher.matches()) {
            respond(exchange, 404, "{\"error\":\"NOT_FOUND\",\"error_message\":\"no such path\"}");
            return;
        }
        String user = java.net.URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
        String rest = matcher.group(2) == null ? "" : matcher.group(2);
        switch (method + " " + rest.replaceAll("/transactions/[^/]+/answer", "/answer")) {
            case "POST /session" -> {
                pins.add(ProtocolJson.read(body, PinLoginRequest.class).pin());
                json(exchange, 200, new AccessTokenResponse("fake-token-" + UUID.randomUUID(), "Bearer", 300));
            }
            case "DELETE /session", "DELETE " -> respond(exchange, 204, null);
            case "PUT /duress-pin" -> {
                String pin = ProtocolJson.read(body, dev.qrauth.protocol.device.DuressPinRequest.class).duressPin();
                duressPinRequests.add("set " + pin + " " + exchange.getRequestHeaders().getFirst("X-Access-Token"));
                respond(exchange, 204, null);
            }
            case "DELETE /duress-pin" -> {
                duressPinRequests.add("remove " + exchange.getRequestHeaders().getFirst("X-Access-Token"));
                respond(exchange, 204, null);
            }
            case "PUT /mobile-auth/enrollment" -> {
                EnrollmentRequest request = ProtocolJson.read(body, EnrollmentRequest.class);
                PgpCertificate certificate = PGP.readCertificate(request.deviceCertificate());
                enrolled.put(user, certificate);
                json(exchange, 200, new EnrollmentResponse(serverKey.certificate().toArmoredString(), certificate.fingerprint()));
            }
            case "POST /mobile-auth/otp" -> fetch(exchange, user, ProtocolJson.read(body, OtpFetchRequest.class));
            case "POST /mobile-auth/short-code" -> {
                String sent = ProtocolJson.read(body, dev.qrauth.protocol.device.ShortCodeFetchRequest.class).shortCode();
                shortCodesReceived.add(sent);
                UUID transactionId = sent == null ? null : shortCodes.remove(sent);
                if (transactionId == null) {
                    respond(exchange, 404, "{\"error\":\"NOT_FOUND\",\"error_message\":\"No such transaction\"}");
                } else {
                    fetch(exchange, user, transactionId);
                }
            }
            case "POST /mobile-auth/answer" -> answer(exchange, user, ProtocolJson.read(body, SealedMessage.class));
            case "GET /receipts" -> {
                Map<String, String> query = new java.util.HashMap<>();
                String raw = exchange.getRequestURI().getRawQuery();
                for (String pair : raw == null ? new String[0] : raw.split("&")) {
                    String[] parts = pair.split("=", 2);
                    query.put(parts[0], parts.length > 1 ? parts[1] : "");
                }
                long after = receiptsNeverEnd ? 0 : Long.parseLong(query.getOrDefault("after_seq", "0"));
                int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
                List<dev.qrauth.protocol.receipt.ReceiptRecord> all = chains.getOrDefault(user, List.of());
                List<dev.qrauth.protocol.receipt.ReceiptRecord> later = all.stream().filter(r -> r.seq() > after).toList();
                json(exchange, 200, new dev.qrauth.protocol.receipt.ReceiptPage(
                        later.subList(0, Math.min(limit, later.size())), receiptsNeverEnd || later.size() > limit));
            }
            default -> respond(exchange, 404, "{\"error\":\"NOT_FOUND\",\"error_message\":\"no such path\"}");
        }
    }

    private void fetch(HttpExchange exchange, String user, OtpFetchRequest request) throws IOException {
        OtpPayload payload = ((OtpDecoding.Accepted) OtpCodec.decode(request.otp())).payload();
        fetch(exchange, user, payload.transactionId());
    }

    private void fetch(HttpExchange exchange, String user, UUID requested) throws IOException {
        UUID transactionId = transactionIdOverride != null ? transactionIdOverride : requested;
        String nonce = Nonce.generate(RANDOM);
        nonces.put(requested, nonce);
        Integer binding = bindingCodes.get(requested);
        List<Integer> choices = binding == null ? null : List.of(binding, binding == 99 ? 98 : binding + 1, binding == 10 ? 11 : binding - 1);
        RequestContext shown = proximities.containsKey(requested)
                ? new RequestContext(context.browser(), context.operatingSystem(), context.ipAddress(), context.location(),
                        proximities.get(requested))
                : context;
        MobileAuthMessage message = new MobileAuthMessage(1, transactionId, user, "login", this.message,
                secureMessage, portalName, shown,
                expiryOverride != null ? expiryOverride : Instant.now().plusSeconds(120), nonce, choices,
                fourEyes.get(requested));
        PgpKey signer = signingKeyOverride != null ? signingKeyOverride : serverKey;
        byte[] sealed = PGP.encryptAndSign(ProtocolJson.write(message), enrolled.get(user), signer);
        json(exchange, 200, new SealedMessage(requested, Base64.getEncoder().encodeToString(sealed)));
    }

    private void answer(HttpExchange exchange, String user, SealedMessage sealed) throws IOException {
        PgpVerification verification = PGP.decryptAndVerify(Base64.getDecoder().decode(sealed.message()), serverKey,
                List.of(enrolled.get(user)));
        if (!(verification instanceof PgpVerification.Verified verified)) {
            respond(exchange, 422, "{\"error\":\"INVALID_ANSWER\",\"error_message\":\"verification failed\"}");
            return;
        }
        MobileAuthAnswer answer = ProtocolJson.read(verified.payload(), MobileAuthAnswer.class);
        if (!answer.nonce().equals(nonces.get(answer.transactionId()))) {
            respond(exchange, 422, "{\"error\":\"INVALID_ANSWER\",\"error_message\":\"nonce\"}");
            return;
        }
        answers.add(answer);
        if (answer.receipt() != null) {
            chain(user, answer.transactionId(), answer.receipt().statementBytes(), answer.receipt().signatureBytes(),
                    enrolled.get(user).fingerprint());
        }
        Integer binding = bindingCodes.get(answer.transactionId());
        boolean confirmed = answer.decision() == AnswerDecision.CONFIRMED
                && (binding == null || binding.equals(answer.chosenNumber()));
        String reverseCode = reverseCodes.get(answer.transactionId());
        dev.qrauth.protocol.message.Approvals approvals = fourEyes.get(answer.transactionId());
        json(exchange, 200, !confirmed ? new AnswerAccepted(TransactionStatus.REJECTED)
                : approvals != null && approvals.approvedBy().size() + 1 < approvals.required()
                ? new AnswerAccepted(TransactionStatus.SCANNED)
                : reverseCode != null ? new AnswerAccepted(TransactionStatus.SCANNED, reverseCode)
                : new AnswerAccepted(TransactionStatus.CONFIRMED));
    }

    /** When set, the receipts call answers every page with the first one and says there is more. */
    public volatile boolean receiptsNeverEnd;

    /** {@code user}'s chain, live: a test may drop, reorder or replace receipts in it. */
    public List<dev.qrauth.protocol.receipt.ReceiptRecord> receiptChain(String user) {
        return chains.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>());
    }

    /** This server's key, to countersign with in a test that plays the server. */
    public PgpKey serverKey() {
        return serverKey;
    }

    public PgpCertificate enrolledCertificate(String user) {
        return enrolled.get(user);
    }

    /** Appends a receipt to {@code user}'s chain as the token server does, countersigned with this server's key. */
    public synchronized void chain(String user, UUID transactionId, byte[] statement, byte[] signature, String fingerprint) {
        List<dev.qrauth.protocol.receipt.ReceiptRecord> chain = chains.computeIfAbsent(user,
                u -> new CopyOnWriteArrayList<>());
        String previous = chain.isEmpty() ? dev.qrauth.protocol.receipt.ChainEntry.GENESIS
                : dev.qrauth.protocol.receipt.ChainEntry.sha256Hex(chain.get(chain.size() - 1).entryBytes());
        dev.qrauth.protocol.receipt.ChainEntry entry = new dev.qrauth.protocol.receipt.ChainEntry(1, user,
                chain.size() + 1, transactionId, previous, dev.qrauth.protocol.receipt.ChainEntry.sha256Hex(statement),
                signature == null ? null : dev.qrauth.protocol.receipt.ChainEntry.sha256Hex(signature), Instant.now());
        byte[] entryBytes = ProtocolJson.write(entry);
        Base64.Encoder b64 = Base64.getEncoder();
        chain.add(new dev.qrauth.protocol.receipt.ReceiptRecord(transactionId, entry.seq(), b64.encodeToString(statement),
                signature == null ? null : b64.encodeToString(signature), signature == null ? null : fingerprint,
                b64.encodeToString(entryBytes), b64.encodeToString(PGP.signDetached(entryBytes, serverKey))));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        respond(exchange, status, new String(ProtocolJson.write(body), StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
