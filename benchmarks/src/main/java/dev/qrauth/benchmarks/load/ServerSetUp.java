package dev.qrauth.benchmarks.load;

import dev.qrauth.adminclient.AdminClient;
import dev.qrauth.adminclient.AdminRefusedException;
import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.testkit.CallbackInbox;
import dev.qrauth.testkit.VirtualPhone;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
    private final AdminClient admin;
    private final HttpClient http;
    private final PrintStream out;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    ServerSetUp(TokenServerUnderTest server, HttpClient http, PrintStream out) {
        this.server = server;
        this.admin = server.admin();
        this.http = http;
        this.out = out;
    }

    /** Creates the portal's client, tells {@code callbacks} its signing secret, and creates the type. */
    PortalSimulator portal(CallbackInbox callbacks) {
        CreatedClient client = admin.createClient(
                NewClient.of("load-" + run, "Load Test Portal", List.of(callbacks.uri())));
        callbacks.verifying(client.callbackSigningSecret());
        PortalSimulator portal = new PortalSimulator(http, server.uri, client.clientId(), client.clientSecret(),
                callbacks.uri());
        try {
            admin.createType(MobileAuthTypeView.otp("load", 120));
        } catch (AdminRefusedException e) {
            if (e.status() != 409) {
                throw e;
            }
            // An earlier run against this server created it already.
        }
        return portal;
    }

    /**
     * {@code count} users, each with a virtual phone registered and enrolled, ready to answer. The
     * phones send through the driver's shared {@code http}.
     */
    BlockingQueue<VirtualPhone> devices(int count) throws Exception {
        out.println("Registering and enrolling " + count + " virtual devices ...");
        BlockingQueue<VirtualPhone> devices = new ArrayBlockingQueue<>(count);
        ExecutorService registering = Executors.newFixedThreadPool(REGISTERING_THREADS);
        try {
            List<CompletableFuture<VirtualPhone>> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String userId = "load-" + run + "-" + i;
                made.add(CompletableFuture.supplyAsync(() -> VirtualPhone.builder(server.uri).httpClient(http)
                        .answerTimeout(Flow.TIMEOUT).build()
                        .enroll(userId, admin.createUser(userId).activationCode()), registering));
            }
            for (CompletableFuture<VirtualPhone> device : made) {
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
}
