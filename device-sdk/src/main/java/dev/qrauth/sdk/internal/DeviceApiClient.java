package dev.qrauth.sdk.internal;

import dev.qrauth.protocol.device.AccessTokenResponse;
import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.device.DeviceCredentials;
import dev.qrauth.protocol.device.DeviceHeaders;
import dev.qrauth.protocol.device.DeviceRegistrationRequest;
import dev.qrauth.protocol.device.DuressPinRequest;
import dev.qrauth.protocol.device.OtpFetchRequest;
import dev.qrauth.protocol.device.ShortCodeFetchRequest;
import dev.qrauth.protocol.device.PinLoginRequest;
import dev.qrauth.protocol.device.UserRegistrationRequest;
import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.EnrollmentRequest;
import dev.qrauth.protocol.message.EnrollmentResponse;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.sdk.SdkErrorCode;
import dev.qrauth.sdk.SdkException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLParameters;

/**
 * The device API of {@code docs/PROTOCOL.md} over the JDK's HTTP client, with every failure
 * turned into an {@link SdkException}: no connection is {@code NETWORK_CONNECTIVITY_FAILURE};
 * a 5xx, a redirect, or a body that is not the documented one is {@code SERVER_NOT_REACHABLE};
 * a documented error keeps its code. TLS uses the JDK's default trust store; there is no way to
 * turn certificate checks off.
 */
public final class DeviceApiClient {

    private static final String JSON = "application/json";
    private static final int MAX_RESPONSE_BYTES = 256 * 1024;

    private final URI base;
    private final Duration requestTimeout;
    /** The HTTP client, or null until the first request when this client builds its own. */
    private volatile HttpClient http;
    private final Duration connectTimeout;
    /** Whether the HTTP client is this object's own, built by it, rather than given. */
    private final boolean ownsHttp;
    /** Set by {@link #close()}: no HTTP client is built after it. */
    private boolean closed;

    /**
     * Builds its own HTTP client at the first request, not before: a program that only reads the
     * device's state (the CLI's {@code status}) never starts the client's selector thread or loads
     * the trust store.
     */
    public DeviceApiClient(URI serverUri, Duration connectTimeout, Duration requestTimeout) {
        this.base = trimmed(serverUri);
        this.requestTimeout = requestTimeout;
        this.connectTimeout = connectTimeout;
        this.ownsHttp = true;
    }

