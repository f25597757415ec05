package dev.qrauth.benchmarks.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token server the driver measures: started from its jar on a free loopback port with a
 * temporary data directory (and so its own embedded PostgreSQL), or one already running. A
 * started server gets its admin password and master key in its environment: every user of the
 * machine can read a command line ({@code ps}).
 */
final class TokenServerUnderTest implements AutoCloseable {

    final URI uri;
    final String adminPassword;
    private final Process process;
    private final Path dataDir;

    private TokenServerUnderTest(URI uri, String adminPassword, Process process, Path dataDir) {
        this.uri = uri;
        this.adminPassword = adminPassword;
        this.process = process;
        this.dataDir = dataDir;
    }

    static TokenServerUnderTest external(URI uri, String adminPassword) {
        return new TokenServerUnderTest(uri, adminPassword, null, null);
    }

    static TokenServerUnderTest start(Path jar, String heap) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw -B package -DskipTests");
        }
        Path dataDir = Files.createTempDirectory("qrauth-load");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String adminPassword = "load-" + UUID.randomUUID();
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dtokenserver.data-dir=" + dataDir,
                // The driver is one portal asking for far more than a portal's default share.
                "-Dtokenserver.initiation.rate=100000",
                "-Dtokenserver.initiation.burst=100000",
                "-Dtokenserver.pending-cap=1000000",
                // Every simulated phone registers from 127.0.0.1.
                "-Dtokenserver.device-registration.per-address=1000000",
                "-Dtokenserver.access-token.ttl=PT2H",
                "-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("TOKENSERVER_ADMIN_PASSWORD", adminPassword);
        builder.environment().put("TOKENSERVER_MASTER_KEY", Base64.getEncoder().encodeToString(masterKey));
        Process process = builder.redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile()).start();
        TokenServerUnderTest server = new TokenServerUnderTest(URI.create("http://127.0.0.1:" + port), adminPassword,
                process, dataDir);
        server.awaitReady();
        return server;
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the token server exited; see " + dataDir.resolve("server.log"));
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(uri.resolve("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("the token server was not ready within two minutes");
    }

    /** CPU time of the server's JVM so far, in milliseconds; empty for a server not started here. */
    OptionalLong cpuMillis() {
        return process == null ? OptionalLong.empty() : Proc.cpuMillis(process.pid());
    }

    /** CPU time of the embedded PostgreSQL (postmaster and its backends) so far, in milliseconds. */
    OptionalLong databaseCpuMillis() {
        if (process == null) {
            return OptionalLong.empty();
        }
        String marker = dataDir.resolve("postgres").toString();
        long total = 0;
        boolean found = false;
        for (ProcessHandle handle : ProcessHandle.allProcesses().toList()) {
            if (handle.info().commandLine().orElse("").contains(marker)) {
                found = true;
                total += Proc.cpuMillis(handle.pid()).orElse(0);
                for (ProcessHandle child : handle.descendants().toList()) {
                    total += Proc.cpuMillis(child.pid()).orElse(0);
                }
            }
        }
        return found ? OptionalLong.of(total) : OptionalLong.empty();
    }

    /** The embedded database's port, from the server's log; empty for a server not started here. */
    OptionalLong databasePort() throws IOException {
        if (dataDir == null) {
            return OptionalLong.empty();
        }
        Matcher matcher = Pattern.compile("Started the embedded PostgreSQL in .* on port (\\d+)")
                .matcher(Files.readString(dataDir.resolve("server.log")));
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /** The embedded database's password, which the server keeps in its data directory (0600). */
    String databasePassword() throws IOException {
        return Files.readString(dataDir.resolve("database-password")).strip();
    }

    Path log() {
        return dataDir == null ? null : dataDir.resolve("server.log");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            deleteDataDir();
        }
    }

    private void deleteDataDir() {
        try (var paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dataDir + ": " + e.getMessage());
        }
    }
}
