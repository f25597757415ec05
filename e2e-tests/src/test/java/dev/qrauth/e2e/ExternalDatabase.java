package dev.qrauth.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL run by the test itself, as a deployment's database would be: token servers reach it
 * through {@code quarkus.datasource.jdbc.url}, it outlives them, and the test can stop and start
 * it under them (same port, same data).
 */
final class ExternalDatabase implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    private ExternalDatabase(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    static ExternalDatabase start() {
        ExternalDatabase database = new ExternalDatabase(Scratch.directory("qrauth-e2e-postgres").resolve("data"),
                TokenServerProcess.freePort());
        database.startAgain();
        return database;
    }

    /** Starts it (again) on its port with its data. */
    void startAgain() {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops it; the servers using it lose their connections. */
    void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    /** What a token server needs to use this database instead of starting its own. */
    List<String> serverProperties() {
        return List.of("quarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username=postgres");
    }

    /** The rows of {@code sql}, each as its columns' values. */
    List<List<Object>> query(String sql) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<List<Object>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The single number {@code sql} selects. */
    long count(String sql) {
        return ((Number) query(sql).get(0).get(0)).longValue();
    }

    @Override
    public void close() {
        if (postgres != null) {
            stop();
        }
    }
}
