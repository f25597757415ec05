package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.adminclient.AdminClient;
import dev.qrauth.adminclient.AuditQuery;
import dev.qrauth.protocol.admin.AuditPage;
import dev.qrauth.protocol.admin.UserView;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command does what it prints, keeps its secrets off command lines, stops
 * everything it started on Ctrl-C without an error in its logs, reuses its data and repairs its
 * phone (deregistered, moved, disenrolled) without leaving a device behind; a second demo, and a
 * demo on taken ports, is told which option moves it before it starts anything; it answers --help
 * at once and builds only what it runs, when out of date.
 */
class DemoTest {

    static final Path ROOT = Path.of(System.getProperty("qrauth.root", "..")).toAbsolutePath().normalize();
    static final Duration START = Duration.ofMinutes(3);
    static final String REPAIRED = "The demo phone is registered and enrolled again";

    @TempDir
    Path data;

    @Test
    void theDemoRunsWhatItPrintsStopsCleanlyKeepsItsDataAndRepairsItsPhone() throws Exception {
        int portalPort = TokenServerProcess.freePort();
        int tokenServerPort = TokenServerProcess.freePort();

        Path firstOutput = data.resolveSibling(data.getFileName() + "-first.txt");
        Process first = demo(portalPort, tokenServerPort, firstOutput);
        try {
            String printed = awaitRunning(first, firstOutput);
            assertThat(printed).contains("Creating the demo API client", "Open http://localhost:" + portalPort)
                    .doesNotContain("--pin");
            assertNoSecretOnACommandLine(first, portalPort);
            aSecondDemoIsToldWhatIsTakenAndWhichOptionsMoveIt(portalPort, tokenServerPort);
            logInWithThePhone(first, printed, portalPort);
        } finally {
            stop(first);
        }
        assertThat(processesUsing(data)).as("processes left running").isEmpty();
        String masterKey = secrets().getProperty("master.key");
        String phoneDevice;

        Path secondOutput = data.resolveSibling(data.getFileName() + "-second.txt");
        Process second = demo(portalPort, tokenServerPort, secondOutput);
        try {
            String printed = awaitRunning(second, secondOutput);
            assertThat(printed).doesNotContain("Creating the demo API client").doesNotContain("Registering")
                    .doesNotContain(REPAIRED).containsPattern("Ready after \\d+\\.\\d s: .*token server up at");
            // The server's key material in its database is encrypted under the key of the first run.
            assertThat(secrets().getProperty("master.key")).isEqualTo(masterKey);
            phoneDevice = onlyDeviceOfTheUser(tokenServerPort);
            assertThat(devicesOnTheServer(tokenServerPort)).as("the token server holds the demo phone only")
                    .containsExactly(phoneDevice);
            enterWrongPinsUntilDeregistered(printed);
        } finally {
            stop(second);
        }
        assertThat(processesUsing(data)).as("processes left running").isEmpty();

        // The phone's profile is gone (the token server removed it on the third wrong PIN): the
        // demo notices at its next start and registers the phone again, instead of printing
        // instructions that every scan would fail. The wrong PINs removed the user, not the phone: the
        // user is registered again on the same device, so the server holds no device left behind.
        Path thirdOutput = data.resolveSibling(data.getFileName() + "-third.txt");
        Process third = demo(portalPort, tokenServerPort, thirdOutput);
        try {
            String printed = awaitRunning(third, thirdOutput);
            assertThat(devicesOnTheServer(tokenServerPort)).as("the token server holds the demo phone only, once")
                    .containsExactly(phoneDevice);
            assertThat(onlyDeviceOfTheUser(tokenServerPort)).isEqualTo(phoneDevice);
            assertThat(printed).contains(REPAIRED + ", on the same device").doesNotContain("Creating the demo API client");
            assertThat(secrets().getProperty("master.key")).isEqualTo(masterKey);
            logInWithThePhone(third, printed, portalPort);
            enterWrongPinsUntilDeregistered(printed);
        } finally {
            stop(third);
        }
        assertThat(processesUsing(data)).as("processes left running").isEmpty();

        // Without its profile, and kept for the token server's former address, the phone cannot go
        // on as its device: it becomes a new one, and the old one, whose id only the demo still
        // knows, is removed from the server.
        int movedTokenServerPort = TokenServerProcess.freePort();
        Path fourthOutput = data.resolveSibling(data.getFileName() + "-fourth.txt");
        Process fourth = demo(portalPort, movedTokenServerPort, fourthOutput);
        try {
            String printed = awaitRunning(fourth, fourthOutput);
            assertThat(printed).contains(REPAIRED + ", as a new device", "Removed the demo phone's old device from the token server");
            String newDevice = onlyDeviceOfTheUser(movedTokenServerPort);
            assertThat(newDevice).isNotEqualTo(phoneDevice);
            assertThat(devicesOnTheServer(movedTokenServerPort)).as("the token server holds the demo phone only, once")
                    .containsExactly(newDevice);
            logInWithThePhone(fourth, printed, portalPort);
            phoneDevice = newDevice;
            // An administrator removes the phone's enrollment while the demo runs.
            admin(movedTokenServerPort).disenroll("alice", UUID.fromString(phoneDevice));
        } finally {
            stop(fourth);
        }
        assertThat(processesUsing(data)).as("processes left running").isEmpty();

        // Registered but no longer enrolled: the phone is enrolled again, as the same device.
        Path fifthOutput = data.resolveSibling(data.getFileName() + "-fifth.txt");
        Process fifth = demo(portalPort, movedTokenServerPort, fifthOutput);
        try {
            String printed = awaitRunning(fifth, fifthOutput);
            assertThat(printed).contains("The demo phone cannot log anyone in: the token server no longer has it enrolled",
                    REPAIRED + ", on the same device");
            assertThat(onlyDeviceOfTheUser(movedTokenServerPort)).as("enrolled again").isEqualTo(phoneDevice);
            assertThat(devicesOnTheServer(movedTokenServerPort)).containsExactly(phoneDevice);
            logInWithThePhone(fifth, printed, portalPort);
        } finally {
            stop(fifth);
        }
        assertThat(processesUsing(data)).as("processes left running").isEmpty();
    }

