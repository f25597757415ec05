package dev.qrauth.benchmarks.load;

import dev.qrauth.adminclient.AdminClient;
import dev.qrauth.testkit.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token server the driver measures: started from its jar by the test kit's
 * {@link ServerProcess} on a free loopback port with a temporary data directory (and so its own
 * embedded PostgreSQL), or one already running. A started server gets its admin password and
 * master key in its environment: every user of the machine can read a command line ({@code ps}).
 */
final class TokenServerUnderTest implements AutoCloseable {

    final URI uri;
    final String adminPassword;
    private final ServerProcess process;
    private final AdminClient admin;

    private TokenServerUnderTest(URI uri, String adminPassword, ServerProcess process) {
        this.uri = uri;
        this.adminPassword = adminPassword;
        this.process = process;
        // Seeding runs while the server registers thousands of devices: a call may wait its turn.
        this.admin = AdminClient.builder(uri, "admin", adminPassword).requestTimeout(Duration.ofSeconds(60)).build();
    }

    static TokenServerUnderTest external(URI uri, String adminPassword) {
        return new TokenServerUnderTest(uri, adminPassword, null);
    }

    static TokenServerUnderTest start(Path jar, String heap) {
        String adminPassword = "load-" + UUID.randomUUID();
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        ServerProcess process = ServerProcess.builder(jar)
                .heap(heap)
                .startTimeout(Duration.ofMinutes(2))
                .property("tokenserver.admin.password", adminPassword)
                .property("tokenserver.master-key", Base64.getEncoder().encodeToString(masterKey))
                // The driver is one portal asking for far more than a portal's default share.
                .property("tokenserver.initiation.rate", "100000")
                .property("tokenserver.initiation.burst", "100000")
                .property("tokenserver.pending-cap", "1000000")
                // Every simulated phone registers from 127.0.0.1.
                .property("tokenserver.device-registration.per-address", "1000000")
                .property("tokenserver.access-token.ttl", "PT2H")
                .start();
        return new TokenServerUnderTest(process.uri(), adminPassword, process);
    }

    /** The server's admin API, with the admin's credentials. */
    AdminClient admin() {
        return admin;
    }

    /** CPU time of the server's JVM so far, in milliseconds; empty for a server not started here. */
    OptionalLong cpuMillis() {
        return process == null ? OptionalLong.empty() : Proc.cpuMillis(process.handle().pid());
    }

    /** CPU time of the embedded PostgreSQL (postmaster and its backends) so far, in milliseconds. */
    OptionalLong databaseCpuMillis() {
        if (process == null) {
            return OptionalLong.empty();
        }
        String marker = process.serverData().resolve("postgres").toString();
        long total = 0;
        boolean found = false;
        for (ProcessHandle handle : ProcessHandle.allProcesses().toList()) {
            if (handle.info().commandLine().orElse("").contains(marker)) {
                found = true;
                total += Proc.cpuMillis(handle.pid()).orElse(0);
                for (ProcessHandle child : handle.descendants().toList()) {
                    total += Proc.cpuMillis(child.pid()).orElse(0);
                }
            }
        }
        return found ? OptionalLong.of(total) : OptionalLong.empty();
    }

    /** The embedded database's port, from the server's log; empty for a server not started here. */
    OptionalLong databasePort() throws IOException {
        if (process == null) {
            return OptionalLong.empty();
        }
        Matcher matcher = Pattern.compile("Started the embedded PostgreSQL in .* on port (\\d+)")
                .matcher(Files.readString(process.logFile()));
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /** The embedded database's password, which the server keeps in its data directory (0600). */
    String databasePassword() throws IOException {
        return Files.readString(process.serverData().resolve("database-password")).strip();
    }

    Path log() {
        return process == null ? null : process.logFile();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
