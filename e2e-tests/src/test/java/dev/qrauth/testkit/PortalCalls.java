package dev.qrauth.testkit;

import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a portal does with the token server, by plain HTTP: start a request, read its result. */
final class PortalCalls {

    private final TestTokenServer server;
    /** Where the calls go: the kit's recording pass-through, or the token server itself. */
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    PortalCalls(TestTokenServer server) {
        this(server, server.url());
    }

    private PortalCalls(TestTokenServer server, URI base) {
        this.server = server;
        this.base = base;
    }

    /**
     * The same calls straight to the token server, as by a portal the kit does not watch: no
     * request started this way waits for {@link VirtualPhone#approveNext(String)}.
     */
    PortalCalls direct() {
        return new PortalCalls(server, server.directUrl());
    }

    /** Starts a request of {@code type}; the map holds {@code transaction_id}, {@code otp} and the rest. */
    Map<String, Object> start(String type) {
        String form = "type=" + type + "&callback_uri="
                + URLEncoder.encode("http://127.0.0.1:9/callback", StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(base.resolve("/oauth/api/v4/authenticate/user"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), 200);
    }

    /** The transaction's result as the portal reads it. */
    Map<String, Object> result(Object transactionId) {
        return send(HttpRequest.newBuilder(base.resolve("/oauth/api/v4/authenticate/transaction/" + transactionId))
                .GET(), 200);
    }

    /** Submits the code the browser was given by its user (reverse code entry); the result after it. */
    Map<String, Object> submitReverseCode(Object transactionId, String code) {
        return send(HttpRequest.newBuilder(base.resolve(
                        "/oauth/api/v4/authenticate/transaction/" + transactionId + "/reverse-code"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("code=" + code)), 200);
    }

    private Map<String, Object> send(HttpRequest.Builder request, int expectedStatus) {
        request.header("Authorization", new BasicCredentials(server.clientId(), server.clientSecret()).header());
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != expectedStatus) {
                throw new AssertionError(response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = ProtocolJson.read(response.body(), Map.class);
            return body;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