    @Test
    void aTakenPortIsNamedWithTheOptionThatMovesItAndNothingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int freePort = TokenServerProcess.freePort();
            Path output = data.resolveSibling(data.getFileName() + "-taken.txt");

            Process demo = demo(freePort, taken.getLocalPort(), output);
            boolean ended = demo.waitFor(60, TimeUnit.SECONDS);
            stopIfRunning(demo);
            assertThat(ended).as("the demo gave up").isTrue();
            assertThat(demo.exitValue()).isEqualTo(1);
            assertThat(Files.readString(output))
                    .contains("Port " + taken.getLocalPort() + ", which the token server would listen on, is taken")
                    .contains("--token-server-port")
                    .doesNotContain("Port " + freePort)
                    .doesNotContain("Starting").doesNotContain("Building").doesNotContain("The demo is running");

            Process portal = demo(taken.getLocalPort(), freePort, output);
            ended = portal.waitFor(60, TimeUnit.SECONDS);
            stopIfRunning(portal);
            assertThat(ended).as("the demo gave up").isTrue();
            assertThat(portal.exitValue()).isEqualTo(1);
            assertThat(Files.readString(output))
                    .contains("Port " + taken.getLocalPort() + ", which the portal would listen on, is taken")
                    .contains("--portal-port");
        }
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("nothing was started, so nothing wrote a log or a database").containsOnly("demo.lock");
        }
        assertThat(processesUsing(data)).isEmpty();
    }

    /**
     * bin/demo in a project whose modules are empty and whose jars only pretend to be servers. Its
     * test kit is this project's: the kit's run jar names this project's built classes and libraries.
     */
    @Nested
    class InAProjectOfEmptyModules {

        /** A copy of the launcher in a project of empty modules, whose mvnw writes down how it was called. */
        @TempDir
        Path project;

        Path calls;
        Instant built;

        @BeforeEach
        void builtProject() throws IOException {
            Files.createDirectories(project.resolve("bin"));
            for (String file : List.of("bin/demo", "bin/Demo.java", "pom.xml")) {
                Files.copy(ROOT.resolve(file), project.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
            }
            calls = project.resolve("mvnw-calls");
            Files.writeString(project.resolve("mvnw"), "#!/usr/bin/env bash\necho \"$*\" >> '" + calls + "'\nexit 1\n");
            project.resolve("mvnw").toFile().setExecutable(true);
            built = Instant.now().minus(Duration.ofHours(1));
            for (String module : List.of("common-protocol", "admin-client", "device-sdk", "token-server", "portal-web",
                    "device-cli", "testkit", "e2e-tests")) {
                Files.createDirectories(project.resolve(module));
                Files.copy(ROOT.resolve(module + "/pom.xml"), project.resolve(module + "/pom.xml"));
                Path source = project.resolve(module + "/src/main/java/Source.java");
                Files.createDirectories(source.getParent());
                Files.writeString(source, "class Source {}\n");
                // Directories count too (a deleted source changes its directory), so all of them are made older.
                try (Stream<Path> paths = Files.walk(project.resolve(module))) {
                    for (Path path : paths.toList()) {
                        Files.setLastModifiedTime(path, FileTime.from(built.minus(Duration.ofMinutes(5))));
                    }
                }
            }
            Files.setLastModifiedTime(project.resolve("pom.xml"), FileTime.from(built.minus(Duration.ofMinutes(5))));
            for (String jar : List.of("token-server/target/quarkus-app/quarkus-run.jar",
                    "portal-web/target/quarkus-app/quarkus-run.jar", "device-cli/target/otp-device.jar")) {
                Files.createDirectories(project.resolve(jar).getParent());
                Files.writeString(project.resolve(jar), "not a jar: the demo gets no further than starting it");
                Files.setLastModifiedTime(project.resolve(jar), FileTime.from(built));
            }
            Path kitRunJar;
            try (Stream<Path> runJars = Files.list(ROOT.resolve("testkit/target/run"))) {
                kitRunJar = runJars.filter(jar -> jar.toString().endsWith("-run.jar")).findFirst().orElseThrow();
            }
            Path copy = project.resolve("testkit/target/run").resolve(kitRunJar.getFileName());
            Files.createDirectories(copy.getParent());
            Files.copy(kitRunJar, copy);
            Files.setLastModifiedTime(copy, FileTime.from(built));
        }

        @Test
        void aProgramThatTakesThePortWhileTheServerStartsIsNeverAsked() throws Exception {
            pretendToBeTheTokenServer(project.resolve("token-server/target/quarkus-app/quarkus-run.jar"));
            int tokenServerPort = TokenServerProcess.freePort();
            Path output = project.resolve("output.txt");
            Process demo = new ProcessBuilder(project.resolve("bin/demo").toString(), "--data", project.resolve("data").toString(),
                    "--portal-port", String.valueOf(TokenServerProcess.freePort()), "--token-server-port", String.valueOf(tokenServerPort))
                    .directory(project.toFile()).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try (ServerSocket intruder = new ServerSocket()) {
                // After the demo checked its ports and started its server, and before that server listens.
                Instant deadline = Instant.now().plus(START);
                while (!Files.readString(output).contains("Starting the token server") && Instant.now().isBefore(deadline)) {
                    assertThat(demo.waitFor(100, TimeUnit.MILLISECONDS)).as(Files.readString(output)).isFalse(); // poll interval
                }
                intruder.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), tokenServerPort));

                assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo gave up").isTrue();
                assertThat(demo.exitValue()).isEqualTo(1);
                assertThat(Files.readString(output)).contains("another program took port " + tokenServerPort
                        + " while the token-server started (nothing was sent to it)", "--token-server-port");
                intruder.setSoTimeout(200);
                assertThatThrownBy(intruder::accept).as("the demo never connected to the intruder")
                        .isInstanceOf(SocketTimeoutException.class);
            } finally {
                stopIfRunning(demo);
            }
            assertThat(processesUsing(project)).as("the pretended server was stopped").isEmpty();
        }

        @Test
        void aSecondDemoOnTheSameDataIsRefusedBeforeItStartsAnything() throws Exception {
            pretendToBeTheTokenServer(project.resolve("token-server/target/quarkus-app/quarkus-run.jar"));
            Path output = project.resolve("first.txt");
            Process first = new ProcessBuilder(project.resolve("bin/demo").toString(), "--data", project.resolve("data").toString(),
                    "--portal-port", String.valueOf(TokenServerProcess.freePort()),
                    "--token-server-port", String.valueOf(TokenServerProcess.freePort()))
                    .directory(project.toFile()).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                Instant deadline = Instant.now().plus(START);
                while (!Files.readString(output).contains("Starting the token server") && Instant.now().isBefore(deadline)) {
                    assertThat(first.waitFor(100, TimeUnit.MILLISECONDS)).as(Files.readString(output)).isFalse(); // poll interval
                }

                Run second = runOnFreePorts();
                assertThat(second.exitCode()).isEqualTo(1);
                assertThat(second.output()).contains("A demo with its data in " + project.resolve("data") + " is already running")
                        .contains("--data DIR").doesNotContain("Starting");
                assertThat(first.isAlive()).as("the first demo goes on").isTrue();
            } finally {
                stopIfRunning(first);
            }
        }

        /** A jar that starts and stays, as a server still starting would, and never listens. */
        private void pretendToBeTheTokenServer(Path jar) throws IOException {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StaysAlive.class.getName());
            String entry = StaysAlive.class.getName().replace('.', '/') + ".class";
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                 InputStream in = StaysAlive.class.getResourceAsStream("/" + entry)) {
                out.putNextEntry(new JarEntry(entry));
                in.transferTo(out);
            }
            Files.setLastModifiedTime(jar, FileTime.from(built));
        }

        @Test
        void helpAnswersWithoutBuildingOrStarting() throws Exception {
            Files.delete(project.resolve("token-server/target/quarkus-app/quarkus-run.jar"));
            for (String help : List.of("--help", "-h")) {
                Run run = run(help);
                assertThat(run.exitCode()).isZero();
                assertThat(run.output()).contains("--data DIR", "--portal-port PORT", "--token-server-port PORT", "-h, --help")
                        .doesNotContain("Building").doesNotContain("Starting");
                // One sentence for each option.
                assertThat(run.output().lines().filter(line -> line.strip().startsWith("-")))
                        .hasSize(4).allMatch(line -> line.strip().endsWith("."));
            }
            assertThat(calls).as("mvnw was not run").doesNotExist();
            assertThat(project.resolve("data")).as("nothing was started").doesNotExist();
        }

        @Test
        void upToDateJarsAreNotBuiltAgain() throws Exception {
            Run run = runOnFreePorts();
            assertThat(run.output()).doesNotContain("Building").contains("Starting the token server");
            assertThat(calls).as("mvnw was not run").doesNotExist();
        }

        @Test
        void aChangedSourceRebuildsOnlyTheModulesBuiltFromIt() throws Exception {
            touch("admin-client/src/main/java/Source.java");
            Run run = runOnFreePorts();
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.output()).contains("Building testkit").contains("the build failed").doesNotContain("Starting");
            assertThat(Files.readAllLines(calls)).singleElement(InstanceOfAssertFactories.STRING)
                    .contains("package").contains("-pl testkit -am");

            touch("device-sdk/src/main/java/Source.java");
            runOnFreePorts();
            assertThat(Files.readAllLines(calls)).hasSize(2).last(InstanceOfAssertFactories.STRING)
                    .contains("-pl device-cli,testkit -am").doesNotContain("token-server").doesNotContain("portal-web");

            touch("common-protocol/src/main/java/Source.java");
            runOnFreePorts();
            assertThat(Files.readAllLines(calls)).hasSize(3).last(InstanceOfAssertFactories.STRING)
                    .contains("-pl token-server,portal-web,device-cli,testkit -am");
        }

        @Test
        void aMissingJarIsBuilt() throws Exception {
            Files.delete(project.resolve("portal-web/target/quarkus-app/quarkus-run.jar"));
            runOnFreePorts();
            assertThat(Files.readAllLines(calls)).singleElement(InstanceOfAssertFactories.STRING).contains("-pl portal-web -am");
        }

        @Test
        void aKitWhoseClassPathNamesAMissingFileIsBuilt() throws Exception {
            Path runJar;
            try (Stream<Path> runJars = Files.list(project.resolve("testkit/target/run"))) {
                runJar = runJars.findFirst().orElseThrow();
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, project.resolve("gone.jar").toString());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(runJar), manifest)) {
                out.flush();
            }
            Files.setLastModifiedTime(runJar, FileTime.from(built));

            Run run = runOnFreePorts();

            assertThat(run.output()).contains("Building testkit").doesNotContain("Starting");
            assertThat(Files.readAllLines(calls)).singleElement(InstanceOfAssertFactories.STRING).contains("-pl testkit -am");
        }

        private void touch(String source) throws IOException {
            Files.setLastModifiedTime(project.resolve(source), FileTime.from(built.plus(Duration.ofMinutes(1))));
        }

        record Run(int exitCode, String output) {
        }

        private Run runOnFreePorts() throws Exception {
            return run("--data", project.resolve("data").toString(), "--portal-port", String.valueOf(TokenServerProcess.freePort()),
                    "--token-server-port", String.valueOf(TokenServerProcess.freePort()));
        }

        private Run run(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(project.resolve("bin/demo").toString()));
            command.addAll(List.of(args));
            Path output = project.resolve("output.txt");
            Process demo = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!demo.waitFor(2, TimeUnit.MINUTES)) {
                demo.descendants().forEach(ProcessHandle::destroyForcibly);
                demo.destroyForcibly();
                throw new AssertionError("bin/demo " + String.join(" ", args) + " did not end:\n" + Files.readString(output));
            }
            return new Run(demo.exitValue(), Files.readString(output));
        }
    }

    /** The pretended server: it waits for input that never comes, until the demo stops it. */
    static final class StaysAlive {
        public static void main(String[] args) throws IOException {
            System.in.read();
        }
    }

    /**
     * A second bin/demo while one runs, typed again in another terminal (same data, same ports) or
     * given a directory of its own: each is told what is taken and which option moves it, and
     * starts nothing. The running demo goes on (the caller logs in with it next).
     */
    private void aSecondDemoIsToldWhatIsTakenAndWhichOptionsMoveIt(int portalPort, int tokenServerPort) throws Exception {
        String portalTaken = "Port " + portalPort + ", which the portal would listen on, is taken";
        String tokenServerTaken = "Port " + tokenServerPort + ", which the token server would listen on, is taken";

        Path sameOutput = data.resolveSibling(data.getFileName() + "-again.txt");
        Process same = demo(data, portalPort, tokenServerPort, sameOutput);
        assertThat(same.waitFor(60, TimeUnit.SECONDS)).as("the second demo gave up").isTrue();
        assertThat(same.exitValue()).isEqualTo(1);
        assertThat(Files.readString(sameOutput)).contains("A demo with its data in " + data + " is already running",
                        "--data DIR", portalTaken, "--portal-port PORT", tokenServerTaken, "--token-server-port PORT",
                        "Nothing was started.")
                .doesNotContain("Starting").doesNotContain("Building").doesNotContain("The demo is running");

        Path elsewhere = Files.createDirectory(data.resolveSibling(data.getFileName() + "-elsewhere"));
        Path elsewhereOutput = data.resolveSibling(data.getFileName() + "-elsewhere.txt");
        Process other = demo(elsewhere, portalPort, tokenServerPort, elsewhereOutput);
        assertThat(other.waitFor(60, TimeUnit.SECONDS)).as("the second demo gave up").isTrue();
        assertThat(other.exitValue()).isEqualTo(1);
        assertThat(Files.readString(elsewhereOutput)).contains(portalTaken, "--portal-port PORT", tokenServerTaken,
                        "--token-server-port PORT", "perhaps a demo already running", "Nothing was started.")
                .doesNotContain("Starting").doesNotContain("The demo is running");
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsOnly("demo.lock");
        }
    }

    /** Logs in at the portal with the command the demo printed, and waits for the browser to be logged in. */
    private void logInWithThePhone(Process demo, String printed, int portalPort) throws Exception {
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
            assertThat(demo.waitFor(100, TimeUnit.MILLISECONDS)).as("the demo stopped").isFalse(); // poll interval
        }
        assertThat(status).contains("\"state\":\"confirmed\"");
    }

    /** As a person who forgot the PIN: wrong ones until the token server removes the user from the phone. */
    private void enterWrongPinsUntilDeregistered(String printed) throws Exception {
        Matcher phone = Pattern.compile("(\\S*otp-device --home \\S+) scan").matcher(printed);
        assertThat(phone.find()).as(printed).isTrue();
        String output = "";
        for (int attempt = 0; attempt < 10 && !output.contains("USER_DEREGISTERED"); attempt++) {
            ProcessBuilder login = new ProcessBuilder("bash", "-c", phone.group(1) + " login").directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            login.environment().put("OTP_DEVICE_PIN", "13579");
            Process process = login.start();
            output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isNotZero();
        }
        assertThat(output).contains("USER_DEREGISTERED");
    }

    /** The one device the token server has the demo's user registered and enrolled on. */
    private String onlyDeviceOfTheUser(int tokenServerPort) throws Exception {
        List<UserView.DeviceView> devices = admin(tokenServerPort).user("alice").devices();
        assertThat(devices).singleElement().extracting(UserView.DeviceView::mobileAuthEnrolled).isEqualTo(true);
        return devices.get(0).deviceId().toString();
    }

    /**
     * The ids of the devices the token server holds, whether or not a user is registered on them
     * (the admin API lists only a user's devices): its audit log tells every device registered and
     * every device removed since, whoever removed it.
     */
    private Set<String> devicesOnTheServer(int tokenServerPort) throws Exception {
        AuditPage audit = admin(tokenServerPort).audit(
                AuditQuery.all().types("DEVICE_REGISTERED", "DEVICE_DEREGISTERED").limit(1000));
        assertThat(audit.nextCursor()).as("the whole audit log of devices on one page").isNull();
        Set<String> held = new LinkedHashSet<>();
        Set<String> removed = new HashSet<>();
        for (AuditPage.Entry event : audit.events()) {
            (event.eventType().equals("DEVICE_REGISTERED") ? held : removed).add(event.deviceId().toString());
        }
        held.removeAll(removed);
        return held;
    }

    /** The token server's admin API, as the demo's administrator. */
    private AdminClient admin(int tokenServerPort) throws IOException {
        return AdminClient.builder(URI.create("http://127.0.0.1:" + tokenServerPort), "admin",
                secrets().getProperty("admin.password")).build();
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
        return demo(data, portalPort, tokenServerPort, output);
    }

    /**
     * bin/demo as typed in a terminal: Ctrl-C (SIGINT) reaches it even when this JVM was started
     * with it ignored (in the background of a script), which the demo would inherit.
     */
    private static Process demo(Path data, int portalPort, int tokenServerPort, Path output) throws IOException {
        return new ProcessBuilder("env", "--default-signal=INT,QUIT", ROOT.resolve("bin/demo").toString(), "--data", data.toString(),
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

    /**
     * Ctrl-C in the demo's terminal: SIGINT to its whole process group, the demo and everything it
     * started, at once. Everything stops, and neither server's log has an error or a stack trace.
     */
    private void stop(Process demo) throws Exception {
        List<ProcessHandle> group = Stream.concat(Stream.of(demo.toHandle()), demo.descendants()).toList();
        Signals.send("INT", group);
        if (!demo.waitFor(60, TimeUnit.SECONDS)) {
            demo.destroyForcibly();
            group.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError("the demo did not stop within a minute of Ctrl-C");
        }
        for (String log : List.of("token-server.log", "portal.log")) {
            String text = Files.readString(data.resolve(log));
            assertThat(text.lines().filter(line -> line.contains(" ERROR "))).as(log).isEmpty();
            assertThat(text).as(log + ": stack traces").doesNotContain("\tat ").doesNotContain("Caused by:");
        }
    }

    /** After a failed assertion: nothing of the demo outlives the test. */
    private static void stopIfRunning(Process demo) {
        if (demo.isAlive()) {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    /**
     * Processes whose command line names the data directory (servers and the embedded
     * PostgreSQL), once none is left or 20 s have passed: those still running then.
     */
    private static List<String> processesUsing(Path data) {
        java.util.function.Supplier<List<String>> running = () -> ProcessHandle.allProcesses()
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(data.toString()))
                .toList();
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(running::get, List::isEmpty);
        } catch (ConditionTimeoutException e) {
            return running.get();
        }
    }
}
