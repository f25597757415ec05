package dev.qrauth.tokenserver;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path postgresDir = dataDir.resolve("postgres");
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(postgresDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
            LOG.infof("Started the embedded PostgreSQL in %s on port %d", postgresDir, postgres.getPort());
            return new EmbeddedDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + postgresDir, e);
        }
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
