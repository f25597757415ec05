package dev.qrauth.portalclient;

import dev.qrauth.protocol.error.InvalidClientError;
import dev.qrauth.protocol.error.PortalError;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.AvailableTypes;
import dev.qrauth.protocol.portal.TransactionFrame;
import dev.qrauth.protocol.portal.TransactionResult;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The calls a portal makes to the token server's portal API ({@code docs/PROTOCOL.md}, "Portal
 * API"), compatible with the Onegini Token Server v4 mobile-authentication API: start a mobile
 * authentication, read its result, cancel it, submit a reverse code, ask which types a user can
 * answer, disable mobile authentication of a user on a device, ask whether a callback URI
 * would be accepted, and read the current frame of a rotating code.
 *
 * <p>Every call authenticates with HTTP Basic {@code client_id:client_secret}, asks for JSON, does
 * not follow redirects, and is bounded by the {@linkplain Builder#requestTimeout request timeout}
 * from sending to the last byte of the answer. A call either returns the documented answer or
 * throws a {@link TokenServerException}. Thread-safe; one instance serves the whole portal.
 *
 * <pre>{@code
 * PortalClient tokenServer = PortalClient.builder(URI.create("https://tokens.example"), clientId, clientSecret)
 *         .requestTimeout(Duration.ofSeconds(5))
 *         .build();
 * AuthenticationStarted started = tokenServer.authenticate(
 *         AuthenticationRequest.builder("login", callbackUri).message("Log in to Example").build());
 * }</pre>
 */
public final class PortalClient {

    private static final String AUTHENTICATE = "/oauth/api/v4/authenticate";
    private static final String USERS = "/oauth/api/v4/users/";
    /** A {@code 429} without a readable {@code Retry-After}: wait a little rather than not at all. */
    private static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(1);

    private final HttpClient http;
    private final String baseUrl;
    private final String authorization;
    private final Duration requestTimeout;

    private PortalClient(Builder builder) {
        String base = builder.baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.authorization = new BasicCredentials(builder.clientId, builder.clientSecret).header();
        this.requestTimeout = builder.requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * A client of the token server at {@code baseUrl} (such as {@code https://tokens.example}; the
     * API paths are appended), authenticating as the API client {@code clientId}.
     */
    public static Builder builder(URI baseUrl, String clientId, String clientSecret) {
        return new Builder(baseUrl, clientId, clientSecret);
    }

    /** Configures a {@link PortalClient}; both timeouts are 5 seconds unless set. */
    public static final class Builder {
        private final URI baseUrl;
        private final String clientId;
        private final String clientSecret;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(5);

        private Builder(URI baseUrl, String clientId, String clientSecret) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl == null");
            this.clientId = Objects.requireNonNull(clientId, "clientId == null");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret == null");
            String scheme = baseUrl.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an http or https URL with a host: " + baseUrl);
            }
            if (clientId.contains(":")) {
                // HTTP Basic cannot carry it: the server would read the part after ':' as the secret.
                throw new IllegalArgumentException("clientId contains ':'");
            }
        }

        /** The longest wait for a connection to the token server. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * The longest wait for one whole answer, counted from sending the request to the last byte
         * of the body; a connection still being set up counts too.
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        public PortalClient build() {
            return new PortalClient(this);
        }

        private static Duration positive(Duration timeout, String name) {
            Objects.requireNonNull(timeout, name + " == null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + timeout);
            }
            return timeout;
        }
    }

    /**
     * Starts a mobile authentication ({@code POST /oauth/api/v4/authenticate/user}): the answer
     * carries the transaction id and the OTP to show as a QR code (and, from qrauth, the short
     * code, the binding code of a number-matching type, and whether a reverse code follows).
     *
     * @throws TokenServerRefusedException for a refused parameter ({@code 1003}, see
     *                                     {@link TokenServerRefusedException#refusedParameter()}),
     *                                     a message too long ({@code 1005}), an unknown type
     *                                     ({@code 3005}), too many requests ({@code 9002}) ...
     */
    public AuthenticationStarted authenticate(AuthenticationRequest request) {
        Objects.requireNonNull(request, "request == null");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("type", request.type());
        form.put("callback_uri", request.callbackUri().toString());
        putIfPresent(form, "message", request.message());
        putIfPresent(form, "secure_message", request.secureMessage());
        putIfPresent(form, "language_code", request.languageCode());
        putIfPresent(form, "ip_address", request.ipAddress());
        putIfPresent(form, "user_agent", request.userAgent());
        putIfPresent(form, "expected_user_id", request.expectedUserId());
        putIfPresent(form, "approvers", request.approvers() == null ? null : String.join(",", request.approvers()));
        String call = "start a mobile authentication of type " + request.type();
        HttpResponse<byte[]> response = send(call, post(URI.create(baseUrl + AUTHENTICATE + "/user"), form));
        expect(call, response, 200);
        AuthenticationStarted started = read(call, response, AuthenticationStarted.class);
        if (started.transactionId() == null || started.otp() == null) {
            throw new UnexpectedAnswerException("the token server answered " + call + " without a transaction id "
                    + "or OTP", response.statusCode(), null);
        }
        return started;
    }

    /**
     * Asks whether the token server would accept {@code callbackUri} in a
     * {@linkplain #authenticate mobile authentication} of this client (qrauth's addition,
     * {@code POST .../authenticate/callback-uri}), without starting one: the same rules, the
     * client's allow-list included. Returns when it would; a portal can ask once at start and so
     * learn of a refused callback URI before the first login does.
     *
     * @throws TokenServerRefusedException {@code 1003} with {@link TokenServerRefusedException#refusedParameter()}
     *                                     {@code callback_uri} and the same description as an
     *                                     initiation would give; {@code 404} from a token server
     *                                     without this addition
     */
    public void checkCallbackUri(URI callbackUri) {
        Objects.requireNonNull(callbackUri, "callbackUri == null");
        String call = "check the callback URI " + callbackUri;
        HttpResponse<byte[]> response = send(call, post(URI.create(baseUrl + AUTHENTICATE + "/callback-uri"),
                Map.of("callback_uri", callbackUri.toString())));
        expect(call, response, 204);
    }

    /**
     * The current state and result of a transaction this client started
     * ({@code GET .../authenticate/transaction/{id}}). Act on this answer, never on a callback.
     *
     * @throws TokenServerRefusedException {@code 3004} for an unknown transaction or another client's
     */
    public TransactionResult result(UUID transactionId) {
        Objects.requireNonNull(transactionId, "transactionId == null");
        String call = "read transaction " + transactionId;
        HttpResponse<byte[]> response = send(call, get(transactionUri(transactionId)));
        expect(call, response, 200);
        return checked(call, transactionId, response);
    }

    /**
     * The current frame of a rotating code (qrauth's addition,
     * {@code GET .../transaction/{id}/frame}): the OTP to show now, for a transaction whose type
     * has {@code rotation_seconds}. The token server makes a new frame when the current one is a
     * period old, so asking once a period keeps the code shown fresh. A transaction no longer
     * {@code PENDING} answers its status without an OTP ({@link TransactionFrame#isPending()}
     * false): stop asking.
     *
     * @throws TokenServerRefusedException {@code 9004} when the transaction's type does not rotate
     *                                     its code, {@code 3004} for an unknown transaction or
     *                                     another client's
     */
    public TransactionFrame frame(UUID transactionId) {
        Objects.requireNonNull(transactionId, "transactionId == null");
        String call = "read the frame of transaction " + transactionId;
        HttpResponse<byte[]> response = send(call, get(URI.create(transactionUri(transactionId) + "/frame")));
        expect(call, response, 200);
        TransactionFrame frame = read(call, response, TransactionFrame.class);
        if (frame.status() == null || frame.rotationSeconds() < 1
                || (frame.status() == dev.qrauth.protocol.message.TransactionStatus.PENDING && frame.otp() == null)) {
            throw new UnexpectedAnswerException("the token server answered " + call
                    + " without a status, a period or the OTP of a pending transaction", response.statusCode(), null);
        }
        return frame;
    }

    /**
     * The receipt of a transaction this client started (qrauth's addition,
     * {@code GET .../transaction/{id}/receipt}): what the phone showed and decided, signed by the
     * phone, with the token server's countersigned chain entry ({@code docs/PROTOCOL.md},
     * "Receipts"). Every signed thing comes as its exact bytes; check them with
     * {@code dev.qrauth.protocol.receipt.ReceiptChainCheck} where it matters.
     *
     * @throws TokenServerRefusedException {@code 3004} when there is no receipt: the transaction
     *                                     is unknown, another client's, or not answered yet
     */
    public dev.qrauth.protocol.receipt.ReceiptRecord receipt(UUID transactionId) {
        return receipt(transactionId, null);
    }

    /**
     * The receipt of {@code approver}'s answer to a four-eyes transaction (null: the earliest
     * answer's, as {@link #receipt(UUID)}); the same errors, and an answer with another user's
     * statement is an {@link UnexpectedAnswerException}.
     */
    public dev.qrauth.protocol.receipt.ReceiptRecord receipt(UUID transactionId, String approver) {
        Objects.requireNonNull(transactionId, "transactionId == null");
        String call = "read the receipt of transaction " + transactionId + (approver == null ? "" : " by " + approver);
        String query = approver == null ? ""
                : "?user_id=" + java.net.URLEncoder.encode(approver, java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = send(call, get(URI.create(transactionUri(transactionId) + "/receipt" + query)));
        expect(call, response, 200);
        dev.qrauth.protocol.receipt.ReceiptRecord receipt = read(call, response,
                dev.qrauth.protocol.receipt.ReceiptRecord.class);
        if (!receipt.transactionId().equals(transactionId)) {
            throw new UnexpectedAnswerException("the token server answered " + call + " with another transaction's receipt",
                    response.statusCode(), null);
        }
        if (approver != null) {
            String signer;
            try {
                signer = receipt.parsedStatement().userId();
            } catch (RuntimeException e) {
                signer = null;
            }
            if (!approver.equals(signer)) {
                throw new UnexpectedAnswerException("the token server answered " + call + " with another user's receipt",
                        response.statusCode(), null);
            }
        }
        return receipt;
    }

    /**
     * Reverse code entry (qrauth's addition, {@code POST .../transaction/{id}/reverse-code}):
     * submits the code the phone showed, as typed into the browser, and returns the result after
     * it: {@code CONFIRMED} for the right code, {@code SCANNED} with fewer attempts left for a
     * wrong one, {@code REJECTED} once they are used up.
     *
     * @throws TokenServerRefusedException {@code 1003} for a code that is not six digits (it does not
     *                                     count as an attempt), {@code 9001} when the transaction
     *                                     waits for no code, {@code 3004} for an unknown one
     */
    public TransactionResult submitReverseCode(UUID transactionId, String code) {
        Objects.requireNonNull(transactionId, "transactionId == null");
        Objects.requireNonNull(code, "code == null");
        String call = "submit the code of transaction " + transactionId;
        HttpResponse<byte[]> response = send(call,
                post(URI.create(transactionUri(transactionId) + "/reverse-code"), Map.of("code", code)));
        expect(call, response, 200);
        return checked(call, transactionId, response);
    }

    /**
     * Cancels a transaction nobody waits for any more (qrauth's addition,
     * {@code DELETE .../transaction/{id}}); no callback follows.
     *
     * @return true when it was cancelled, false when it had already ended ({@code 409}, code
     *         {@code 9001}): either way nothing is left to stop
     * @throws TokenServerRefusedException {@code 3004} for an unknown transaction or another client's
     */
    public boolean cancel(UUID transactionId) {
        Objects.requireNonNull(transactionId, "transactionId == null");
        String call = "cancel transaction " + transactionId;
        HttpResponse<byte[]> response = send(call, request(transactionUri(transactionId)).DELETE().build());
        if (response.statusCode() == 409) {
            return false;
        }
        expect(call, response, 204);
        return true;
    }

    /**
     * The mobile-auth types {@code userId} can answer
     * ({@code GET .../authenticate/user/{user_id}/enabled}); an empty list when the user cannot
     * use mobile authentication. qrauth answers only for users who answered one of this client's
     * transactions before ({@code docs/PROTOCOL.md}, "Availability").
     */
    public AvailableTypes.ForUser availableTypes(String userId) {
        String call = "read the types available to a user";
        URI uri = URI.create(baseUrl + AUTHENTICATE + "/user/" + segment(userId, "userId") + "/enabled");
        HttpResponse<byte[]> response = send(call, get(uri));
        expect(call, response, 200);
        return read(call, response, AvailableTypes.ForUser.class);
    }

    /**
     * The mobile-auth types {@code userId} can answer on one device
     * ({@code GET .../authenticate/user/{user_id}/device/{device_id}/enabled}).
     */
    public AvailableTypes.ForDevice availableTypes(String userId, String deviceId) {
        String call = "read the types available to a user on a device";
        URI uri = URI.create(baseUrl + AUTHENTICATE + "/user/" + segment(userId, "userId")
                + "/device/" + segment(deviceId, "deviceId") + "/enabled");
        HttpResponse<byte[]> response = send(call, get(uri));
        expect(call, response, 200);
        return read(call, response, AvailableTypes.ForDevice.class);
    }

    /** Whether {@code userId} can answer a mobile authentication of any type. */
    public boolean isMobileAuthenticationAvailable(String userId) {
        return !availableTypes(userId).enabled().isEmpty();
    }

    /**
     * Removes the user's enrollment on a device
     * ({@code POST /oauth/api/v4/users/{userId}/devices/{deviceId}/disableMobileAuthentication}),
     * so that device can no longer answer for the user until they enroll again. The server answers
     * the same whether or not anything was removed.
     */
    public void disableMobileAuthentication(String userId, String deviceId) {
        String call = "disable mobile authentication";
        URI uri = URI.create(baseUrl + USERS + segment(userId, "userId") + "/devices/"
                + segment(deviceId, "deviceId") + "/disableMobileAuthentication");
        HttpResponse<byte[]> response = send(call,
                request(uri).POST(HttpRequest.BodyPublishers.noBody()).build());
        expect(call, response, 204);
    }

    private URI transactionUri(UUID transactionId) {
        return URI.create(baseUrl + AUTHENTICATE + "/transaction/" + transactionId);
    }

    private HttpRequest get(URI uri) {
        return request(uri).GET().build();
    }

    private HttpRequest post(URI uri, Map<String, String> form) {
        return request(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
                .build();
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    private HttpResponse<byte[]> send(String call, HttpRequest request) {
        // The request's own timeout ends at the headers; this bounds the body too.
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return exchange.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new TokenServerUnreachableException("the token server at " + baseUrl + " did not answer within "
                    + requestTimeout.toMillis() + " ms to " + call, true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            boolean timeout = cause instanceof HttpTimeoutException;
            throw new TokenServerUnreachableException("the token server at " + baseUrl
                    + (timeout ? " did not answer in time to " : " could not be reached to ") + call + ": " + cause,
                    timeout, cause);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new TokenServerUnreachableException("interrupted while waiting for the token server to " + call,
                    false, e);
        }
    }

    private static void expect(String call, HttpResponse<byte[]> response, int success) {
        int status = response.statusCode();
        if (status >= 200 && status < 300 && status != success) {
            throw new UnexpectedAnswerException("the token server answered " + call + " with HTTP " + status
                    + " instead of " + success, status, null);
        }
        if (status != success) {
            throw refusal(call, response);
        }
    }

    private static TransactionResult checked(String call, UUID transactionId, HttpResponse<byte[]> response) {
        TransactionResult result = read(call, response, TransactionResult.class);
        if (!transactionId.equals(result.transactionId()) || result.status() == null) {
            throw new UnexpectedAnswerException("the token server answered " + call
                    + " for another transaction or without a status", response.statusCode(), null);
        }
        return result;
    }

    private static <T> T read(String call, HttpResponse<byte[]> response, Class<T> type) {
        T value;
        try {
            value = ProtocolJson.read(response.body(), type);
        } catch (ProtocolFormatException e) {
            throw new UnexpectedAnswerException("the token server answered " + call + " with an unreadable "
                    + type.getSimpleName(), response.statusCode(), e);
        }
        if (value == null) {
            throw new UnexpectedAnswerException("the token server answered " + call + " with null",
                    response.statusCode(), null);
        }
        return value;
    }

    /**
     * The refusal in {@code response}: the coded body of the portal API, the OAuth body of a
     * refused client, or, from something that is not the token server, the start of whatever it sent.
     */
    private static TokenServerRefusedException refusal(String call, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        Duration retryAfter = retryAfter(response);
        PortalError coded = readOrNull(response.body(), PortalError.class);
        if (coded != null) {
            return new TokenServerRefusedException(call, status, coded.errorCode(), coded.description(), null,
                    retryAfter);
        }
        InvalidClientError oauth = readOrNull(response.body(), InvalidClientError.class);
        if (oauth != null) {
            return new TokenServerRefusedException(call, status, 0, oauth.errorDescription(), oauth.error(), retryAfter);
        }
        return new TokenServerRefusedException(call, status, 0, new String(response.body(), StandardCharsets.UTF_8),
                null, retryAfter);
    }

    private static <T> T readOrNull(byte[] body, Class<T> type) {
        try {
            return ProtocolJson.read(body, type);
        } catch (ProtocolFormatException e) {
            return null;
        }
    }

    private static Duration retryAfter(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status != 429 && status != 503) {
            return null;
        }
        Duration given = response.headers().firstValue("Retry-After")
                .filter(v -> v.matches("\\d{1,6}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                .orElse(null);
        return given != null || status == 503 ? given : DEFAULT_RATE_LIMIT_WAIT;
    }

    private static void putIfPresent(Map<String, String> form, String name, String value) {
        if (value != null) {
            form.put(name, value);
        }
    }

    private static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** One path segment: every character but the unreserved ones percent-encoded. */
    private static String segment(String value, String name) {
        Objects.requireNonNull(value, name + " == null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        if (value.equals(".") || value.equals("..")) {
            // A dot segment would be resolved away and name another resource.
            return value.replace(".", "%2E");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }
}
