package dev.qrauth.portal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.otp.OtpCode;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpPayload;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.TransactionResult;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scriptable stand-in for the token server's portal API, on a free loopback port: it issues
 * transactions, serves whatever result a test sets, and can be made slow, failing or absent.
 */
public final class FakeTokenServer implements QuarkusTestResourceLifecycleManager {

    static final String CLIENT_ID = "test-portal-client";
    static final String CLIENT_SECRET = "test-portal-client-secret";
    private static final String AUTHORIZATION = new BasicCredentials(CLIENT_ID, CLIENT_SECRET).header();

    private static volatile FakeTokenServer instance;

    /** One transaction as the fake knows it. */
    public static final class Transaction {
        final UUID id;
        final Map<String, String> initiation;
        volatile String otp;
        /** Every OTP this transaction showed, frame by frame (one for a code that does not rotate). */
        final List<String> otps = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile Integer rotationSeconds;
        volatile int frame;
        volatile Instant frameAt = Instant.now();
        final AtomicInteger frameCalls = new AtomicInteger();
        final Instant expiresAt;
        final Integer bindingCode;
        volatile String shortCode;
        final AtomicInteger reads = new AtomicInteger();
        volatile TransactionStatus status = TransactionStatus.PENDING;
        volatile String userId;
        volatile String reason;
        volatile String detail;
        volatile String reverseCode;
        volatile boolean duress;
        final Instant createdAt = Instant.now();
        final AtomicInteger reverseCodeAttemptsLeft = new AtomicInteger(3);
        final List<String> codesSubmitted = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Of a four-eyes transaction (initiated with approvers): the users who approved so far. */
        final List<String> approvedBy = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile Integer requiredApprovals;
        /** The receipt the token server gives for this transaction, or null (3004). */
        volatile dev.qrauth.protocol.receipt.ReceiptRecord receipt;

        Transaction(UUID id, Map<String, String> initiation, String otp, Instant expiresAt, Integer bindingCode) {
            this.id = id;
            this.initiation = initiation;
            this.otp = otp;
            this.otps.add(otp);
            this.expiresAt = expiresAt;
            this.bindingCode = bindingCode;
        }

        public UUID id() {
            return id;
        }

        public String otp() {
            return otp;
        }

        public String shortCode() {
            return shortCode;
        }

        /** The OTPs of every frame so far, the current one last. */
        public List<String> otps() {
            return List.copyOf(otps);
        }

        /** Calls of the frame endpoint for this transaction. */
        public int frameCalls() {
            return frameCalls.get();
        }

        public String param(String name) {
            return initiation.get(name);
        }

        public int reads() {
            return reads.get();
        }

        public Integer bindingCode() {
            return bindingCode;
        }

        /**
         * The phone answers in a session opened with its user's duress PIN: from now on the result
         * carries {@code duress: true}. Call it before the answer ({@code underDuress().confirmedBy(...)}),
         * so no read sees the answer without the flag. A type whose policy is {@code refuse} makes
         * an approval under duress {@code rejectedBy(user, "not_accepted")}.
         */
        public Transaction underDuress() {
            duress = true;
            return this;
        }

        /** The phone fetched the request. */
        /** From now on the token server gives {@code record} as this transaction's receipt. */
        public void receipt(dev.qrauth.protocol.receipt.ReceiptRecord record) {
            receipt = record;
        }

        public void scanned() {
            status = TransactionStatus.SCANNED;
        }

        /** The phone of {@code user} confirmed. */
        public void confirmedBy(String user) {
            userId = user;
            status = TransactionStatus.CONFIRMED;
        }

        /** The phone of {@code user} denied, for {@code why} ({@code not_accepted}, {@code fraud_reported}...). */
        public void rejectedBy(String user, String why) {
            userId = user;
            reason = why;
            status = TransactionStatus.REJECTED;
        }

        /** The phone of {@code user} approved a reverse-code type and shows {@code code}. */
        public void approvedWithReverseCode(String user, String code) {
            userId = user;
            reverseCode = code;
            status = TransactionStatus.SCANNED;
        }