    /**
     * Sends through {@code http}, which the caller may share with other clients; it must not
     * follow redirects (a redirect is an answer the protocol does not have).
     */
    public DeviceApiClient(URI serverUri, HttpClient http, Duration requestTimeout) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HTTP client must not follow redirects");
        }
        this.base = trimmed(serverUri);
        this.requestTimeout = requestTimeout;
        this.connectTimeout = null;
        this.http = http;
        this.ownsHttp = false;
    }

    /**
     * Lets go of the HTTP client this object built; one it was given belongs to the caller and
     * is kept. The Java runtime's client can be closed from Java 21 on (it is {@link
     * AutoCloseable} there), and is; on Java 17 it cannot, and is only dropped, so that it and its
     * selector thread end once collected. No request can be sent after this.
     */
    public void close() {
        HttpClient built;
        synchronized (this) {
            closed = true;
            built = ownsHttp ? http : null;
            if (ownsHttp) {
                http = null;
            }
        }
        if (built instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Closing frees resources only; no request is left for it to fail.
            }
        }
    }

    private static URI trimmed(URI serverUri) {
        String text = serverUri.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null && closed) {
                    throw new IllegalStateException("The client is closed");
                }
                if (client == null) {
                    HttpClient.Builder builder = HttpClient.newBuilder()
                            .connectTimeout(connectTimeout)
                            .followRedirects(HttpClient.Redirect.NEVER);
                    if ("http".equalsIgnoreCase(base.getScheme())) {
                        // Plain HTTP (a development or test server on this machine): nothing here
                        // uses TLS, since no redirect is followed, so the trust store is not loaded
                        // (about 0.13 s of a command-line run), and HTTP/1.1 skips the upgrade to
                        // HTTP/2 that the client would try on a plain connection.
                        builder.sslContext(new NoTlsContext()).sslParameters(new SSLParameters())
                                .version(HttpClient.Version.HTTP_1_1);
                    }
                    client = builder.build();
                    http = client;
                }
            }
        }
        return client;
    }

    /** Credentials of a registered device. */
    public record Credentials(UUID deviceId, String secret) {
        String basic() {
            return new BasicCredentials(deviceId.toString(), secret).header();
        }

        @Override
        public String toString() {
            return "Credentials[" + deviceId + ", <redacted>]";
        }
    }

    public DeviceCredentials registerDevice(String name) {
        return send("POST", "/devices", null, null, new DeviceRegistrationRequest(name), DeviceCredentials.class);
    }

    public void deregisterDevice(Credentials device) {
        send("DELETE", "/devices/self", device, null, null, Void.class);
    }

    /** {@code duressPin} null registers without one: the member is then left out of the request. */
    public void registerUser(Credentials device, String userId, String activationCode, String pin, String duressPin) {
        send("POST", "/users", device, null, new UserRegistrationRequest(userId, activationCode, pin, duressPin),
                Void.class);
    }

    public void setDuressPin(Credentials device, String userId, String accessToken, String duressPin) {
        send("PUT", user(userId) + "/duress-pin", device, accessToken, new DuressPinRequest(duressPin), Void.class);
    }

    public void removeDuressPin(Credentials device, String userId, String accessToken) {
        send("DELETE", user(userId) + "/duress-pin", device, accessToken, null, Void.class);
    }

    public AccessTokenResponse login(Credentials device, String userId, String pin) {
        return send("POST", user(userId) + "/session", device, null, new PinLoginRequest(pin), AccessTokenResponse.class);
    }

    public void logout(Credentials device, String userId, String accessToken) {
        send("DELETE", user(userId) + "/session", device, accessToken, null, Void.class);
    }

    public void leave(Credentials device, String userId, String accessToken) {
        send("DELETE", user(userId), device, accessToken, null, Void.class);
    }

    public EnrollmentResponse enroll(Credentials device, String userId, String accessToken, EnrollmentRequest request) {
        return send("PUT", user(userId) + "/mobile-auth/enrollment", device, accessToken, request, EnrollmentResponse.class);
    }

    public SealedMessage fetch(Credentials device, String userId, String accessToken, String otp) {
        return send("POST", user(userId) + "/mobile-auth/otp", device, accessToken, new OtpFetchRequest(otp),
                SealedMessage.class);
    }

    public SealedMessage fetchByShortCode(Credentials device, String userId, String accessToken, String shortCode) {
        return send("POST", user(userId) + "/mobile-auth/short-code", device, accessToken,
                new ShortCodeFetchRequest(shortCode), SealedMessage.class);
    }

    public AnswerAccepted answer(Credentials device, String userId, String accessToken, UUID transactionId,
                                 SealedMessage answer) {
        return send("POST", user(userId) + "/mobile-auth/transactions/" + transactionId + "/answer", device,
                accessToken, answer, AnswerAccepted.class);
    }

    /** A page of the user's receipt chain ({@code docs/PROTOCOL.md}, "Receipt chain"). */
    public dev.qrauth.protocol.receipt.ReceiptPage receipts(Credentials device, String userId, String accessToken,
                                                            long afterSeq, int limit) {
        return send("GET", user(userId) + "/receipts?after_seq=" + afterSeq + "&limit=" + limit, device, accessToken,
                null, dev.qrauth.protocol.receipt.ReceiptPage.class);
    }

    private static String user(String userId) {
        return "/users/" + URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private <T> T send(String method, String path, Credentials device, String accessToken, Object body, Class<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/device/api/v1" + path))
                .timeout(requestTimeout)
                .header("Accept", JSON)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(body)));
        if (body != null) {
            request.header("Content-Type", JSON);
        }
        if (device != null) {
            request.header("Authorization", device.basic());
        }
        if (accessToken != null) {
            request.header(DeviceHeaders.ACCESS_TOKEN, accessToken);
        }
        HttpResponse<byte[]> response;
        byte[] content;
        try {
            response = http().send(request.build(), info -> new LimitedBody());
            content = response.body();
        } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException | NoRouteToHostException e) {
            throw new SdkException(SdkErrorCode.NETWORK_CONNECTIVITY_FAILURE, "Cannot connect to " + base, null, e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnresolvedAddressException || e.getCause() instanceof ConnectException) {
                throw new SdkException(SdkErrorCode.NETWORK_CONNECTIVITY_FAILURE, "Cannot connect to " + base, null, e);
            }
            throw new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE, "The server did not answer properly", null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE, "Interrupted while waiting for the server", null, e);
        }
        int status = response.statusCode();
        if (content.length > MAX_RESPONSE_BYTES) {
            throw garbage("an oversized answer");
        }
        if (status >= 200 && status < 300) {
            if (type == Void.class) {
                return null;
            }
            try {
                return ProtocolJson.read(content, type);
            } catch (ProtocolFormatException e) {
                throw garbage("an undocumented answer");
            }
        }
        if (status >= 400 && status < 500) {
            DeviceError error;
            try {
                error = ProtocolJson.read(content, DeviceError.class);
            } catch (ProtocolFormatException e) {
                throw garbage("an undocumented error (HTTP " + status + ")");
            }
            throw ErrorCodes.toSdk(error);
        }
        throw garbage("HTTP " + status);
    }

    /**
     * The body as bytes, at most one byte past the limit, so a huge answer cannot fill memory:
     * past that the rest is not read. Collected as it arrives, so the answer is complete when
     * {@code send} returns (no stream for the caller to drain afterwards).
     */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                int take = Math.min(buffer.remaining(), MAX_RESPONSE_BYTES + 1 - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
                if (bytes.size() > MAX_RESPONSE_BYTES) {
                    subscription.cancel();
                    body.complete(bytes.toByteArray());
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }

    private static SdkException garbage(String what) {
        return new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE, "The server answered with " + what);
    }
}
