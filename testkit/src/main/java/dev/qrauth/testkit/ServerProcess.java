package dev.qrauth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The token server's jar run as a child process on a free loopback port, with a temporary data
 * directory that holds its embedded PostgreSQL and its log. Stopped by PID; the directory is
 * deleted afterwards.
 *
 * <p>Secrets reach the server in its environment, never on its command line, which every user
 * of the machine can read ({@code ps}): {@code tokenserver.admin.password} as
 * {@code TOKENSERVER_ADMIN_PASSWORD}, the way Quarkus maps a key to an environment variable.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final URI uri;
    private final Path dataDir;
    private final Process process;

    private ServerProcess(URI uri, Path dataDir, Process process) {
        this.uri = uri;
        this.dataDir = dataDir;
        this.process = process;
    }

    /** Starts the jar with {@code properties}; those that name a secret (see {@link #isSecret}) go in its environment. */
    static ServerProcess start(Path jar, Map<String, String> properties) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("qrauth-testkit-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dtokenserver.data-dir=" + dataDir.resolve("server")));
        Map<String, String> secrets = new LinkedHashMap<>();
        properties.forEach((name, value) -> {
            if (isSecret(name)) {
                secrets.put(environmentName(name), value);
            } else {
                command.add("-D" + name + "=" + value);
            }
        });
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(secrets);
        Process process;
        try {
            process = builder.redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("server.log").toFile()).start();
        } catch (IOException e) {
            delete(dataDir);
            throw new UncheckedIOException("Cannot start java for the token server", e);
        }
        ServerProcess server = new ServerProcess(URI.create("http://127.0.0.1:" + port), dataDir, process);
        // A test JVM that exits without closing the server (a missed close, System.exit, Ctrl-C)
        // must not leave it and its database running.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "qrauth-testkit-stop-server"));
        server.awaitReady();
        return server;
    }

    URI uri() {
        return uri;
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

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(uri.resolve("/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                String log = log();
                close();
                throw new IllegalStateException("The token server exited while starting:\n" + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while the token server started", e);
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while the token server started", e);
            }
        }
        String log = log();
        close();
        throw new IllegalStateException("The token server was not ready within " + START_TIMEOUT + ":\n" + log);
    }

    /** The last 4,000 characters of the server's output. */
    String log() {
        try {
            String log = Files.readString(dataDir.resolve("server.log"));
            return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (the server then stops its PostgreSQL), SIGKILL for whatever is left, then the data goes. */
    @Override
    public synchronized void close() {
        if (!process.isAlive() && !Files.exists(dataDir)) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        delete(dataDir);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a test run for.
        }
    }
}
