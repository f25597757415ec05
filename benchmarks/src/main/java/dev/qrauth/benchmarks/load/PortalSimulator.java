package dev.qrauth.benchmarks.load;

import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.TransactionResult;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The portal's part of a flow, as one API client of the token server: start an authentication of
 * the {@code load} type with the driver's callback URI, and read its result. What every initiation
 * sends is built once, not per flow.
 */
final class PortalSimulator {

    private static final String USER_AGENT =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    private final HttpClient http;
    private final String clientId;
    private final String authorization;
    private final URI initiateUri;
    private final String resultUriPrefix;
    private final HttpRequest.BodyPublisher initiateForm;

    PortalSimulator(HttpClient http, URI server, String clientId, String clientSecret, String callbackUri) {
        this.http = http;
        this.clientId = clientId;
        this.authorization = new BasicCredentials(clientId, clientSecret).header();
        this.initiateUri = server.resolve("/oauth/api/v4/authenticate/user");
        this.resultUriPrefix = server.resolve("/oauth/api/v4/authenticate/transaction/").toString();
        this.initiateForm = HttpRequest.BodyPublishers.ofString("type=load&message="
                + URLEncoder.encode("Log in to the load test", StandardCharsets.UTF_8)
                + "&callback_uri=" + URLEncoder.encode(callbackUri, StandardCharsets.UTF_8)
                + "&ip_address=127.0.0.1&user_agent=" + URLEncoder.encode(USER_AGENT, StandardCharsets.UTF_8));
    }

    String clientId() {
        return clientId;
    }

    AuthenticationStarted initiate() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(initiateUri)
                .timeout(Flow.TIMEOUT).header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(initiateForm).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new FlowException("initiate HTTP " + response.statusCode());
        }
        return ProtocolJson.read(response.body(), AuthenticationStarted.class);
    }

    TransactionResult result(UUID transactionId) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(resultUriPrefix + transactionId))
                .timeout(Flow.TIMEOUT).header("Authorization", authorization).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new FlowException("result HTTP " + response.statusCode());
        }
        return ProtocolJson.read(response.body(), TransactionResult.class);
    }
}