        /** The token server refused {@code user}'s approval for {@code detail} ({@code proximity}...). */
        public void refusedFor(String user, String why, String detail) {
            userId = user;
            reason = why;
            this.detail = detail;
            status = TransactionStatus.REJECTED;
        }

        /**
         * A four-eyes transaction: {@code user} approved, which confirms it once
         * {@code required} users have; the first approver is then its user.
         */
        public void approvedBy(String user, int required) {
            requiredApprovals = required;
            approvedBy.add(user);
            if (approvedBy.size() >= required) {
                userId = approvedBy.get(0);
                status = TransactionStatus.CONFIRMED;
            } else {
                status = TransactionStatus.SCANNED;
            }
        }

        public List<String> codesSubmitted() {
            return codesSubmitted;
        }

        public void expired() {
            status = TransactionStatus.EXPIRED;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final List<Transaction> transactions = new ArrayList<>();
    private final Map<UUID, Transaction> byId = new ConcurrentHashMap<>();
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unknownReads = new AtomicInteger();
    private final Set<String> numberMatchingTypes = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> rotatingTypes = new ConcurrentHashMap<>();
    private volatile Set<String> allowedCallbackUris = Set.of();
    private final AtomicInteger callbackUriChecks = new AtomicInteger();
    /** Whether checks of the callback URI go unanswered; see {@link #UNANSWERED_CHECKS}. */
    private volatile boolean checksUnanswered;
    private volatile Duration delay = Duration.ZERO;
    private volatile Duration timeToLive = Duration.ofMinutes(2);
    private volatile int failWithStatus;
    private volatile int failInitiationsWithStatus;
    /** Counts resets, so a slow request that began before one cannot leave a transaction after it. */
    private volatile int epoch;
    private HttpServer server;
    private ExecutorService executor;
    private int port;

    /**
     * The init argument ({@code "true"}) of a fake that leaves every check of the callback URI
     * unanswered from its start until {@link #answerCallbackUriChecks()}, as a token server that
     * is not up yet: the portal's check at start then waits for the test.
     */
    static final String UNANSWERED_CHECKS = "unanswered-callback-uri-checks";

    static FakeTokenServer instance() {
        return instance;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        checksUnanswered = Boolean.parseBoolean(initArgs.get(UNANSWERED_CHECKS));
    }

    @Override
    public Map<String, String> start() {
        instance = this;
        bind(0);
        warmUp();
        return Map.of("portal.token-server.url", "http://127.0.0.1:" + port);
    }

    /**
     * Makes one answer of each kind before any test waits for one: in a cold JVM on a busy machine
     * the first (JSON set-up, first random code) took longer than a short timeout (such as
     * SlowTokenServerTest's), and the first test of the run then saw "not possible right now".
     */
    private void warmUp() {
        UUID id = UUID.randomUUID();
        Transaction tx = new Transaction(id, Map.of(), OtpCodec.encode(new OtpPayload(id, OtpCode.generate(random))),
                Instant.now(), null);
        ProtocolJson.write(new AuthenticationStarted(id, "otp", 1000, tx.otp, tx.expiresAt, null));
        ProtocolJson.write(result(tx));
    }

    @Override
    public void stop() {
        unbind();
    }

    /** Forgets every transaction and every scripted failure. */
    public synchronized void reset() {
        Browser.leaveAll();
        epoch++;
        transactions.clear();
        byId.clear();
        cancelled.clear();
        unknownReads.set(0);
        numberMatchingTypes.clear();
        rotatingTypes.clear();
        allowedCallbackUris = Set.of();
        delay = Duration.ZERO;
        timeToLive = Duration.ofMinutes(2);
        failWithStatus = 0;
        failInitiationsWithStatus = 0;
        callbackUriChecks.set(0);
        checksUnanswered = false;
        if (server == null) {
            bind(port);
        }
    }

    /** Answers every call after {@code wait}. */
    public void slowBy(Duration wait) {
        delay = wait;
    }

    /** Answers every call with this status and an error body. */
    public void failWith(int status) {
        failWithStatus = status;
    }

    /** Answers new transactions with this status (0: normally); reads and cancels still work. */
    public void failNewTransactionsWith(int status) {
        failInitiationsWithStatus = status;
    }

    /** Stops listening, so calls meet a refused connection until {@link #reset()}. */
    public synchronized void goDown() {
        unbind();
    }

    public void timeToLive(Duration ttl) {
        timeToLive = ttl;
    }

    /** Gives the client an allow-list: other callback URIs are refused at initiation, as the token server does. */
    public void allowCallbackUris(String... uris) {
        allowedCallbackUris = Set.of(uris);
    }

    /** From now on, answers checks of the callback URI as the token server does. */
    public void answerCallbackUriChecks() {
        checksUnanswered = false;
    }

    /** Checks of the callback URI received, answered or not. */
    public int callbackUriChecks() {
        return callbackUriChecks.get();
    }

    public void numberMatching(String type) {
        numberMatchingTypes.add(type);
    }

    /** Gives transactions of {@code type} a code that rotates every {@code seconds}, and no short code. */
    public void rotating(String type, int seconds) {
        rotatingTypes.put(type, seconds);
    }

    public synchronized List<Transaction> transactions() {
        return List.copyOf(transactions);
    }

    /**
     * The transaction whose code {@code browser}'s page shows for {@code purpose}. Tests use it
     * rather than {@link #latest()}: a challenge left open by an earlier test may renew its code
     * at any moment and so start a transaction of its own.
     */
    public Transaction of(Browser browser, String purpose) {
        String otp = browser.status(purpose).getString("otp");
        return transactions().stream().filter(t -> t.otps.contains(otp)).findFirst()
                .orElseThrow(() -> new AssertionError("no transaction shows the code " + otp));
    }

    public synchronized Transaction latest() {
        if (transactions.isEmpty()) {
            throw new AssertionError("no transaction was started");
        }
        return transactions.get(transactions.size() - 1);
    }

    /** Reads of transactions this fake does not know (any more). */
    public int unknownReads() {
        return unknownReads.get();
    }

    /** Forgets one transaction, as a token server whose database was reset would. */
    public void forget(UUID transactionId) {
        byId.remove(transactionId);
    }

    public boolean wasCancelled(UUID transactionId) {
        return cancelled.contains(transactionId);
    }

    private void bind(int wanted) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/oauth/api/v4/authenticate/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    private void unbind() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int startedIn = epoch;
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis()); // simulates a slow server, not a wait for a condition
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (epoch != startedIn) {
                    // The test that made this request slow is over; it must not touch the next one.
                    send(exchange, 503, "{\"error_code\":\"9002\",\"description\":\"stale request\",\"error_message\":\"stale request\"}");
                    return;
                }
            }
            if (!AUTHORIZATION.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");
                return;
            }
            boolean initiation = exchange.getRequestURI().getPath().endsWith("/user");
            if (failWithStatus != 0 || (initiation && failInitiationsWithStatus != 0)) {
                exchange.getResponseHeaders().add("Retry-After", "7");
                send(exchange, failWithStatus != 0 ? failWithStatus : failInitiationsWithStatus, "{\"error_code\":\"9002\",\"description\":\"scripted failure\",\"error_message\":\"scripted failure\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/oauth/api/v4/authenticate/user")) {
                initiate(exchange);
            } else if (method.equals("POST") && path.equals("/oauth/api/v4/authenticate/callback-uri")) {
                checkCallbackUri(exchange);
            } else if (method.equals("POST") && path.startsWith("/oauth/api/v4/authenticate/transaction/")
                    && path.endsWith("/reverse-code")) {
                String id = path.substring("/oauth/api/v4/authenticate/transaction/".length(), path.length() - "/reverse-code".length());
                Transaction tx = byId.get(UUID.fromString(id));
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String code = URLDecoder.decode(body.substring(body.indexOf('=') + 1), StandardCharsets.UTF_8).replace(" ", "");
                if (tx == null) {
                    send(exchange, 404, "{\"error_code\":\"3004\",\"description\":\"no such transaction\",\"error_message\":\"no such transaction\"}");
                } else if (tx.reverseCode == null || tx.status != TransactionStatus.SCANNED) {
                    send(exchange, 409, "{\"error_code\":\"9001\",\"description\":\"not waiting for a code\",\"error_message\":\"not waiting for a code\"}");
                } else if (!code.matches("\\d{6}")) {
                    send(exchange, 400, "{\"error_code\":\"1003\",\"description\":\"six digits\",\"error_message\":\"six digits\"}");
                } else {
                    tx.codesSubmitted.add(code);
                    if (code.equals(tx.reverseCode)) {
                        tx.status = TransactionStatus.CONFIRMED;
                    } else if (tx.reverseCodeAttemptsLeft.decrementAndGet() == 0) {
                        tx.refusedFor(tx.userId, "not_accepted", "reverse_code");
                    }
                    send(exchange, 200, new String(ProtocolJson.write(result(tx)), StandardCharsets.UTF_8));
                }
            } else if (method.equals("GET") && path.startsWith("/oauth/api/v4/authenticate/transaction/")
                    && path.endsWith("/frame")) {
                String id = path.substring("/oauth/api/v4/authenticate/transaction/".length(), path.length() - "/frame".length());
                frame(exchange, byId.get(UUID.fromString(id)));
            } else if (method.equals("GET") && path.startsWith("/oauth/api/v4/authenticate/transaction/")
                    && path.endsWith("/receipt")) {
                String id = path.substring("/oauth/api/v4/authenticate/transaction/".length(), path.length() - "/receipt".length());
                Transaction tx = byId.get(UUID.fromString(id));
                if (tx == null || tx.receipt == null) {
                    send(exchange, 404, "{\"error_code\":\"3004\",\"description\":\"No receipt for this transaction\"}");
                } else {
                    send(exchange, 200, new String(ProtocolJson.write(tx.receipt), StandardCharsets.UTF_8));
                }
            } else if (path.startsWith("/oauth/api/v4/authenticate/transaction/")) {
                Transaction tx = byId.get(UUID.fromString(path.substring(path.lastIndexOf('/') + 1)));
                if (tx == null) {
                    if (method.equals("GET")) {
                        unknownReads.incrementAndGet();
                    }
                    send(exchange, 404, "{\"error_code\":\"3004\",\"description\":\"no such transaction\",\"error_message\":\"no such transaction\"}");
                } else if (method.equals("DELETE")) {
                    cancelled.add(tx.id);
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    tx.reads.incrementAndGet();
                    send(exchange, 200, new String(ProtocolJson.write(result(tx)), StandardCharsets.UTF_8));
                }
            } else {
                send(exchange, 404, "{\"error_code\":\"9004\",\"description\":\"no such resource\",\"error_message\":\"no such resource\"}");
            }
        }
    }

    /**
     * The frame endpoint as the token server answers it: a new code once the current one is a
     * period old, the state instead of a code once the transaction is no longer pending, 9004
     * for a code that does not rotate.
     */
    private void frame(HttpExchange exchange, Transaction tx) throws IOException {
        if (tx == null) {
            send(exchange, 404, "{\"error_code\":\"3004\",\"description\":\"no such transaction\",\"error_message\":\"no such transaction\"}");
            return;
        }
        tx.frameCalls.incrementAndGet();
        Integer period = tx.rotationSeconds;
        if (period == null) {
            send(exchange, 404, "{\"error_code\":\"9004\",\"description\":\"the type does not rotate its code\","
                    + "\"error_message\":\"the type does not rotate its code\"}");
            return;
        }
        String body;
        synchronized (tx) {
            Instant now = Instant.now();
            if (tx.status == TransactionStatus.PENDING && !now.isBefore(tx.frameAt.plusSeconds(period))) {
                tx.otp = OtpCodec.encode(new OtpPayload(tx.id, OtpCode.generate(random)));
                tx.otps.add(tx.otp);
                tx.frame++;
                tx.frameAt = now;
            }
            body = new String(ProtocolJson.write(new dev.qrauth.protocol.portal.TransactionFrame(
                    tx.status == TransactionStatus.PENDING ? tx.otp : null, tx.frame, period, tx.status)),
                    StandardCharsets.UTF_8);
        }
        send(exchange, 200, body);
    }

    /** The callback-URI rules of an initiation, on their own: 204, or the initiation's 1003. */
    private void checkCallbackUri(HttpExchange exchange) throws IOException {
        callbackUriChecks.incrementAndGet();
        if (checksUnanswered) {
            // Closed without a word, as by a token server that is not up yet.
            return;
        }
        String callbackUri = form(exchange).get("callback_uri");
        if (callbackUri == null || callbackUri.isEmpty()) {
            send(exchange, 400, "{\"error_code\":\"1003\",\"description\":\"callback_uri must be 1 to 2048 characters\","
                    + "\"error_message\":\"callback_uri must be 1 to 2048 characters\"}");
        } else if (!refusedCallbackUri(exchange, callbackUri)) {
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** Sends the initiation's refusal of a callback URI off the allow-list; whether it did. */
    private boolean refusedCallbackUri(HttpExchange exchange, String callbackUri) throws IOException {
        Set<String> allowed = allowedCallbackUris;
        if (allowed.isEmpty() || allowed.contains(callbackUri)) {
            return false;
        }
        send(exchange, 400, "{\"error_code\":\"1003\",\"description\":\"callback_uri is not in this client's allow-list\","
                + "\"error_message\":\"callback_uri is not in this client's allow-list\"}");
        return true;
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private void initiate(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(exchange);
        if (refusedCallbackUri(exchange, form.get("callback_uri"))) {
            return;
        }
        UUID id = UUID.randomUUID();
        String otp = OtpCodec.encode(new OtpPayload(id, OtpCode.generate(random)));
        Integer bindingCode = numberMatchingTypes.contains(form.get("type")) ? 10 + random.nextInt(90) : null;
        Instant now = Instant.now();
        Transaction tx = new Transaction(id, form, otp, now.plus(timeToLive), bindingCode);
        Integer rotation = rotatingTypes.get(form.get("type"));
        tx.rotationSeconds = rotation;
        // As the token server: a rotating code has no short code.
        tx.shortCode = rotation != null ? null
                : dev.qrauth.protocol.otp.ShortCode.grouped(dev.qrauth.protocol.otp.ShortCode.generate(random));
        synchronized (this) {
            transactions.add(tx);
            byId.put(id, tx);
        }
        AuthenticationStarted started = new AuthenticationStarted(id, "otp", timeToLive.toMillis(), otp, tx.expiresAt,
                bindingCode, null, tx.shortCode, rotation);
        send(exchange, 200, new String(ProtocolJson.write(started), StandardCharsets.UTF_8));
    }

    private static TransactionResult result(Transaction tx) {
        TransactionStatus status = tx.status;
        boolean answered = status == TransactionStatus.CONFIRMED || status == TransactionStatus.REJECTED;
        // As the token server answers: a fraud report reads not_accepted with the flag, and a
        // transaction still open has no reason.
        boolean fraud = status == TransactionStatus.REJECTED && "fraud_reported".equals(tx.reason);
        TransactionResult.Reason reason = switch (status) {
            case REJECTED -> new TransactionResult.Reason(fraud ? "not_accepted" : tx.reason, "rejected", tx.detail);
            case EXPIRED -> new TransactionResult.Reason("expired", "expired");
            default -> null;
        };
        boolean awaitingCode = status == TransactionStatus.SCANNED && tx.reverseCode != null;
        return new TransactionResult(tx.id, tx.initiation.get("callback_uri"), tx.createdAt,
                answered ? tx.userId : null, status == TransactionStatus.CONFIRMED, "otp", reason, status, tx.expiresAt,
                null, awaitingCode ? Boolean.TRUE : null, awaitingCode ? tx.reverseCodeAttemptsLeft.get() : null,
                fraud ? Boolean.TRUE : null, tx.duress ? Boolean.TRUE : null,
                tx.requiredApprovals, tx.requiredApprovals == null ? null : List.copyOf(tx.approvedBy));
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
