package dev.qrauth.e2e;

import dev.qrauth.protocol.json.ProtocolJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real token server, started from its built jar as a process on a free loopback port with a
 * throw-away data directory (and so its own embedded PostgreSQL), stopped by PID. Its secrets
 * are in its environment, never on its command line, which every user of the machine can read.
 */
final class TokenServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /**
     * One random master key for every server of the test run: nodes that share a database, and a
     * server restarted on its data, must decrypt the key material the first one stored.
     */
    private static final String MASTER_KEY = randomKey();

    final URI uri;
    final String adminPassword;
    final Path dataDir;
    private final Process process;
    private final List<String> extraProperties;
    private final HttpClient http = HttpClient.newHttpClient();

    private TokenServerProcess(URI uri, Path dataDir, Process process, String adminPassword, List<String> extraProperties) {
        this.uri = uri;
        this.adminPassword = adminPassword;
        this.dataDir = dataDir;
        this.process = process;
        this.extraProperties = List.copyOf(extraProperties);
    }

    static TokenServerProcess start(String... extraProperties) {
        return launch(freePort(), Scratch.directory("qrauth-e2e-token-server"), "e2e-" + UUID.randomUUID(),
                List.of(extraProperties));
    }

    private static TokenServerProcess launch(int port, Path dataDir, String adminPassword, List<String> extraProperties) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("TOKENSERVER_ADMIN_PASSWORD", adminPassword);
        environment.put("TOKENSERVER_MASTER_KEY", MASTER_KEY);
        List<String> properties = new ArrayList<>();
        properties.add("quarkus.http.host=127.0.0.1");
        properties.addAll(extraProperties);
        TokenServerProcess server = spawn(port, dataDir, adminPassword, environment, properties);
        server.awaitReady();
        return server;
    }

    /**
     * The server started as the README's "Run the token server" shows: no host, no admin password,
     * and the master key only when {@code masterKey} is not null. It is not waited for: without a
     * key it is expected to exit, otherwise {@link #awaitReadyOn(URI)} waits.
     */
    static TokenServerProcess startAsTheReadmeShows(String masterKey) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (masterKey != null) {
            environment.put("TOKENSERVER_MASTER_KEY", masterKey);
        }
        return spawn(freePort(), Scratch.directory("qrauth-e2e-token-server"), null, environment, List.of());
    }

    /** Waits until the server answers its readiness probe at {@code base} (for a server not waited for). */
    void awaitReadyOn(URI base) {
        awaitReady(base);
    }

    /** Waits up to {@code timeout} for the process to exit; its exit code, or empty if it still runs. */
    java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
    }

    private static TokenServerProcess spawn(int port, Path dataDir, String adminPassword,
                                            Map<String, String> environment, List<String> extraProperties) {
        Path jar = Path.of(System.getProperty("qrauth.token-server.jar",
                "../token-server/target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("Build the token server first: ./mvnw -B package -pl token-server -am ("
                    + jar + " is missing)");
        }
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-Dquarkus.http.port=" + port,
                    "-Dtokenserver.data-dir=" + dataDir,
                    "-Dtokenserver.hashing.argon2-memory-kib=1024",
                    "-Dtokenserver.hashing.argon2-iterations=1",
                    // Every phone and portal here calls from 127.0.0.1: budgets meant for one host each.
                    "-Dtokenserver.device-registration.per-address=1000000",
                    "-Dtokenserver.auth-failures.per-address=1000000"));
            environment = new LinkedHashMap<>(environment);
            for (String property : extraProperties) {
                String name = property.substring(0, property.indexOf('='));
                if (isSecret(name)) {
                    environment.put(environmentName(name), property.substring(name.length() + 1));
                } else {
                    command.add("-D" + property);
                }
            }
            command.add("-jar");
            command.add(jar.toAbsolutePath().toString());
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            // Appended, so a restarted server's log follows the one before it.
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()))
                    .start();
            return new TokenServerProcess(URI.create("http://127.0.0.1:" + port), dataDir, process,
                    adminPassword, extraProperties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same server again, on the same port, data and database, after this one stopped or was killed. */
    TokenServerProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("Stop or kill the server before restarting it");
        }
        return launch(uri.getPort(), dataDir, adminPassword,
                extraProperties.stream().filter(p -> !p.startsWith("quarkus.http.host=")).toList());
    }

    /** The server's process, to look at from outside. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Whether a configuration key names a secret: a password, a secret or a key. */
    static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith("password") || lower.endsWith("secret") || lower.endsWith("key");
    }

    /** The environment variable Quarkus reads a key from: upper case, anything but letters and digits as '_'. */
    static String environmentName(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** {@code kill -9}: no shutdown hook, no chance to finish anything. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The token server survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The embedded PostgreSQL's postmaster, from the lock file in the data directory (it runs detached). */
    java.util.Optional<ProcessHandle> embeddedDatabase() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
            return ProcessHandle.of(pid);
        } catch (IOException | RuntimeException none) {
            return java.util.Optional.empty();
        }
    }

    private void awaitReady() {
        awaitReady(uri);
    }

    private void awaitReady(URI base) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The token server exited: " + log());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS); // poll interval; returns at once if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("The token server was not ready within " + START_TIMEOUT + ": " + log());
    }

    String log() {
        String log = fullLog();
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }

    /** The whole log, for checks of what it holds (not only its end, which {@link #log()} gives for messages). */
    String fullLog() {
        try {
            return Files.readString(dataDir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
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
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
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

    Response admin(String method, String path, String json) {
        return call(method, path, "admin", adminPassword, json == null ? null : "application/json", json);
    }

    record Response(int status, Map<String, Object> body) {
        String string(String member) {
            return body == null ? null : (String) body.get(member);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server by PID (SIGTERM, so it stops its PostgreSQL too), then anything left of it. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
