package dev.qrauth.testkit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;

/**
 * {@link ServerProcess} for scripts: starts a server, waits until it is ready, prints its URL and
 * PID, and exits, leaving the server running; later stops it by that PID.
 *
 * <pre>
 * started="$(java -cp testkit/target/testkit.jar dev.qrauth.testkit.ServerLauncher start \
 *     --jar token-server/target/quarkus-app/quarkus-run.jar --data-dir "$work" \
 *     --property tokenserver.callback.allow-private-addresses=true)"
 * server="${started% *}"; server_pid="${started#* }"
 * ...
 * java -cp testkit/target/testkit.jar dev.qrauth.testkit.ServerLauncher stop "$server_pid"
 * </pre>
 *
 * Secrets never go on the command line: the server inherits them from the launcher's environment
 * ({@code TOKENSERVER_ADMIN_PASSWORD}, {@code TOKENSERVER_MASTER_KEY}), and a {@code --property}
 * that names one is refused. The server's output goes to {@code server.log} in the data directory,
 * its data under {@code server/} there.
 */
public final class ServerLauncher {

    static final String USAGE = """
            usage: ServerLauncher start --jar <server jar> --data-dir <directory> [--port <port>] [--heap <size>]
                                        [--ready-path <path>] [--timeout-seconds <seconds>] [--property <key>=<value>]...
                   ServerLauncher stop <pid>
            start prints "<url> <pid>" once the server is ready; stop ends it with SIGTERM, then SIGKILL.""";

    private ServerLauncher() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Does what {@code args} say; the process's exit code: 0 done, 1 failed, 2 misused. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 2 && args[0].equals("stop")) {
                return stop(args[1], err);
            }
            if (args.length > 0 && args[0].equals("start")) {
                ServerProcess server = options(Arrays.asList(args).subList(1, args.length).iterator()).start();
                out.println(server.uri() + " " + server.handle().pid());
                return 0;
            }
            throw new IllegalArgumentException("start or stop?");
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static ServerProcess.Builder options(Iterator<String> args) {
        Path jar = null;
        Path dataDir = null;
        String heap = null;
        Integer port = null;
        String readyPath = null;
        Duration timeout = null;
        java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
        while (args.hasNext()) {
            String option = args.next();
            if (!args.hasNext()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args.next();
            switch (option) {
                case "--jar" -> jar = Path.of(value);
                case "--data-dir" -> dataDir = Path.of(value);
                case "--heap" -> heap = value;
                case "--port" -> port = number(option, value);
                case "--ready-path" -> readyPath = value;
                case "--timeout-seconds" -> timeout = Duration.ofSeconds(number(option, value));
                case "--property" -> {
                    int equals = value.indexOf('=');
                    if (equals < 1) {
                        throw new IllegalArgumentException("--property takes <key>=<value>: " + value);
                    }
                    String key = value.substring(0, equals);
                    if (ServerProcess.isSecret(key)) {
                        throw new IllegalArgumentException(key + " is a secret: set " + ServerProcess.environmentName(key)
                                + " in the environment instead, where the command line does not show it");
                    }
                    properties.put(key, value.substring(equals + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (jar == null || dataDir == null) {
            // Without a directory of the caller's, the server's data would outlive every reference to it.
            throw new IllegalArgumentException("start needs --jar and --data-dir");
        }
        ServerProcess.Builder builder = ServerProcess.builder(jar).dataDirectory(dataDir).properties(properties)
                .stopWithTheJvm(false);
        Optional.ofNullable(heap).ifPresent(builder::heap);
        Optional.ofNullable(port).ifPresent(builder::port);
        Optional.ofNullable(readyPath).ifPresent(builder::readinessPath);
        Optional.ofNullable(timeout).ifPresent(builder::startTimeout);
        return builder;
    }

    private static int stop(String pid, PrintStream err) {
        long id;
        try {
            id = Long.parseLong(pid);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a PID: " + pid);
        }
        Optional<ProcessHandle> server = ProcessHandle.of(id);
        if (server.isEmpty()) {
            return 0;
        }
        String command = server.get().info().commandLine().orElse("");
        if (!command.isEmpty() && !command.contains("-jar")) {
            // Whatever now has that PID, it is not a server this launcher started.
            err.println("process " + id + " is not a server's JVM: " + command);
            return 1;
        }
        return ServerProcess.stop(server.get()) ? 0 : 1;
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number: " + value);
        }
    }
}
