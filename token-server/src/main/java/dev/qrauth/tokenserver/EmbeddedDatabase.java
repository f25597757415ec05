package dev.qrauth.tokenserver;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts the embedded database unless an external one is configured. */
    static EmbeddedDatabase startIfNeeded() {
        Config config = ConfigProvider.getConfig();
        if (config.getOptionalValue(JDBC_URL, String.class).filter(url -> !url.isBlank()).isPresent()) {
            LOG.info("Using the PostgreSQL configured in quarkus.datasource.jdbc.url");
            return new EmbeddedDatabase(null);
        }
        Path dataDir = Path.of(config.getOptionalValue("tokenserver.data-dir", String.class)
                .orElse("./data/token-server")).toAbsolutePath().normalize();
        EmbeddedDatabase database = start(dataDir);
        System.setProperty(JDBC_URL, database.jdbcUrl());
        System.setProperty("quarkus.datasource.username", "postgres");
        return database;
    }

    /** Starts PostgreSQL with its data in {@code <dataDir>/postgres}, creating it on first use. */
    static EmbeddedDatabase start(Path dataDir) {
        Path postgresDir = dataDir.toAbsolutePath().normalize().resolve("postgres");
        stopOrphan(postgresDir);
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(postgresDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // The library's defaults suit throw-away test databases: no fsync and
                    // asynchronous commit. This one holds real data: a commit is on disk
                    // before the server answers, and survives a crash of the machine.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            LOG.infof("Started the embedded PostgreSQL in %s on port %d", postgresDir, postgres.getPort());
            return new EmbeddedDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + postgresDir, e);
        }
    }

    /**
     * Stops the PostgreSQL that a server killed without shutting down (SIGKILL, out of memory)
     * left running in {@code postgresDir}: it holds the directory's lock, so nothing could start
     * there until it is gone. Only a process whose command line names this directory is stopped.
     */
    static void stopOrphan(Path postgresDir) {
        Path pidFile = postgresDir.resolve("postmaster.pid");
        long pid;
        try {
            if (!Files.isRegularFile(pidFile)) {
                return;
            }
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException unreadable) {
            return; // PostgreSQL judges a stale or broken lock file itself
        }
        ProcessHandle orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElse(null);
        // The whole path as one argument, so that a neighbouring ".../postgres2" is never taken for it.
        String commandLine = " " + commandLineOf(orphan) + " ";
        if (orphan == null || !commandLine.contains(" " + postgresDir + " ")) {
            return;
        }
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

    private static String commandLineOf(ProcessHandle process) {
        return process == null ? "" : process.info().commandLine().orElse("");
    }

    /** The JDBC URL of the embedded database's {@code postgres} database. */
    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
            LOG.info("Stopped the embedded PostgreSQL");
        } catch (IOException e) {
            LOG.warn("Could not stop the embedded PostgreSQL cleanly", e);
        }
    }
}
