package dev.qrauth.benchmarks.load;

import dev.qrauth.testkit.Directories;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL of an experiment: started as the token server's {@code EmbeddedDatabase} starts
 * its own (the same binaries, loopback TCP only with a SCRAM password, no Unix socket, fsync and
 * synchronous commit on) with the token server's own schema, in a private temporary directory
 * that {@link #close()} deletes. Also stopped on Ctrl-C.
 */
final class ExperimentDatabase implements AutoCloseable {

    private final Path dir;
    private final String password;
    private final Thread stopper = new Thread(this::stop, "stop-postgres");
    private EmbeddedPostgres postgres;

    private ExperimentDatabase(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /** Starts PostgreSQL in a new temporary directory and applies the token server's migrations. */
    static ExperimentDatabase start(String purpose) throws IOException, SQLException {
        Path dir = Files.createTempDirectory("qrauth-" + purpose);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        ExperimentDatabase database = new ExperimentDatabase(dir, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        Runtime.getRuntime().addShutdownHook(database.stopper);
        try {
            database.startPostgres();
            try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
                for (String migration : migrations()) {
                    sql.execute(migration);
                }
            }
            return database;
        } catch (IOException | SQLException | RuntimeException e) {
            database.close();
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    int port() {
        return postgres.getPort();
    }

    String password() {
        return password;
    }

    Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/postgres", properties);
    }

    /** Runs statements on a connection of its own, in order. */
    void execute(String... statements) throws SQLException {
        try (Connection admin = connect(); Statement sql = admin.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    String version() {
        try (Connection admin = connect(); Statement sql = admin.createStatement();
             ResultSet version = sql.executeQuery("SHOW server_version")) {
            return version.next() ? version.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * CPU of the postmaster and every process under it (backends, WAL writer, checkpointer,
     * autovacuum), with the children it has reaped, in milliseconds.
     */
    OptionalLong cpuMillis() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElse(null);
            if (postmaster == null) {
                return OptionalLong.empty();
            }
            long total = Proc.cpuMillis(pid).orElse(0);
            for (ProcessHandle child : postmaster.descendants().toList()) {
                total += Proc.cpuMillis(child.pid()).orElse(0);
            }
            return OptionalLong.of(total);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The token server's migrations ({@code db/migration/V<n>__*.sql} on the class path), by version. */
    static List<String> migrations() throws IOException {
        Path location;
        try {
            location = Path.of(ExperimentDatabase.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Map<Integer, String> byVersion = new TreeMap<>();
        Pattern name = Pattern.compile("db/migration/V(\\d+)__[^/]+\\.sql");
        if (Files.isDirectory(location)) {
            try (var files = Files.walk(location.resolve("db/migration"))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Matcher matcher = name.matcher(location.relativize(file).toString().replace('\\', '/'));
                    if (matcher.matches()) {
                        byVersion.put(Integer.parseInt(matcher.group(1)), Files.readString(file));
                    }
                }
            }
        } else {
            try (var jar = new JarFile(location.toFile())) {
                for (var entry : Collections.list(jar.entries())) {
                    Matcher matcher = name.matcher(entry.getName());
                    if (matcher.matches()) {
                        byVersion.put(Integer.parseInt(matcher.group(1)),
                                new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        if (byVersion.isEmpty()) {
            throw new IOException("the token server's migrations are not on the class path (db/migration)");
        }
        return List.copyOf(byVersion.values());
    }

    private void startPostgres() throws IOException {
        Path passwordFile = dir.resolve("database-password");
        Files.writeString(passwordFile, password);
        postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(Files.createDirectories(dir.resolve("binaries")).toFile())
                .setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(true)
                .setLocaleConfig("auth-host", "scram-sha-256")
                .setLocaleConfig("auth-local", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toString())
                .setDataDirectoryCustomizer(data -> {
                    try {
                        Files.writeString(data.toPath().resolve("pg_hba.conf"),
                                "host    all       postgres  127.0.0.1/32   scram-sha-256\n");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .setConnectConfig("password", password)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "''")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    private synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("could not stop PostgreSQL cleanly: " + e.getMessage());
            }
            postgres = null;
        }
        String leftover = Directories.deleteTreeQuietly(dir);
        if (leftover != null) {
            System.err.println("could not delete " + dir + ": " + leftover);
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
