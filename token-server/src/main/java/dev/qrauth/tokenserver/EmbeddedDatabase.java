package dev.qrauth.tokenserver;

import dev.qrauth.tokenserver.security.PrivateFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The PostgreSQL the server starts itself when {@code quarkus.datasource.jdbc.url} is not set:
 * the real server binaries from Maven, in {@code <tokenserver.data-dir>/postgres}, listening on
 * loopback only. Its data survives restarts; it stops when the server does.
 *
 * <p>Only this server can reach it: the data directory is readable by its owner only, the
 * database takes no Unix-socket connections, and a TCP connection must authenticate with
 * SCRAM-SHA-256 as {@code postgres} with a random password generated at the first start and kept
 * in {@code <tokenserver.data-dir>/database-password} (mode 0600). The binaries are unpacked
 * under a directory of the server's user ({@link PrivateFiles#postgresBinaries}), never
 * into a shared one where another user could replace them.
 *
 * <p>PostgreSQL does not watch the process that started it, so a server killed without shutting
 * down ({@code kill -9}, out of memory) would leave it running. A watchdog, started with it, stops
 * it then ({@link #startWatchdog}); should the watchdog be gone too, the next start in the same
 * directory stops what is left ({@link #stopOrphan}).
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";

    static final String PASSWORD_FILE = "database-password";
    static final String USER = "postgres";
    private static final String BINARIES_DIR = "tokenserver.postgres-binaries-dir";
    /** The file the embedded PostgreSQL library locks in the data directory while it runs a database there. */
    private static final String LOCK_FILE = "epg-lock";

    /**
     * The watchdog: a shell, which ignores the signals a terminal or a service manager sends to a
     * whole process group, reads its standard input, a pipe from this JVM, until it ends. The
     * kernel ends it when this process ends, however it ends; the shell then asks the postmaster
     * for a fast shutdown ({@code SIGINT}, what {@code pg_ctl stop -m fast} sends: open
     * connections are cut, committed data is safe), if the lock file still names it. A server that
     * shuts down normally kills the watchdog first and stops PostgreSQL itself. The shell gets the
     * postmaster's PID and the data directory, nothing secret, and needs no program of its own
     * ({@code pg_ctl} refuses to run as root, which the library works around for its own calls).
     */
    private static final String WATCHDOG = """
            trap '' INT TERM HUP QUIT
            while read -r line; do :; done
            read -r pid < "$2/postmaster.pid" && [ "$pid" = "$1" ] && kill -INT "$1"
            """;

    private final EmbeddedPostgres postgres;
    private final String password;
    private final Process watchdog;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password, Process watchdog) {
        this.postgres = postgres;
        this.password = password;
        this.watchdog = watchdog;
    }

    /** Starts the embedded database unless an external one is configured. */
    static EmbeddedDatabase startIfNeeded() {
        Config config = ConfigProvider.getConfig();
        if (config.getOptionalValue(JDBC_URL, String.class).filter(url -> !url.isBlank()).isPresent()) {
            LOG.info("Using the PostgreSQL configured in quarkus.datasource.jdbc.url");
            return new EmbeddedDatabase(null, null, null);
        }
        Path dataDir = Path.of(config.getOptionalValue("tokenserver.data-dir", String.class)
                .orElse("./data/token-server")).toAbsolutePath().normalize();
        Path binaries = config.getOptionalValue(BINARIES_DIR, String.class).filter(dir -> !dir.isBlank())
                .map(Path::of).orElseGet(PrivateFiles::defaultPostgresBinaries);
        EmbeddedDatabase database = start(dataDir, binaries);
        // System properties stay inside this process; nothing here reaches a command line or a log.
        System.setProperty(JDBC_URL, database.jdbcUrl());
        System.setProperty("quarkus.datasource.username", USER);
        System.setProperty("quarkus.datasource.password", database.password);
        return database;
    }

    /**
     * Starts PostgreSQL with its data in {@code <dataDir>/postgres}, creating it on first use, with
     * the binaries under {@code binariesParent}.
     */
    static EmbeddedDatabase start(Path dataDir, Path binariesParent) {
        dataDir = dataDir.toAbsolutePath().normalize();
        Path postgresDir = dataDir.resolve("postgres");
        refuseIfInUse(dataDir, postgresDir);
        stopOrphan(postgresDir);
        try {
            PrivateFiles.createDirectory(dataDir);
            Path binaries = PrivateFiles.postgresBinaries(binariesParent);
            Path passwordFile = dataDir.resolve(PASSWORD_FILE);
            boolean clusterExists = Files.exists(postgresDir.resolve("postgresql.conf"));
            // A data directory from a release that let every local connection in (trust) has a
            // cluster but no password yet: it starts once as it was, then gets one (below).
            boolean needsPassword = clusterExists && !Files.exists(passwordFile);
            String password = PrivateFiles.readOrCreateSecret(passwordFile);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setDataDirectory(postgresDir)
                    .setCleanDataDirectory(false)
                    // initdb (first start only): the superuser gets the password from the file,
                    // and both kinds of connection need it (these follow the library's "-A trust").
                    .setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("auth-local", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setDataDirectoryCustomizer(dir -> {
                        if (!needsPassword) {
                            writeAccessRules(dir.toPath());
                        }
                    })
                    .setConnectConfig("password", password)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // No Unix socket: the one way in is loopback TCP with the password.
                    .setServerConfig("unix_socket_directories", "''")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // The library's defaults suit throw-away test databases: no fsync and
                    // asynchronous commit. This one holds real data: a commit is on disk
                    // before the server answers, and survives a crash of the machine.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            PrivateFiles.restrict(binaries);
            EmbeddedDatabase database = new EmbeddedDatabase(postgres, password, startWatchdog(postgresDir));
            if (needsPassword) {
                database.closeTheTrustDoor(postgresDir);
            }
            LOG.infof("Started the embedded PostgreSQL in %s on port %d (127.0.0.1 only)", postgresDir, postgres.getPort());
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + postgresDir, e);
        }
    }

    /**
     * The only connections PostgreSQL accepts: the superuser over loopback TCP with its SCRAM
     * password. Written at every start, so an edited file does not stay in force.
     */
    private static void writeAccessRules(Path postgresDir) {
        try {
            Files.writeString(postgresDir.resolve("pg_hba.conf"), """
                    # Written by the token server at every start: only the token server may connect,
                    # over loopback TCP, as postgres with the password in ../database-password.
                    # TYPE  DATABASE  USER      ADDRESS        METHOD
                    host    all       postgres  127.0.0.1/32   scram-sha-256
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the access rules of the embedded PostgreSQL", e);
        }
    }

    /** Gives an old data directory's superuser the password, then takes the trust rules away. */
    private void closeTheTrustDoor(Path postgresDir) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, password);
             Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            // The password is random base64url text, so it cannot end the literal.
            statement.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
            writeAccessRules(postgresDir);
            statement.execute("SELECT pg_reload_conf()");
            LOG.info("The embedded PostgreSQL now needs the password in " + PASSWORD_FILE
                    + " (this data directory let local connections in without one before)");
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("Could not give the embedded PostgreSQL its password", e);
        }
    }

    /**
     * Refuses a data directory whose PostgreSQL belongs to a server that still runs: that server
     * holds the library's lock file in it for as long as it runs (the kernel lets go of it when
     * the process ends, however it ends), so a lock that cannot be taken means a live owner.
     */
    static void refuseIfInUse(Path dataDir, Path postgresDir) {
        try (FileChannel lockFile = FileChannel.open(postgresDir.resolve(LOCK_FILE), StandardOpenOption.WRITE)) {
            FileLock lock = lockFile.tryLock();
            if (lock == null) {
                throw new DataDirectoryInUseException(dataDir);
            }
            lock.release();
        } catch (OverlappingFileLockException heldByThisProcess) {
            throw new DataDirectoryInUseException(dataDir);
        } catch (NoSuchFileException neverStarted) {
            // no server has run PostgreSQL here yet
        } catch (IOException e) {
            throw new UncheckedIOException("Could not check whether another server uses " + postgresDir, e);
        }
    }

    /**
     * Stops the PostgreSQL that a server killed without shutting down (SIGKILL, out of memory)
     * left running in {@code postgresDir}: it holds the directory's lock, so nothing could start
     * there until it is gone. Only a process whose command line names this directory is stopped.
     */
    static void stopOrphan(Path postgresDir) {
        // Without a running process behind it, PostgreSQL judges a stale or broken lock file itself.
        ProcessHandle orphan = postmaster(postgresDir).orElse(null);
        // The whole path as one argument, so that a neighbouring ".../postgres2" is never taken for it.
        String commandLine = " " + commandLineOf(orphan) + " ";
        if (orphan == null || !commandLine.contains(" " + postgresDir + " ")) {
            return;
        }
        long pid = orphan.pid();
        LOG.warnf("Stopping the PostgreSQL (pid %d) that a server which did not shut down left running in %s",
                pid, postgresDir);
        // SIGTERM is PostgreSQL's "smart" shutdown: it waits for its clients, which died with the old server.
        orphan.destroy();
        try {
            orphan.onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The PostgreSQL left running in " + postgresDir + " (pid " + pid
                    + ") did not stop within 60 s; stop it, then start the server again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the PostgreSQL left running", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Starts the {@linkplain #WATCHDOG watchdog} of the PostgreSQL running in {@code postgresDir},
     * with an empty environment (this JVM's holds its secrets); {@code null} where it cannot run
     * (no {@code /bin/sh}).
     */
    private static Process startWatchdog(Path postgresDir) {
        Path shell = Path.of("/bin/sh");
        ProcessHandle postmaster = postmaster(postgresDir).orElse(null);
        if (!Files.isExecutable(shell) || postmaster == null) {
            LOG.warn("No watchdog for the embedded PostgreSQL here: if the server is killed, the database "
                    + "keeps running until the server starts again");
            return null;
        }
        ProcessBuilder builder = new ProcessBuilder(shell.toString(), "-c", WATCHDOG, "qrauth-postgres-watchdog",
                Long.toString(postmaster.pid()), postgresDir.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        try {
            return builder.start();
        } catch (IOException e) {
            LOG.warnf("Could not start the watchdog of the embedded PostgreSQL (%s): if the server is killed, "
                    + "the database keeps running until the server starts again", e.getMessage());
            return null;
        }
    }

    /** The postmaster named in {@code postgresDir}'s lock file, if it runs. */
    static Optional<ProcessHandle> postmaster(Path postgresDir) {
        try {
            long pid = Long.parseLong(Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static String commandLineOf(ProcessHandle process) {
        return process == null ? "" : process.info().commandLine().orElse("");
    }

    /** The JDBC URL of the embedded database's {@code postgres} database, without the password. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    /** The password of {@link #USER}; it never leaves this process but in the 0600 password file. */
    String password() {
        return password;
    }

    @Override
    public void close() {
        if (postgres == null) {
            return;
        }
        if (watchdog != null) {
            // Killed (it ignores the polite signals), so that it cannot stop a database started
            // later in the same directory once this process has ended.
            watchdog.destroyForcibly();
        }
        try {
            postgres.close();
            LOG.info("Stopped the embedded PostgreSQL");
        } catch (IOException e) {
            LOG.warn("Could not stop the embedded PostgreSQL cleanly", e);
        }
    }
}
