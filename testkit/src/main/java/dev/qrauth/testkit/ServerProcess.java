package dev.qrauth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A qrauth server's jar (the token server's, or the portal's) run as a child process on a loopback
 * port, with a data directory that holds its log (and the token server's embedded PostgreSQL).
 * Stopped by PID: SIGTERM, so the token server stops its PostgreSQL too, then SIGKILL for whatever
 * is left. The one way the kit, the end-to-end and fault suites, the benchmarks and the scripts
 * ({@link ServerLauncher}) start a server.
 *
 * <p>Secrets reach the server in its environment, never on its command line, which every user of
 * the machine can read ({@code ps}): a property whose key ends in {@code password}, {@code secret}
 * or {@code key}, such as {@code tokenserver.admin.password}, goes in as
 * {@code TOKENSERVER_ADMIN_PASSWORD}, the way Quarkus maps a key to an environment variable.
 *
 * <p>Only JDK classes are used here, so a script can run {@link ServerLauncher} with the kit's jar
 * alone on the class path.
 */
public final class ServerProcess implements AutoCloseable {

    /** The token server's readiness probe. */
    public static final String TOKEN_SERVER_READY = "/q/health/ready";

    /**
     * The JVM options of {@link Builder#quickStart()}, for any short-lived JVM: the JIT's first
     * tier only and the serial garbage collector.
     */
    public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** How long a server whose port another program holds has to exit by itself. */
    public static final Duration PORT_TAKEN_GRACE = Duration.ofSeconds(10);
    private static final int LOG_TAIL = 4000;

    private final Builder settings;
    private final URI uri;
    private final Path dataDir;
    private final Process process;
    /** The class-data archive a quick start maps or writes; null for other starts. */
    private final ServerClassArchive classes;
    /** Whether the server answered its readiness path: only then is its class archive whole. */
    private volatile boolean ready;
    private final Thread stopWithTheJvm;

    private ServerProcess(Builder settings, URI uri, Path dataDir, Process process, ServerClassArchive classes) {
        this.settings = settings;
        this.uri = uri;
        this.dataDir = dataDir;
        this.process = process;
        this.classes = classes;
        this.stopWithTheJvm = settings.stopWithTheJvm ? new Thread(this::close, "qrauth-stop-server") : null;
        if (stopWithTheJvm != null) {
            // A JVM that exits without closing the server (a missed close, System.exit, Ctrl-C)
            // must not leave it and its database running.
            Runtime.getRuntime().addShutdownHook(stopWithTheJvm);
        }
    }

    /** A server to start from {@code jar} (such as {@code token-server/target/quarkus-app/quarkus-run.jar}). */
    public static Builder builder(Path jar) {
        return new Builder(jar);
    }

    /** Options of the server to start; every one has a default. */
    public static final class Builder {

        private final Path jar;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private String heap = "384m";
        private int port;
        private Path dataDirectory;
        private String dataDirectoryProperty = "tokenserver.data-dir";
        private String name = "server";
        private String readinessPath = TOKEN_SERVER_READY;
        private Duration startTimeout = Duration.ofSeconds(90);
        private boolean loopbackOnly = true;
        private boolean stopWithTheJvm = true;
        private boolean interruptible;
        private boolean quickStart;
        private Path classArchiveCache;

        private Builder(Path jar) {
            this.jar = Objects.requireNonNull(jar, "jar == null");
        }

        /** A configuration property of the server (see its README); a secret goes in its environment. */
        public Builder property(String name, String value) {
            properties.put(Objects.requireNonNull(name, "name == null"), Objects.requireNonNull(value, "value == null"));
            return this;
        }

        /** Every one of {@code more} as a {@link #property}. */
        public Builder properties(Map<String, String> more) {
            more.forEach(this::property);
            return this;
        }

        /** The JVM's largest heap, as {@code -Xmx} takes it. Default {@code 384m}. */
        public Builder heap(String heap) {
            this.heap = Objects.requireNonNull(heap, "heap == null");
            return this;
        }

        /** The port to listen on. Default: a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The data directory to use and keep: a server started again on it finds its data, and
         * nodes given one each share nothing but their database. Default: a new temporary one,
         * deleted when the server is closed.
         */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "directory == null");
            return this;
        }

        /**
         * The property that names the data directory to the server ({@code tokenserver.data-dir}
         * by default), or {@code null} for a server that keeps no data, such as the portal: the
         * directory then holds only the log.
         */
        public Builder dataDirectoryProperty(String property) {
            this.dataDirectoryProperty = property;
            return this;
        }

        /**
         * The server's name in its data directory: its log is {@code <name>.log} there, what it
         * keeps is under {@code <name>/}. Default {@code server}. Servers of different names can
         * share one data directory, as {@code bin/demo}'s token server and portal do.
         */
        public Builder name(String name) {
            if (Objects.requireNonNull(name, "name == null").isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException("name must be a file name: " + name);
            }
            this.name = name;
            return this;
        }

        /** The path that answers 200 once the server is ready. Default {@value #TOKEN_SERVER_READY}. */
        public Builder readinessPath(String path) {
            this.readinessPath = Objects.requireNonNull(path, "path == null");
            return this;
        }

        /** How long the server may take to become ready. Default 90 seconds. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout == null");
            return this;
        }

        /**
         * Whether to bind the server to 127.0.0.1 ({@code true}, the default) or leave the host
         * to its own configuration, as an operator who follows the README would.
         */
        public Builder loopbackOnly(boolean loopbackOnly) {
            this.loopbackOnly = loopbackOnly;
            return this;
        }

        /**
         * Whether the server is stopped when this JVM exits ({@code true}, the default). A script's
         * launcher that exits once the server is ready turns this off and stops it by PID later.
         */
        public Builder stopWithTheJvm(boolean stop) {
            this.stopWithTheJvm = stop;
            return this;
        }

        /**
         * Starts the server with {@code SIGINT} and {@code SIGQUIT} at their defaults, as for the
         * foreground job of a terminal, even when this JVM inherited them ignored (a run started
         * in the background of a script): for a test of what Ctrl-C does. The server otherwise
         * keeps ignoring what it was started to ignore, as it should. Needs the {@code env} of
         * GNU coreutils 8.31 or later, as on current Linux distributions.
         */
        public Builder asInATerminal() {
            this.interruptible = true;
            return this;
        }

        /**
         * Starts the server's JVM for a short life: the JIT's first tier only and the serial
         * garbage collector, and the classes of an earlier start of the same jar mapped from a
         * class-data archive, which the first start writes when it is stopped (in
         * {@code ~/.cache/qrauth}). A start then takes about half the CPU time, and a quarter less
         * again with the archive ({@code docs/PERFORMANCE.md}), which is what a test suite that
         * starts many servers spends most on. Not for a server whose speed is measured: its code
         * never reaches the optimising compiler.
         */
        public Builder quickStart() {
            this.quickStart = true;
            return this;
        }

        /** Where a quick start keeps its class archives, instead of the user's cache: for tests. */
        Builder classArchiveCache(Path cache) {
            this.classArchiveCache = cache;
            return this;
        }

        /** Starts the server; it is ready for requests when this returns. */
        public ServerProcess start() {
            ServerProcess server = startWithoutWaiting();
            server.awaitReady();
            return server;
        }

        /**
         * Starts the server and returns at once: for a test of a server expected to exit, or to
         * start several at once and then {@link #awaitReady()} each.
         */
        public ServerProcess startWithoutWaiting() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("The server's jar " + jar.toAbsolutePath() + " does not exist: build it "
                        + "with './mvnw -B package -DskipTests' in the qrauth checkout.");
            }
            Path directory = dataDirectory;
            if (directory == null) {
                try {
                    directory = Files.createTempDirectory("qrauth-server-");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return launch(port == 0 ? freePort() : port, directory);
        }

        private ServerProcess launch(int onPort, Path directory) {
            List<String> command = new ArrayList<>();
            if (interruptible) {
                // env resets the two signals and then becomes the JVM: the process is the server's.
                command.addAll(List.of("env", "--default-signal=INT,QUIT"));
            }
            command.addAll(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap,
                    "-Dquarkus.http.port=" + onPort));
            ServerClassArchive classes = !quickStart ? null
                    : classArchiveCache == null ? ServerClassArchive.forStartOf(jar) : ServerClassArchive.forStartOf(jar, classArchiveCache);
            if (classes != null) {
                command.addAll(QUICK_START);
                command.addAll(classes.jvmOptions());
            }
            if (loopbackOnly) {
                command.add("-Dquarkus.http.host=127.0.0.1");
            }
            if (dataDirectoryProperty != null) {
                command.add("-D" + dataDirectoryProperty + "=" + directory.resolve(name));
            }
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
            try {
                Files.createDirectories(directory);
                // Appended, so the log of a server started again follows the one before it.
                Process process = builder.redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(name + ".log").toFile()))
                        .start();
                return new ServerProcess(this, URI.create("http://127.0.0.1:" + onPort), directory, process, classes);
            } catch (IOException e) {
                if (dataDirectory == null) {
                    Directories.deleteTreeQuietly(directory);
                }
                throw new UncheckedIOException("Cannot start java for the server", e);
            }
        }
    }

    /** Where the server answers: {@code http://127.0.0.1:<port>}. */
    public URI uri() {
        return uri;
    }

    /** The server's process, to look at from outside. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * The data directory: the log ({@code server.log}) and, under {@code server/}, what the
     * token server keeps (its embedded PostgreSQL in {@code server/postgres}); other names when
     * the server was given {@linkplain Builder#name one}.
     */
    public Path dataDirectory() {
        return dataDir;
    }

    /** What the server keeps, as its data-directory property names it. */
    public Path serverData() {
        return dataDir.resolve(settings.name);
    }

    /** The server's output, standard error included. */
    public Path logFile() {
        return dataDir.resolve(settings.name + ".log");
    }

    /**
     * Waits until the server answers its readiness path with 200; stops it when it does not in time.
     * Only the server's own process is asked: while a program that took its port (between the
     * choice of the port and the server's bind) listens there, nothing is sent to it, and the
     * start fails with {@link ServerStartException.Reason#PORT_TAKEN}. Which process listens is
     * read from the kernel's socket tables (Linux {@code /proc}); where they cannot be read, the
     * probe goes out as before.
     *
     * @throws ServerStartException when the server exited, did not become ready in time, or
     *     another program took its port
     */
    public void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(uri.resolve(settings.readinessPath))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(settings.startTimeout);
        Instant foreignSince = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw failedStart(ServerStartException.Reason.EXITED, "The server exited while starting:\n");
            }
            PortListener listener = PortListener.of(uri.getPort(), process.toHandle());
            if (listener == PortListener.FOREIGN) {
                // A server that cannot bind exits by itself, and its log says why: wait for that a
                // while, asking nothing of the other program, before stopping it.
                foreignSince = foreignSince == null ? Instant.now() : foreignSince;
                if (Instant.now().isAfter(foreignSince.plus(PORT_TAKEN_GRACE))) {
                    throw failedStart(ServerStartException.Reason.PORT_TAKEN, "Another program took port " + uri.getPort()
                            + " while the server started (nothing was sent to it); the server's log:\n");
                }
            }
            try {
                if ((listener == PortListener.OURS || listener == PortListener.UNKNOWN)
                        && http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    this.ready = true;
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while the server started", e);
            }
            try {
                // The poll's pace; returns at once when the server exits.
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while the server started", e);
            }
        }
        throw failedStart(ServerStartException.Reason.NOT_READY_IN_TIME,
                "The server was not ready within " + settings.startTimeout + ":\n");
    }

    /** Stops the server, and says why its start failed with the end of its log. */
    private ServerStartException failedStart(ServerStartException.Reason reason, String message) {
        String log = log();
        close();
        return new ServerStartException(reason, uri.getPort(), message + log);
    }

    /** Waits up to {@code timeout} for the process to exit: its exit code, or empty while it still runs. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /** {@code kill -9}: no shutdown hook, no chance to finish anything. Its data stays. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("The server survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The same server again, on the same port, settings and data directory, after this one was
     * killed or exited; ready when this returns.
     */
    public ServerProcess restart() {
        ServerProcess again = restartWithoutWaiting();
        again.awaitReady();
        return again;
    }

    /**
     * The same server again, as {@link #restart()}, returning at once: for a test of a start that
     * is to fail, which waits for the exit with {@link #awaitExit(Duration)} however long the
     * start takes on a busy machine.
     */
    public ServerProcess restartWithoutWaiting() {
        if (process.isAlive()) {
            throw new IllegalStateException("Stop or kill the server before starting it again");
        }
        return settings.launch(uri.getPort(), dataDir);
    }

    /** The last 4,000 characters of the server's output, for a failure message. */
    public String log() {
        String log = fullLog();
        return log.length() > LOG_TAIL ? log.substring(log.length() - LOG_TAIL) : log;
    }

    /** The server's whole output so far. */
    public String fullLog() {
        try {
            return Files.readString(logFile());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server and what it started; a temporary data directory goes too. */
    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            stop(process.toHandle());
        }
        if (classes != null && !process.isAlive()) {
            if (ready) {
                classes.publish(process.exitValue());
            } else {
                classes.discard();
            }
        }
        if (settings.dataDirectory == null) {
            Directories.deleteTreeQuietly(dataDir);
        }
        if (stopWithTheJvm != null && Thread.currentThread() != stopWithTheJvm) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopWithTheJvm);
            } catch (IllegalStateException exiting) {
                // The JVM is already on its way out; the hook has nothing left to do.
            }
        }
    }

    /**
     * Stops the server with this PID and whatever it started: SIGTERM, then SIGKILL for what did
     * not stop in 20 seconds. Returns whether the process is gone.
     */
    public static boolean stop(ProcessHandle server) {
        List<ProcessHandle> descendants = server.descendants().toList();
        server.destroy();
        if (!awaitGone(server, STOP_TIMEOUT)) {
            server.destroyForcibly();
            awaitGone(server, Duration.ofSeconds(10));
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return !server.isAlive();
    }

    private static boolean awaitGone(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Whether a configuration key names a secret: a password, a secret or a key. */
    public static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith("password") || lower.endsWith("secret") || lower.endsWith("key");
    }

    /** The environment variable Quarkus reads a key from: upper case, anything but letters and digits as '_'. */
    public static String environmentName(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** A port that was free on the loopback interface a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
