package dev.qrauth.benchmarks.load;

import dev.qrauth.protocol.json.ProtocolJson;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Readies the token server under test for a run, through its admin API: a portal client whose
 * callbacks go to the driver's receiver, the {@code load} authentication type, users with a
 * registered and enrolled virtual device each, and, on a server the driver started, finished
 * transactions as months of use would leave. Names carry a random run id, so runs against one
 * server do not collide.
 */
final class ServerSetUp {

    /** Devices registered at once: the server's enrollment work is the bottleneck, not the driver's threads. */
    private static final int REGISTERING_THREADS = 4;

    private final TokenServerUnderTest server;
    private final HttpClient http;
    private final PrintStream out;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    ServerSetUp(TokenServerUnderTest server, HttpClient http, PrintStream out) {
        this.server = server;
        this.http = http;
        this.out = out;
    }

    /** Creates the portal's client, tells {@code callbacks} its signing secret, and creates the type. */
    PortalSimulator portal(CallbackReceiver callbacks) throws IOException, InterruptedException {
        Map<String, Object> client = admin("POST", "/clients", "{\"name\":\"load-" + run + "\",\"display_name\":\"Load Test Portal\","
                + "\"callback_uris\":[\"" + callbacks.uri() + "\"]}", 201);
        callbacks.signingSecret((String) client.get("callback_signing_secret"));
        PortalSimulator portal = new PortalSimulator(http, server.uri, (String) client.get("client_id"),
                (String) client.get("client_secret"), callbacks.uri());
        // 409: an earlier run against this server created it already.
        admin("POST", "/mobile-auth-types", "{\"name\":\"load\",\"method\":\"OTP\",\"time_to_live_seconds\":120}", 201, 409);
        return portal;
    }

    /** {@code count} users, each with a virtual device registered and enrolled, ready to answer. */
    BlockingQueue<VirtualDevice> devices(int count) throws Exception {
        out.println("Registering and enrolling " + count + " virtual devices ...");
        BlockingQueue<VirtualDevice> devices = new ArrayBlockingQueue<>(count);
        ExecutorService registering = Executors.newFixedThreadPool(REGISTERING_THREADS);
        try {
            List<CompletableFuture<VirtualDevice>> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String userId = "load-" + run + "-" + i;
                made.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        Map<String, Object> user = admin("POST", "/users", "{\"user_id\":\"" + userId + "\"}", 201);
                        return VirtualDevice.register(server.uri, http, userId, (String) user.get("activation_code"));
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, registering));
            }
            for (CompletableFuture<VirtualDevice> device : made) {
                devices.add(device.get(5, TimeUnit.MINUTES));
            }
        } finally {
            registering.shutdown();
        }
        return devices;
    }

    /**
     * Adds {@code rows} transactions of {@code clientId} that finished within the retention period,
     * so that they stay in the table while measured; straight into the embedded database, as the
     * API has no way to make old ones.
     */
    void seedOldRows(long rows, String clientId) throws Exception {
        long port = server.databasePort().orElseThrow(() -> new IllegalStateException(
                "--old-rows needs the token server this driver starts"));
        out.println("Adding " + rows + " finished transactions, as months of use would leave ...");
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "postgres", server.databasePassword());
             Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO mobile_auth_transaction (transaction_id, client_id, type_name, status, code_hash, "
                    + "callback_uri, message, user_id, reason, created_at, expires_at, finished_at) "
                    + "SELECT gen_random_uuid(), '" + clientId + "', 'load', "
                    + "CASE WHEN g % 3 = 0 THEN 'EXPIRED' WHEN g % 3 = 1 THEN 'CONFIRMED' ELSE 'REJECTED' END, "
                    + "md5(g::text), 'http://127.0.0.1/cb', 'old', 'old-user', NULL, "
                    + "now() - interval '2 days' + g * interval '1 millisecond', "
                    + "now() - interval '2 days' + g * interval '1 millisecond' + interval '2 minutes', "
                    + "now() - interval '2 days' + g * interval '1 millisecond' + interval '1 minute' "
                    + "FROM generate_series(1, " + rows + ") g");
            sql.execute("ANALYZE mobile_auth_transaction");
        }
    }

    /** One admin API call; the answer's JSON object when its status is one of {@code expected}. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> admin(String method, String path, String json, int... expected)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(server.uri.resolve("/admin/api/v1" + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + server.adminPassword).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response.body().length == 0 ? Map.of() : ProtocolJson.read(response.body(), Map.class);
            }
        }
        throw new IllegalStateException("admin " + method + " " + path + ": HTTP " + response.statusCode() + " "
                + new String(response.body(), StandardCharsets.UTF_8));
    }
}
