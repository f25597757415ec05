package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The token server's jar started as the README's "Run the token server" shows, with nothing but
 * a port and a data directory: what a user gets by default must be safe.
 */
class SafeDefaultsTest {

    @Test
    void withoutAMasterKeyTheServerRefusesToStartAndSaysHowToMakeOne() throws Exception {
        try (TokenServerProcess server = TokenServerProcess.startAsTheReadmeShows(null)) {
            OptionalInt exit = server.awaitExit(Duration.ofSeconds(60));
            assertThat(exit).as("the server exits by itself").isPresent();
            assertThat(exit.getAsInt()).isNotZero();
            assertThat(server.log()).contains("tokenserver.master-key is not set")
                    .contains("openssl rand -base64 32").contains("TOKENSERVER_MASTER_KEY");
            assertThat(server.dataDir.resolve("postgres")).as("nothing was started").doesNotExist();
        }
    }

    @Test
    void aPlainStartListensOnLoopbackAndKeepsItsSecretsInFilesOnlyItsUserReads() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (TokenServerProcess server = TokenServerProcess.startAsTheReadmeShows(Base64.getEncoder().encodeToString(key))) {
            server.awaitReadyOn(server.uri);

            // Every socket it listens on is bound to 127.0.0.1 (read from the kernel, nothing sent).
            assertThat(listeningAddresses(server.uri.getPort())).isNotEmpty().containsOnly("127.0.0.1");

            Path adminPasswordFile = server.dataDir.resolve("admin-password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(adminPasswordFile))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.dataDir))).isEqualTo("rwx------");
            String adminPassword = Files.readString(adminPasswordFile).strip();
            assertThat(server.fullLog()).contains(adminPasswordFile.toString()).doesNotContain(adminPassword);
            assertThat(server.call("GET", "/admin/api/v1/audit", "admin", adminPassword, null, null).status())
                    .as("the admin API with the password from the file; the log:%n%s", server.log()).isEqualTo(200);

            assertThat(server.call("GET", "/q/metrics", null, null, null, null).status()).isEqualTo(401);
            assertThat(server.call("GET", "/q/openapi", null, null, null, null).status()).isEqualTo(401);
            assertThat(server.call("GET", "/q/metrics", "admin", adminPassword, null, null).status()).isEqualTo(200);
            assertThat(server.call("GET", "/q/health/ready", null, null, null, null).status()).isEqualTo(200);

            // Its database takes no one without the password the server keeps to itself.
            Path databasePasswordFile = server.dataDir.resolve("database-password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(databasePasswordFile))).isEqualTo("rw-------");
            Matcher port = Pattern.compile("Started the embedded PostgreSQL in .* on port (\\d+)").matcher(server.fullLog());
            assertThat(port.find()).isTrue();
            String database = "jdbc:postgresql://127.0.0.1:" + port.group(1) + "/postgres";
            assertThatThrownBy(() -> DriverManager.getConnection(database, "postgres", "").close())
                    .isInstanceOf(SQLException.class);
            DriverManager.getConnection(database, "postgres", Files.readString(databasePasswordFile).strip()).close();
        }
    }

    /** The local addresses of the TCP sockets listening on {@code port}, from /proc/net/tcp and tcp6. */
    private static List<String> listeningAddresses(int port) throws Exception {
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                boolean listening = "0A".equals(fields[3]);
                if (listening && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    /** A /proc/net address: IPv4 as one little-endian word, IPv6 as four. */
    private static String address(String hex) throws Exception {
        byte[] raw = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 2; i++) {
                byte swap = raw[word + i];
                raw[word + i] = raw[word + 3 - i];
                raw[word + 3 - i] = swap;
            }
        }
        return java.net.InetAddress.getByAddress(raw).getHostAddress();
    }
}
