package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.tokenserver.security.PrivateFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    /** Shared by the tests, so the binaries are unpacked once; the class checks their owner. */
    private static final Path BINARIES = PrivateFiles.defaultPostgresBinaries();

    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesARestartInTheSameDirectory() throws Exception {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dataDir, BINARIES);
             Connection connection = connect(first);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE survivor (name text)");
            statement.execute("INSERT INTO survivor VALUES ('still here')");
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(dataDir, BINARIES);
             Connection connection = connect(second);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name FROM survivor")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void aDataDirectoryInUseIsRefusedAndItsDatabaseKeepsRunning() throws Exception {
        try (EmbeddedDatabase running = EmbeddedDatabase.start(dataDir, BINARIES)) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(dataDir, BINARIES).close())
                    .isInstanceOf(DataDirectoryInUseException.class)
                    .hasMessageContaining(dataDir.toString()).hasMessageContaining("tokenserver.data-dir");
            try (Connection connection = connect(running); Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT 1").close();
            }
        }
    }

    @Test
    void everyCommitIsOnDiskBeforeItIsAcknowledged() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, BINARIES);
             Connection connection = connect(database);
             Statement statement = connection.createStatement()) {
            assertThat(setting(statement, "fsync")).isEqualTo("on");
            assertThat(setting(statement, "synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void aConnectionWithoutTheServersPasswordIsRefused() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, BINARIES)) {
            assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), "postgres", null).close())
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), "postgres", "guess").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
                // No Unix socket to try instead, and passwords are kept as SCRAM verifiers.
                assertThat(setting(statement, "unix_socket_directories")).isEmpty();
                assertThat(setting(statement, "listen_addresses")).isEqualTo("127.0.0.1");
                try (ResultSet rows = statement.executeQuery(
                        "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'")) {
                    rows.next();
                    assertThat(rows.getString(1)).startsWith("SCRAM-SHA-256$");
                }
            }
        }
    }

    @Test
    void theDataDirectoryAndThePasswordAreTheOwnersAlone() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, BINARIES)) {
            Path passwordFile = dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(database.password()).hasSizeGreaterThan(40);
            assertThat(PrivateFiles.isPrivate(dataDir.resolve("postgres"))).isTrue();
        }
    }

    @Test
    void theBinariesRunFromTheServersOwnDirectoryNotASharedOne() throws Exception {
        // The library unpacks once per JVM, so this checks the directory every test here uses.
        Path binaries = BINARIES;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, binaries)) {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
            String executable = ProcessHandle.of(pid).orElseThrow().info().command().orElseThrow();
            Path running = Path.of(executable).toRealPath();
            assertThat(running).startsWith(binaries.toRealPath());
            assertThat(running.startsWith(Path.of(System.getProperty("java.io.tmpdir")).toRealPath())).isFalse();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(binaries))).isEqualTo("rwx------");
            assertThat(PrivateFiles.isPrivate(binaries.resolve("embedded-postgres"))).isTrue();
        }
    }

    @Test
    void aDataDirectoryThatTrustedEveryLocalConnectionGetsAPassword() throws Exception {
        // As an earlier release left it: the cluster's pg_hba.conf trusts every loopback connection.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "127.0.0.1").start();
             Connection connection = old.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE survivor (name text)");
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, BINARIES)) {
            assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), "postgres", null).close())
                    .isInstanceOf(SQLException.class);
            try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM survivor").close();
            }
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.start(dataDir, BINARIES)) {
            assertThatThrownBy(() -> DriverManager.getConnection(again.jdbcUrl(), "postgres", "guess").close())
                    .isInstanceOf(SQLException.class);
            connect(again).close();
        }
    }

    private static Connection connect(EmbeddedDatabase database) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", EmbeddedDatabase.USER);
        credentials.setProperty("password", database.password());
        return DriverManager.getConnection(database.jdbcUrl(), credentials);
    }

    private static String setting(Statement statement, String name) throws Exception {
        try (ResultSet rows = statement.executeQuery("SHOW " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
