package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command does what it prints, keeps its secrets off command lines, stops
 * everything it started, and reuses its data.
 */
class DemoTest {

    static final Path ROOT = Path.of(System.getProperty("qrauth.root", "..")).toAbsolutePath().normalize();
    static final Duration START = Duration.ofMinutes(3);

    @TempDir
    Path data;

    @Test
    void theDemoRunsWhatItPrintsStopsCleanlyAndKeepsItsData() throws Exception {
        int portalPort = TokenServerProcess.freePort();
        int tokenServerPort = TokenServerProcess.freePort();

        Path firstOutput = data.resolveSibling(data.getFileName() + "-first.txt");
        Process first = demo(portalPort, tokenServerPort, firstOutput);
        try {
            String printed = awaitRunning(first, firstOutput);
            assertThat(printed).contains("Creating the demo API client", "Open http://localhost:" + portalPort)
                    .doesNotContain("--pin");
            assertNoSecretOnACommandLine(first, portalPort);

            HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            URI portal = URI.create("http://127.0.0.1:" + portalPort);
            String page = browser.send(HttpRequest.newBuilder(portal.resolve("/login")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher otp = Pattern.compile("class=\"otp\">([^<]+)<").matcher(page);
            assertThat(otp.find()).as(page).isTrue();
            Matcher scan = Pattern.compile("(\\S*otp-device .*scan --otp )'<text under the QR>'( .*)").matcher(printed);
            assertThat(scan.find()).as(printed).isTrue();
            Matcher pin = Pattern.compile("asks for its PIN: (\\d+)").matcher(printed);
            assertThat(pin.find()).as(printed).isTrue();

            // Without a terminal, the PIN goes where a script puts it: the environment.
            String command = scan.group(1) + "'" + otp.group(1) + "'" + scan.group(2);
            ProcessBuilder phoneStart = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            phoneStart.environment().put("OTP_DEVICE_PIN", pin.group(1));
            Process phone = phoneStart.start();
            String phoneOutput = new String(phone.getInputStream().readAllBytes());
            assertThat(phone.waitFor()).as(phoneOutput).isZero();
            assertThat(phoneOutput).contains("Example Portal asks you to log in as alice");

            Instant deadline = Instant.now().plusSeconds(10);
            String status = "";
            while (Instant.now().isBefore(deadline) && !status.contains("\"state\":\"confirmed\"")) {
                status = browser.send(HttpRequest.newBuilder(portal.resolve("/challenge/login/status")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll interval
            }
            assertThat(status).contains("\"state\":\"confirmed\"");
        } finally {
            stop(first);
        }
        assertThat(processesUsing(data)).as("processes left running").isEmpty();
        String masterKey = secrets().getProperty("master.key");

        Path secondOutput = data.resolveSibling(data.getFileName() + "-second.txt");
        Process second = demo(portalPort, tokenServerPort, secondOutput);
        try {
            String printed = awaitRunning(second, secondOutput);
            assertThat(printed).doesNotContain("Creating the demo API client").doesNotContain("Registering user");
            // The server's key material in its database is encrypted under the key of the first run.
            assertThat(secrets().getProperty("master.key")).isEqualTo(masterKey);
        } finally {
            stop(second);
        }
        assertThat(processesUsing(data)).as("processes left running").isEmpty();
    }

    /** What the demo keeps: its secrets, in a file only its owner can read. */
    private Properties secrets() throws IOException {
        Path file = data.resolve("demo.properties");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Properties secrets = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            secrets.load(in);
        }
        return secrets;
    }

    /** Every user of the machine reads command lines (ps): none of the demo's servers has a secret on its own. */
    private void assertNoSecretOnACommandLine(Process demo, int portalPort) throws IOException {
        Properties kept = secrets();
        List<String> secrets = List.of(kept.getProperty("admin.password"), kept.getProperty("master.key"),
                kept.getProperty("client." + portalPort + ".secret"), kept.getProperty("client." + portalPort + ".signing-secret"));
        assertThat(secrets).doesNotContainNull();
        List<String> commandLines = demo.descendants()
                .map(process -> String.join(" ", process.info().arguments().orElse(new String[0])))
                .toList();
        assertThat(commandLines).as("the token server and the portal run")
                .anyMatch(line -> line.contains("token-server/target/quarkus-app/quarkus-run.jar"))
                .anyMatch(line -> line.contains("portal-web/target/quarkus-app/quarkus-run.jar"));
        assertThat(commandLines).noneMatch(line -> secrets.stream().anyMatch(line::contains));
    }

    private Process demo(int portalPort, int tokenServerPort, Path output) throws IOException {
        return new ProcessBuilder(ROOT.resolve("bin/demo").toString(), "--data", data.toString(),
                "--portal-port", String.valueOf(portalPort), "--token-server-port", String.valueOf(tokenServerPort))
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    private static String awaitRunning(Process demo, Path output) throws Exception {
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            String printed = Files.readString(output);
            if (printed.contains("Press Ctrl-C to stop everything.")) {
                return printed;
            }
            if (demo.waitFor(200, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the demo exited with " + demo.exitValue() + ":\n" + Files.readString(output));
            }
        }
        throw new AssertionError("the demo did not start within " + START + ":\n" + Files.readString(output));
    }

    /** As Ctrl-C would: the demo's shutdown stops what it started. */
    private static void stop(Process demo) throws InterruptedException {
        List<ProcessHandle> started = demo.descendants().toList();
        demo.destroy();
        if (!demo.waitFor(60, TimeUnit.SECONDS)) {
            demo.destroyForcibly();
            started.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError("the demo did not stop within a minute");
        }
    }

    /** Processes whose command line names the data directory: servers and the embedded PostgreSQL. */
    private static List<String> processesUsing(Path data) {
        Instant deadline = Instant.now().plusSeconds(20);
        List<String> left;
        do {
            left = ProcessHandle.allProcesses()
                    .map(p -> p.info().commandLine().orElse(""))
                    .filter(line -> line.contains(data.toString()))
                    .toList();
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll interval
        } while (!left.isEmpty() && Instant.now().isBefore(deadline));
        return left;
    }
}
