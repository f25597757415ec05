package dev.qrauth.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A running process as others on the machine see it: its arguments, which every user can read
 * ({@code ps}), and its environment, which only its owner can (Linux {@code /proc}).
 */
final class ProcessView {

    private ProcessView() {
    }

    /** The process's arguments after the program, as {@code ps} shows them to anyone. */
    static List<String> arguments(ProcessHandle process) {
        return List.of(process.info().arguments().orElseThrow(
                () -> new AssertionError("the arguments of process " + process.pid() + " cannot be read")));
    }

    /** The process's environment; the test is skipped where there is no {@code /proc}. */
    static Map<String, String> environment(ProcessHandle process) {
        Path environ = Path.of("/proc", String.valueOf(process.pid()), "environ");
        assumeTrue(Files.isReadable(environ), "reads a process's environment from /proc (Linux)");
        Map<String, String> environment = new HashMap<>();
        try {
            for (String entry : new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).split("\0")) {
                int equals = entry.indexOf('=');
                if (equals > 0) {
                    environment.put(entry.substring(0, equals), entry.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return environment;
    }
}
