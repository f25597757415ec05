package dev.qrauth.e2e;

import dev.qrauth.testkit.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real portal, started from its built jar by the test kit's {@link ServerProcess} on a given
 * loopback port, stopped by PID. Its secrets are in its environment, never on its command line.
 */
final class PortalProcess implements AutoCloseable {

    final URI uri;
    private final ServerProcess process;

    private PortalProcess(ServerProcess process) {
        this.process = process;
        this.uri = process.uri();
    }

    /**
     * Starts a portal on {@code port} for the API client in {@code settings}
     * ({@code portal.client-id} and the rest, see the README).
     */
    static PortalProcess start(int port, Map<String, String> settings) {
        Path jar = Path.of(System.getProperty("qrauth.portal.jar", "../portal-web/target/quarkus-app/quarkus-run.jar"));
        return new PortalProcess(ServerProcess.builder(jar)
                .heap("256m")
                .quickStart()
                .port(port)
                .dataDirectory(Scratch.directory("qrauth-e2e-portal"))
                // The portal keeps nothing: its directory holds only the log.
                .dataDirectoryProperty(null)
                // Its home page answers once it serves.
                .readinessPath("/")
                .startTimeout(Duration.ofSeconds(60))
                .property("portal.public-url", "http://127.0.0.1:" + port)
                .properties(settings)
                .start());
    }

    /** The portal's process, to look at from outside. */
    ProcessHandle handle() {
        return process.handle();
    }

    String log() {
        return process.log();
    }

    /** The first lines of the log that contain {@code text}, for a failure message. */
    String logLines(String text) {
        try (Stream<String> lines = Files.lines(process.logFile())) {
            return String.join("\n", lines.filter(line -> line.contains(text)).limit(5).toList());
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
