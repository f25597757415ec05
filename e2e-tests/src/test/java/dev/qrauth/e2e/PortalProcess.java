package dev.qrauth.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real portal, started from its built jar on a free loopback port, stopped by PID. Its
 * secrets are in its environment, never on its command line.
 */
final class PortalProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    final URI uri;
    private final Process process;
    private final Path log;

    private PortalProcess(URI uri, Process process, Path log) {
        this.uri = uri;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a portal on {@code port} for the API client in {@code settings}
     * ({@code portal.client-id} and the rest, see the README).
     */
    static PortalProcess start(int port, Map<String, String> settings) {
        Path jar = Path.of(System.getProperty("qrauth.portal.jar", "../portal-web/target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("Build the portal first: ./mvnw -B package -pl portal-web -am (" + jar + " is missing)");
        }
        try {
            Path log = Scratch.file("qrauth-e2e-portal", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    "-Dportal.public-url=http://127.0.0.1:" + port));
            Map<String, String> environment = new LinkedHashMap<>();
            settings.forEach((key, value) -> {
                if (TokenServerProcess.isSecret(key)) {
                    environment.put(TokenServerProcess.environmentName(key), value);
                } else {
                    command.add("-D" + key + "=" + value);
                }
            });
            command.add("-jar");
            command.add(jar.toAbsolutePath().toString());
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PortalProcess portal = new PortalProcess(URI.create("http://127.0.0.1:" + port), process, log);
            portal.awaitReady();
            return portal;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The portal exited: " + log());
            }
            try {
                HttpResponse<Void> home = http.send(HttpRequest.newBuilder(uri.resolve("/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (home.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("The portal was not ready within " + START_TIMEOUT + ": " + log());
    }

    /** The portal's process, to look at from outside. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    String log() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The first lines of the log that contain {@code text}, for a failure message. */
    String logLines(String text) {
        try (java.util.stream.Stream<String> lines = Files.lines(log)) {
            return String.join("\n", lines.filter(line -> line.contains(text)).limit(5).toList());
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
