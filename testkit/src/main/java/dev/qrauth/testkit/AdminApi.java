package dev.qrauth.testkit;

import dev.qrauth.protocol.json.ProtocolJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The token server's admin API, as much of it as seeding a test needs. */
final class AdminApi {

    private final URI server;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminApi(URI server, String adminPassword) {
        this.server = server;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    void createType(AuthType type) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", type.name());
        body.put("method", "OTP");
        body.put("time_to_live_seconds", type.timeToLiveSeconds());
        body.put("number_matching", type.numberMatching());
        body.put("default_message", type.defaultMessage());
        body.put("proximity", type.proximity());
        body.put("reverse_code", type.reverseCode());
        post("/admin/api/v1/mobile-auth-types", body);
    }

    TestTokenServer.SeededClient createClient(String displayName, List<String> callbackUris, boolean callbackOnScan) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "portal-under-test");
        body.put("display_name", displayName);
        body.put("callback_uris", callbackUris);
        body.put("callback_on_scan", callbackOnScan);
        Map<String, Object> created = post("/admin/api/v1/clients", body).body();
        return new TestTokenServer.SeededClient((String) created.get("client_id"), (String) created.get("client_secret"),
                (String) created.get("callback_signing_secret"));
    }

    /** An activation code for {@code userId}: the user is created when new, else given another code. */
    String activationCode(String userId) {
        Reply created = send("POST", "/admin/api/v1/users", Map.of("user_id", userId));
        if (created.status() == 409) {
            String path = "/admin/api/v1/users/" + URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20")
                    + "/activation-codes";
            return (String) expectCreated(path, send("POST", path, null)).body().get("activation_code");
        }
        return (String) expectCreated("/admin/api/v1/users", created).body().get("activation_code");
    }

    private Reply post(String path, Map<String, Object> body) {
        return expectCreated(path, send("POST", path, body));
    }

    private static Reply expectCreated(String path, Reply reply) {
        if (reply.status() != 201) {
            throw new IllegalStateException("The token server refused " + path + " with " + reply.status() + ": "
                    + reply.body());
        }
        return reply;
    }

    private Reply send(String method, String path, Map<String, Object> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(body)));
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, Object> parsed = Map.of();
            if (response.body().length > 0 && response.body()[0] == '{') {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = ProtocolJson.read(response.body(), Map.class);
                parsed = map;
            }
            return new Reply(response.statusCode(), parsed);
        } catch (IOException e) {
            throw new UncheckedIOException("The token server's admin API did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + path, e);
        }
    }

    private record Reply(int status, Map<String, Object> body) {
    }
}
