package dev.qrauth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher as a script runs it: a process of its own that leaves the server running, then stops it by PID. */
class ServerLauncherTest {

    @TempDir
    Path work;

    @Test
    void aScriptStartsAServerGetsItsUrlAndPidAndStopsIt() throws Exception {
        Process start = launcher("start", "--jar", System.getProperty(TestTokenServer.JAR_PROPERTY),
                "--data-dir", work.toString(), "--heap", "256m",
                "--property", "tokenserver.hashing.argon2-memory-kib=1024");
        String out = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(start.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(start.exitValue()).as(out + Files.readString(work.resolve("server.log"))).isZero();
        String[] started = out.split(" ");
        URI server = URI.create(started[0]);
        ProcessHandle pid = ProcessHandle.of(Long.parseLong(started[1])).orElseThrow();
        try {
            assertThat(server.getHost()).isEqualTo("127.0.0.1");
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.resolve("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(pid.info().commandLine().orElse("")).doesNotContain(MASTER_KEY);
            assertThat(work.resolve("server").resolve("postgres")).isDirectory();

            Process stop = launcher("stop", Long.toString(pid.pid()));

            assertThat(stop.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(stop.exitValue()).isZero();
            assertThat(pid.isAlive()).isFalse();
        } finally {
            ServerProcess.stop(pid);
        }
    }

    @Test
    void aSecretOnTheCommandLineIsRefusedAndNothingStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = ServerLauncher.run(new String[] {"start", "--jar", "server.jar", "--data-dir", work.toString(),
                "--property", "tokenserver.admin.password=visible-to-ps"}, System.out, new PrintStream(err, true));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TOKENSERVER_ADMIN_PASSWORD").contains("usage:");
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void startWithoutADataDirectoryOrWithAMissingJarSaysWhat() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true);

        assertThat(ServerLauncher.run(new String[] {"start", "--jar", "server.jar"}, System.out, errors)).isEqualTo(2);
        assertThat(ServerLauncher.run(new String[] {"start", "--jar", work.resolve("none.jar").toString(),
                "--data-dir", work.toString()}, System.out, errors)).isEqualTo(1);
        assertThat(ServerLauncher.run(new String[] {"stop", "not-a-pid"}, System.out, errors)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--data-dir").contains("does not exist")
                .contains("not a PID");
    }

    private static final String MASTER_KEY = randomKey();

    private static Process launcher(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServerLauncher.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("TOKENSERVER_MASTER_KEY", MASTER_KEY);
        builder.environment().put("TOKENSERVER_ADMIN_PASSWORD", randomKey());
        return builder.start();
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
