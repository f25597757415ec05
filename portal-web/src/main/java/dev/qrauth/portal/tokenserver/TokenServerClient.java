package dev.qrauth.portal.tokenserver;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.protocol.error.PortalError;
import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.TransactionResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
 * The portal's side of the Onegini-compatible portal API ({@code docs/PROTOCOL.md}, "Portal
 * API"): start a mobile authentication, read its result, cancel it. Nothing else of the token
 * server is used, so a portal copying this class needs only the base URL and its client
 * credentials.
 *
 * <p>Every call is bounded by {@code portal.token-server.timeout}; any failure becomes a
 * {@link TokenServerException}.
 */
@ApplicationScoped
public class TokenServerClient {

    private static final String BASE_PATH = "/oauth/api/v4/authenticate";

    private final HttpClient http;
    private final URI baseUrl;
    private final String authorization;
    private final Duration timeout;

    TokenServerClient(PortalConfig config) {
        this.timeout = config.tokenServer().timeout();
        this.baseUrl = withoutTrailingSlash(config.tokenServer().url());
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (config.clientId() + ":" + config.clientSecret()).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** What the portal tells the token server about the browser asking to log in. */
    public record BrowserContext(String ipAddress, String userAgent) {
    }

    /**
     * Starts a mobile authentication of {@code type} showing {@code message} on the phone; the
     * token server will call {@code callbackUri} when the state changes. With an
     * {@code expectedUserId} (qrauth's {@code expected_user_id}), only that user's phone can
     * fetch the request; null lets any enrolled phone answer, as for a login.
     */
    public AuthenticationStarted initiate(String type, String message, URI callbackUri, BrowserContext browser,
                                          String expectedUserId) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("type", type);
        form.put("message", message);
        form.put("callback_uri", callbackUri.toString());
        if (expectedUserId != null) {
            form.put("expected_user_id", expectedUserId);
        }
        if (browser.ipAddress() != null) {
            form.put("ip_address", browser.ipAddress());
        }
        if (browser.userAgent() != null && !browser.userAgent().isBlank()) {
            // The token server refuses longer values; the phone shows only browser and system anyway.
            form.put("user_agent", truncate(browser.userAgent(), 512));
        }
        HttpRequest request = request(URI.create(baseUrl + BASE_PATH + "/user"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
                .build();
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() != 200) {
            throw refusedInitiation(callbackUri, response);
        }
        return read(response, AuthenticationStarted.class);
    }

    /** The current state and result of a transaction this portal started. */
    public TransactionResult result(UUID transactionId) {
        Objects.requireNonNull(transactionId, "transactionId == null");
        HttpRequest request = request(transactionUri(transactionId)).GET().build();
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() != 200) {
            throw refused("read transaction " + transactionId, response);
        }
        TransactionResult result = read(response, TransactionResult.class);
        if (!transactionId.equals(result.transactionId()) || result.status() == null) {
            throw new TokenServerException("the token server answered for another transaction or without a status");
        }
        return result;
    }

    /**
     * Reverse code entry (our extension, {@code docs/PROTOCOL.md} "Reverse code entry"): submits
     * the code the phone showed, as typed into the browser, and returns the transaction's result
     * after it: {@code CONFIRMED} for the right code, {@code SCANNED} with fewer attempts left for
     * a wrong one, {@code REJECTED} once they are used up.
     */
    public TransactionResult submitReverseCode(UUID transactionId, String code) {
        Objects.requireNonNull(transactionId, "transactionId == null");
        Objects.requireNonNull(code, "code == null");
        HttpRequest request = request(URI.create(transactionUri(transactionId) + "/reverse-code"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(Map.of("code", code))))
                .build();
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() != 200) {
            throw refused("submit the code of transaction " + transactionId, response);
        }
        TransactionResult result = read(response, TransactionResult.class);
        if (!transactionId.equals(result.transactionId()) || result.status() == null) {
            throw new TokenServerException("the token server answered for another transaction or without a status");
        }
        return result;
    }

    /**
     * Cancels a transaction nobody needs any more. A transaction that already ended ({@code 409})
     * counts as cancelled: there is nothing left to stop.
     */
    public void cancel(UUID transactionId) {
        Objects.requireNonNull(transactionId, "transactionId == null");
        HttpResponse<byte[]> response = send(request(transactionUri(transactionId)).DELETE().build());
        if (response.statusCode() != 204 && response.statusCode() != 409) {
            throw refused("cancel transaction " + transactionId, response);
        }
    }

    private URI transactionUri(UUID transactionId) {
        return URI.create(baseUrl + BASE_PATH + "/transaction/" + transactionId);
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        // The request timeout covers only the wait for the headers; this bounds the body too.
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            exchange.cancel(true);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TokenServerException("the token server at " + baseUrl + " did not answer: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenServerException("interrupted while waiting for the token server", e);
        }
    }

    private static <T> T read(HttpResponse<byte[]> response, Class<T> type) {
        try {
            return ProtocolJson.read(response.body(), type);
        } catch (ProtocolFormatException e) {
            throw new TokenServerException("the token server answered with an unreadable " + type.getSimpleName(), e);
        }
    }

    /**
     * A refused initiation. {@code 1003} is any invalid parameter; the token server's description
     * begins with the parameter's name (docs/PROTOCOL.md, "Portal API errors"), and only a
     * refused {@code callback_uri} is the administrator's to fix rather than the request's.
     */
    private static TokenServerException refusedInitiation(URI callbackUri, HttpResponse<byte[]> response) {
        if (response.statusCode() == 400) {
            PortalError error;
            try {
                error = ProtocolJson.read(response.body(), PortalError.class);
            } catch (ProtocolFormatException e) {
                error = null;
            }
            if (error != null && error.errorCode() == PortalErrorCode.INVALID_PARAMETER.code()
                    && error.description().startsWith("callback_uri")) {
                // Shown on a page and written to the log: no line breaks or hidden characters of the server's.
                String reason = truncate(error.description(), 300).replaceAll("[\\p{Cc}\\p{Cf}]", "?");
                return new CallbackUriRefusedException(callbackUri, reason, response.statusCode());
            }
        }
        return refused("initiate", response);
    }

    private static TokenServerException refused(String what, HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String message = "the token server refused to " + what + ": HTTP " + response.statusCode() + " " + truncate(body, 300);
        Duration retryAfter = response.statusCode() != 429 ? null : response.headers().firstValue("Retry-After")
                .filter(v -> v.matches("\\d{1,6}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                .orElse(Duration.ofSeconds(1));
        return new TokenServerException(message, response.statusCode(), retryAfter);
    }

    private static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    private static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        // Do not cut a surrogate pair in half.
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
