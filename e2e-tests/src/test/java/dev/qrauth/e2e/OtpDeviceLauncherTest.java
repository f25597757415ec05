package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
    static final Path JAR = ROOT.resolve("device-cli/target/otp-device.jar");
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
        return run(name, environment, command, elsewhere);
    }

    /** Runs {@code command} (the launcher and its arguments) in {@code directory}. */
    Run otpDevice(Map<String, String> environment, List<String> command, Path directory)
            throws IOException, InterruptedException {
        return run("out", environment, command, directory);
    }

    private Run run(String name, Map<String, String> environment, List<String> command, Path directory)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Path out = elsewhere.resolve(name + ".txt");
        Path err = elsewhere.resolve(name + "-err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("otp-device finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
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
        Path archive = archiveOf(cache, "status");
        // An archive of an earlier build of the jar (older than the jar): replaced by the first run.
        Files.createDirectories(cache.resolve("qrauth"));
        Files.write(archive, new byte[] {1});
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(JAR).toMillis() - 60_000));
        // The archive of a jar that is no longer there (a deleted checkout): removed as well.
        Path gone = cache.resolve("qrauth/otp-device+nowhere+device-cli+target+otp-device.jar-status.jsa");
        Files.write(gone, new byte[] {1});

        // Two first runs at once: both answer as usual and one whole archive is left, no part of one.
        // They call the launcher by a relative path, which the archive must not keep.
        var first = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<String> relative = List.of("bin/otp-device", "--json", "status");
        try {
            var one = first.submit(() -> run("one", env, relative, ROOT));
            var two = first.submit(() -> run("two", env, relative, ROOT));
            for (Run run : List.of(one.get(), two.get())) {
                assertThat(run.exitCode()).as(run.err()).isZero();
                assertThat(run.out().trim()).isEqualTo("{\"result\":[]}");
                assertThat(run.err()).isEmpty();
            }
        } finally {
            first.shutdownNow();
        }
        assertThat(archives(cache)).containsExactly(archive.toString());
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);

        // The next run starts from it, from another directory and by another path, with
        // nothing from the JVM in its output: the CLI's own classes come from the archive.
        Path log = elsewhere.resolve("classes.log");
        Map<String, String> logged = new java.util.HashMap<>(env);
        logged.put("OTP_DEVICE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Xlog:class+load=info:file=" + log);
        Run again = otpDevice(logged, List.of(ROOT.resolve("bin/../bin/otp-device").toString(), "--json", "status"),
                ROOT.resolve("device-cli"));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out().trim()).isEqualTo("{\"result\":[]}");
        assertThat(again.err()).isEmpty();
        assertThat(Files.readAllLines(log)).filteredOn(line -> line.contains(" dev.qrauth.cli.OtpDevice "))
                .singleElement().asString().contains("source: shared objects file");
        assertThat(archives(cache)).containsExactly(archive.toString());

        // An archive the JVM cannot use (another Java's, a damaged one) is ignored by the JVM
        // without a word; the run removes it and the next one writes a fitting archive.
        Files.write(archive, new byte[4096]);
        Run unusable = otpDevice(env, "--json", "status");
        assertThat(unusable.exitCode()).as(unusable.err()).isZero();
        assertThat(unusable.out().trim()).isEqualTo("{\"result\":[]}");
        assertThat(unusable.err()).isEmpty();
        assertThat(archive).doesNotExist();
        assertThat(otpDevice(env, "--json", "status").exitCode()).isZero();
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);

        // Another command gets an archive of its own; with OTP_DEVICE_CDS=off none is written.
        assertThat(otpDevice(env, "--version").exitCode()).isZero();
        assertThat(archives(cache)).containsExactlyInAnyOrder(archive.toString(), archiveOf(cache, "other").toString());
        Map<String, String> off = new java.util.HashMap<>(env);
        off.put("OTP_DEVICE_CDS", "off");
        assertThat(otpDevice(off, "logout").exitCode()).isNotNegative();
        assertThat(archives(cache)).hasSize(2);
    }

    /** Where bin/otp-device keeps a command's archive: the jar's real path is in its name. */
    private static Path archiveOf(Path cache, String command) throws IOException {
        return cache.resolve("qrauth/otp-device" + JAR.toRealPath().toString().replace('/', '+') + "-" + command + ".jsa");
    }

    private static List<String> archives(Path cache) throws IOException {
        Path dir = cache.resolve("qrauth");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
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
