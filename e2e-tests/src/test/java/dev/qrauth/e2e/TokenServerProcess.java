package dev.qrauth.e2e;

import dev.qrauth.adminclient.AdminClient;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.testkit.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The real token server, started from its built jar by the test kit's {@link ServerProcess} on a
 * free loopback port with a throw-away data directory (and so its own embedded PostgreSQL),
 * stopped by PID. Its secrets are in its environment, never on its command line, which every
 * user of the machine can read. Adds what these tests ask of a server: its admin API, raw calls,
 * its embedded database's process and the first error of its log.
 */
final class TokenServerProcess implements AutoCloseable {

    /**
     * One random master key for every server of the test run: nodes that share a database, and a
     * server restarted on its data, must decrypt the key material the first one stored.
     */
    private static final String MASTER_KEY = randomKey();

    final URI uri;
    final String adminPassword;
    /** What the server keeps: its embedded PostgreSQL, its generated passwords. */
    final Path dataDir;
    private final ServerProcess process;
    private final HttpClient http = HttpClient.newHttpClient();
    private AdminClient admin;

    private TokenServerProcess(ServerProcess process, String adminPassword) {
        this.process = process;
        this.uri = process.uri();
        this.adminPassword = adminPassword;
        this.dataDir = process.serverData();
    }

    static TokenServerProcess start(String... extraProperties) {
        return start(builder(), extraProperties);
    }

    /**
     * Started as a terminal's foreground job: Ctrl-C ({@code SIGINT}) reaches it even when this
     * test run was started in the background of a script, which ignores it for its children.
     */
    static TokenServerProcess startAsInATerminal(String... extraProperties) {
        return start(builder().asInATerminal(), extraProperties);
    }

    private static TokenServerProcess start(ServerProcess.Builder server, String... extraProperties) {
        String adminPassword = "e2e-" + UUID.randomUUID();
        server.property("tokenserver.admin.password", adminPassword)
                .property("tokenserver.master-key", MASTER_KEY);
        for (String property : extraProperties) {
            int equals = property.indexOf('=');
            server.property(property.substring(0, equals), property.substring(equals + 1));
        }
        return new TokenServerProcess(server.start(), adminPassword);
    }

    /**
     * The server started as the README's "Run the token server" shows: no host, no admin password,
     * and the master key only when {@code masterKey} is not null. It is not waited for: without a
     * key it is expected to exit, otherwise {@link #awaitReadyOn(URI)} waits.
     */
    static TokenServerProcess startAsTheReadmeShows(String masterKey) {
        ServerProcess.Builder server = builder().loopbackOnly(false);
        if (masterKey != null) {
            server.property("tokenserver.master-key", masterKey);
        }
        return new TokenServerProcess(server.startWithoutWaiting(), null);
    }

    /** The settings every server here starts with: cheap hashing, and budgets for many callers on one host. */
    private static ServerProcess.Builder builder() {
        Path jar = Path.of(System.getProperty("qrauth.token-server.jar",
                "../token-server/target/quarkus-app/quarkus-run.jar"));
        return ServerProcess.builder(jar)
                .heap("512m")
                // Each server lives for a test or a class: half the CPU to start, ample speed after.
                .quickStart()
                .dataDirectory(Scratch.directory("qrauth-e2e-token-server"))
                .property("tokenserver.hashing.argon2-memory-kib", "1024")
                .property("tokenserver.hashing.argon2-iterations", "1")
                // Every phone and portal here calls from 127.0.0.1: budgets meant for one host each.
                .property("tokenserver.device-registration.per-address", "1000000")
                .property("tokenserver.auth-failures.per-address", "1000000");
    }

    /** Waits until the server answers its readiness probe (for a server not waited for). */
    void awaitReadyOn(URI base) {
        if (!base.equals(uri)) {
            throw new IllegalArgumentException("The server listens on " + uri + ", not " + base);
        }
        process.awaitReady();
    }

    /** Waits up to {@code timeout} for the process to exit; its exit code, or empty if it still runs. */
    OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.awaitExit(timeout);
    }

    /** The same server again, on the same port, data and database, after this one stopped or was killed. */
    TokenServerProcess restart() {
        return new TokenServerProcess(process.restart(), adminPassword);
    }

    /** The same server again, as {@link #restart()}, without waiting for it to be ready. */
    TokenServerProcess restartWithoutWaiting() {
        return new TokenServerProcess(process.restartWithoutWaiting(), adminPassword);
    }

    /** The server's process, to look at from outside. */
    ProcessHandle handle() {
        return process.handle();
    }

    /** {@code kill -9}: no shutdown hook, no chance to finish anything. */
    void kill() {
        process.kill();
    }

    /** The embedded PostgreSQL's postmaster, from the lock file in the data directory (it runs detached). */
    Optional<ProcessHandle> embeddedDatabase() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
            return ProcessHandle.of(pid);
        } catch (IOException | RuntimeException none) {
            return Optional.empty();
        }
    }

    String log() {
        return process.log();
    }

    /** The whole log, for checks of what it holds (not only its end, which {@link #log()} gives for messages). */
    String fullLog() {
        return process.fullLog();
    }

    /**
     * The first ERROR entry of the log with the lines after it (its stack trace), for a failure
     * message that names the cause without the log itself, which is deleted when the tests end.
     */
    String firstError() {
        String log = fullLog();
        int at = log.indexOf(" ERROR ");
        if (at < 0) {
            return "(no ERROR in the token server's log)";
        }
        int start = log.lastIndexOf('\n', at) + 1;
        return log.substring(start, Math.min(log.length(), start + 6000));
    }

    /** A JSON call with Basic credentials; returns status and parsed body (or null). */
    Response call(String method, String path, String user, String password, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (user != null) {
            request.header("Authorization", new BasicCredentials(user, password).header());
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, Object> parsed = null;
            if (response.body().length > 0 && response.body()[0] == '{') {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = ProtocolJson.read(response.body(), Map.class);
                parsed = map;
            }
            return new Response(response.statusCode(), parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server's admin API, with the admin's credentials. */
    synchronized AdminClient admin() {
        if (admin == null) {
            admin = AdminClient.builder(uri, "admin", adminPassword).build();
        }
        return admin;
    }

    record Response(int status, Map<String, Object> body) {
        String string(String member) {
            return body == null ? null : (String) body.get(member);
        }
    }

    static int freePort() {
        return ServerProcess.freePort();
    }

    /** Stops the server by PID (SIGTERM, so it stops its PostgreSQL too), then anything left of it. */
    @Override
    public void close() {
        process.close();
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
