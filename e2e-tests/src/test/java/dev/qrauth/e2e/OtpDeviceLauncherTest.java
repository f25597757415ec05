package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/otp-device as a person or a script runs it: from any directory, against the real server. */
class OtpDeviceLauncherTest {

    static final Path ROOT = Path.of(System.getProperty("qrauth.root", "..")).toAbsolutePath().normalize();
    static final String CALLBACK = "http://127.0.0.1:9/callbacks/mobile-auth";

    static TokenServerProcess server;

    @TempDir
    Path elsewhere;

    record Run(int exitCode, String out, String err) {
    }

    Run otpDevice(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        return otpDevice("out", environment, args);
    }

    /** Runs bin/otp-device with its output in files named after {@code name}, so runs may overlap. */
    Run otpDevice(String name, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/otp-device").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(elsewhere.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Path out = elsewhere.resolve(name + ".txt");
        Path err = elsewhere.resolve(name + "-err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("otp-device finished").isTrue();
        return new Run(process.exitValue(), java.nio.file.Files.readString(out), java.nio.file.Files.readString(err));
    }

    @BeforeAll
    static void startServer() {
        server = TokenServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void runsFromAnyDirectory() throws Exception {
        Run version = otpDevice(Map.of(), "--version");
        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("otp-device ");
    }

    @Test
    void saysHowToBuildWhenTheJarIsMissing() throws Exception {
        Run missing = otpDevice(Map.of("OTP_DEVICE_JAR", elsewhere.resolve("none.jar").toString()), "--version");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains("is not built yet", "./mvnw -B -q package -DskipTests -pl device-cli -am");
    }

    @Test
    void theFirstRunOfACommandWritesTheClassArchiveTheNextRunsStartFrom() throws Exception {
        Path cache = elsewhere.resolve("cache");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(),
                "OTP_DEVICE_HOME", elsewhere.resolve("phone").toString());
        // An archive of an earlier build of the jar: replaced by the first run of its command.
        java.nio.file.Files.createDirectories(cache.resolve("qrauth"));
        java.nio.file.Files.write(cache.resolve("qrauth/otp-device-status-1.2.3.4-5.6.7.8.jsa"), new byte[] {1});

        // Two first runs at once: both answer as usual and one whole archive is left, no part of one.
        var first = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var one = first.submit(() -> otpDevice("one", env, "--json", "status"));
            var two = first.submit(() -> otpDevice("two", env, "--json", "status"));
            for (Run run : List.of(one.get(), two.get())) {
                assertThat(run.exitCode()).as(run.err()).isZero();
                assertThat(run.out().trim()).isEqualTo("{\"result\":[]}");
                assertThat(run.err()).isEmpty();
            }
        } finally {
            first.shutdownNow();
        }
        assertThat(archives(cache)).singleElement().asString().matches(".*/otp-device-status-[0-9.-]+\\.jsa")
                .doesNotContain("1.2.3.4-5.6.7.8");

        // The next run starts from it and says the same, with nothing from the JVM in its output.
        Run again = otpDevice(env, "--json", "status");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out().trim()).isEqualTo("{\"result\":[]}");
        assertThat(again.err()).isEmpty();
        assertThat(archives(cache)).hasSize(1);

        // Another command gets an archive of its own; with OTP_DEVICE_CDS=off none is written.
        assertThat(otpDevice(env, "--version").exitCode()).isZero();
        assertThat(archives(cache)).hasSize(2);
        Map<String, String> off = new java.util.HashMap<>(env);
        off.put("OTP_DEVICE_CDS", "off");
        assertThat(otpDevice(off, "logout").exitCode()).isNotNegative();
        assertThat(archives(cache)).hasSize(2);
    }

    private static List<String> archives(Path cache) throws IOException {
        Path dir = cache.resolve("qrauth");
        if (!java.nio.file.Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = java.nio.file.Files.list(dir)) {
            return files.map(Path::toString).sorted().toList();
        }
    }

    @Test
    void aPersonCanRegisterEnrollAndApproveFromTheTerminal() throws Exception {
        CreatedClient client = server.admin().createClient(NewClient.of("cli", "CLI Portal", List.of(CALLBACK)));
        server.admin().createType(MobileAuthTypeView.otp("login", 120).withDefaultMessage("Log in"));
        String code = server.admin().createUser("carol").activationCode();
        String home = elsewhere.resolve("phone").toString();
        Map<String, String> env = Map.of("OTP_DEVICE_HOME", home);

        assertThat(otpDevice(env, "register", "--server", server.uri.toString(), "--user", "carol",
                "--activation-code", code, "--pin", "24680").exitCode()).isZero();
        assertThat(otpDevice(env, "enroll", "--pin", "24680").exitCode()).isZero();
        Map<String, Object> started = server.call("POST", "/oauth/api/v4/authenticate/user", client.clientId(),
                client.clientSecret(), "application/x-www-form-urlencoded",
                "type=login&callback_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8)).body();
        Run scan = otpDevice(env, "--json", "scan", "--otp", (String) started.get("otp"), "--approve");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        assertThat(scan.out().trim()).isEqualTo("{\"result\":\"CONFIRMED\"}");
        assertThat(scan.err()).contains("CLI Portal asks you to log in as carol");
        Run status = otpDevice(env, "--json", "status");
        assertThat(status.out()).contains("\"user_id\":\"carol\"", "\"enrolled\":true");
    }
}
