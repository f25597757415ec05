import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole system on this machine with one command: the token server (embedded PostgreSQL, data
 * under the data directory), the portal, and a demo phone for {@code bin/otp-device}. Run through
 * {@code bin/demo}, which builds what is missing first. Needs only a JDK.
 *
 * <p>The first run creates the token server's master key and admin password, the demo API
 * client, the {@code login} and {@code approval} types, the user {@code alice} and a registered,
 * enrolled device profile, and keeps their secrets in {@code demo.properties} (readable by the
 * owner only). Later runs reuse them: the server's key material in its database is encrypted
 * under the master key. The servers get their secrets in their environment, never on their
 * command lines, which every user of the machine can read ({@code ps}). Ctrl-C stops everything
 * this started.
 */
public final class Demo {

    private static final String USER = "alice";
    private static final String PIN = "24680";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Path data;
    private final int portalPort;
    private final int tokenServerPort;
    private final Properties settings = new Properties();
    private final List<Process> started = new ArrayList<>();
    private volatile boolean stopping;

    private Demo(Path root, Path data, int portalPort, int tokenServerPort) {
        this.root = root;
        this.data = data;
        this.portalPort = portalPort;
        this.tokenServerPort = tokenServerPort;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("qrauth.root", ".")).toAbsolutePath().normalize();
        Path data = root.resolve("data");
        int portalPort = 8080;
        int tokenServerPort = 8081;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(value(args, ++i)).toAbsolutePath().normalize();
                case "--portal-port" -> portalPort = port(value(args, ++i));
                case "--token-server-port" -> tokenServerPort = port(value(args, ++i));
                case "-h", "--help" -> {
                    System.out.println("Usage: bin/demo [--data DIR] [--portal-port 8080] [--token-server-port 8081]");
                    return;
                }
                default -> {
                    System.err.println("Unknown option " + args[i] + "; see bin/demo --help");
                    System.exit(2);
                }
            }
        }
        Demo demo = new Demo(root, data, portalPort, tokenServerPort);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stopAll, "demo-shutdown"));
        try {
            demo.run();
        } catch (DemoException e) {
            if (!demo.stopping) {
                System.err.println();
                System.err.println("The demo stopped: " + e.getMessage());
                System.exit(1);
            }
        }
    }

    private void run() throws Exception {
        if (!Files.isDirectory(data)) {
            Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        loadSettings();
        URI tokenServer = URI.create("http://127.0.0.1:" + tokenServerPort);
        URI portal = URI.create("http://127.0.0.1:" + portalPort);

        if (settings.getProperty("master.key") == null && Files.isDirectory(data.resolve("token-server"))) {
            throw new DemoException(data.resolve("token-server") + " holds data encrypted under a master key that "
                    + data.resolve("demo.properties") + " no longer has; delete " + data + " to start from scratch");
        }
        say("Starting the token server on " + tokenServer + " (data in " + data.resolve("token-server") + ") ...");
        Process tokenServerProcess = start("token-server", root.resolve("token-server/target/quarkus-app/quarkus-run.jar"),
                List.of("-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=" + tokenServerPort,
                        "-Dtokenserver.data-dir=" + data.resolve("token-server")),
                Map.of("TOKENSERVER_ADMIN_PASSWORD", setting("admin.password", () -> token(24)),
                        "TOKENSERVER_MASTER_KEY", setting("master.key", () -> Base64.getEncoder().encodeToString(bytes(32)))));
        awaitUp(tokenServerProcess, "token-server", tokenServer.resolve("/q/health/ready"));

        String clientKey = "client." + portalPort + ".";
        if (settings.getProperty(clientKey + "id") == null) {
            say("Creating the demo API client and the login and approval types ...");
            seedClient(tokenServer, portal, clientKey);
        }
        seedTypes(tokenServer);
        seedPhone(tokenServer);

        say("Starting the portal on " + portal + " ...");
        Process portalProcess = start("portal", root.resolve("portal-web/target/quarkus-app/quarkus-run.jar"),
                List.of("-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=" + portalPort,
                        "-Dportal.public-url=" + portal,
                        "-Dportal.token-server.url=" + tokenServer,
                        "-Dportal.client-id=" + settings.getProperty(clientKey + "id")),
                Map.of("PORTAL_CLIENT_SECRET", settings.getProperty(clientKey + "secret"),
                        "PORTAL_CALLBACK_SIGNING_SECRET", settings.getProperty(clientKey + "signing-secret")));
        awaitUp(portalProcess, "portal", portal.resolve("/"));

        String phone = displayPath(root.resolve("bin/otp-device")) + " --home " + displayPath(data.resolve("phone"));
        System.out.println();
        System.out.println("The demo is running. Logs: " + displayPath(data) + "/*.log");
        System.out.println();
        System.out.println("  1. Open http://localhost:" + portalPort + " and choose \"Log in with your phone\".");
        System.out.println("  2. Scan the code with the demo phone, using the text under \"Can't scan?\":");
        System.out.println("       " + phone + " scan --otp '<text under the QR>' --approve");
        System.out.println("     or a screenshot of the code:");
        System.out.println("       " + phone + " scan --image screenshot.png --approve");
        System.out.println("     When the phone is not logged in, it asks for its PIN: " + PIN);
        System.out.println("     Use --deny or --fraud instead of --approve to refuse.");
        System.out.println("  3. The browser logs you in as " + USER + " by itself. On the account page, approve an action:");
        System.out.println("     the approval type uses number matching, so add --number N with the number the browser shows.");
        System.out.println("     It also asks for the code the phone prints after approving: type it into the browser.");
        System.out.println();
        System.out.println("Press Ctrl-C to stop everything.");

        while (true) {
            for (Process process : List.of(tokenServerProcess, portalProcess)) {
                if (process.waitFor(1, TimeUnit.SECONDS)) {
                    if (stopping) {
                        return;
                    }
                    String name = process == tokenServerProcess ? "token-server" : "portal";
                    throw new DemoException("the " + name + " stopped (exit " + process.exitValue() + "); see "
                            + data.resolve(name + ".log") + "\n" + tail(data.resolve(name + ".log")));
                }
            }
        }
    }

    private void seedClient(URI tokenServer, URI portal, String clientKey) {
        String body = "{\"name\":\"demo-portal-" + portalPort + "\",\"display_name\":\"Example Portal\","
                + "\"callback_uris\":[\"" + portal + "/callbacks/mobile-auth\"],\"callback_on_scan\":true}";
        Reply reply = admin(tokenServer, "POST", "/clients", body);
        if (reply.status() != 201) {
            throw new DemoException("creating the API client failed: HTTP " + reply.status() + " " + reply.body());
        }
        settings.setProperty(clientKey + "id", reply.member("client_id"));
        settings.setProperty(clientKey + "secret", reply.member("client_secret"));
        settings.setProperty(clientKey + "signing-secret", reply.member("callback_signing_secret"));
        saveSettings();
    }

    private void seedTypes(URI tokenServer) {
        createIfMissing(tokenServer, "/mobile-auth-types",
                "{\"name\":\"login\",\"method\":\"OTP\",\"time_to_live_seconds\":120}", "the login type");
        createIfMissing(tokenServer, "/mobile-auth-types",
                "{\"name\":\"approval\",\"method\":\"OTP\",\"time_to_live_seconds\":120,\"number_matching\":true,"
                        + "\"proximity\":\"warn\",\"reverse_code\":true}",
                "the approval type");
    }

    private void seedPhone(URI tokenServer) throws Exception {
        Path phoneHome = data.resolve("phone");
        if (Files.isDirectory(phoneHome) && "true".equals(settings.getProperty("phone.enrolled"))) {
            return;
        }
        say("Registering user " + USER + " on the demo phone and enrolling it ...");
        Reply user = admin(tokenServer, "POST", "/users", "{\"user_id\":\"" + USER + "\"}");
        if (user.status() == 409) {
            user = admin(tokenServer, "POST", "/users/" + USER + "/activation-codes", null);
        }
        if (user.status() != 201) {
            throw new DemoException("creating user " + USER + " failed: HTTP " + user.status() + " " + user.body());
        }
        // The activation code is a secret until used: in the environment, not on the command line.
        otpDevice(phoneHome, Map.of("OTP_DEVICE_ACTIVATION_CODE", user.member("activation_code")),
                "register", "--server", tokenServer.toString(), "--user", USER);
        otpDevice(phoneHome, Map.of(), "enroll");
        settings.setProperty("phone.enrolled", "true");
        saveSettings();
    }

    private void otpDevice(Path home, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar",
                root.resolve("device-cli/target/otp-device.jar").toString(), "--home", home.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OTP_DEVICE_PIN", PIN);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new DemoException("otp-device " + args[0] + " failed: " + output.strip());
        }
    }

    private void createIfMissing(URI tokenServer, String path, String body, String what) {
        Reply reply = admin(tokenServer, "POST", path, body);
        if (reply.status() != 201 && reply.status() != 409) {
            throw new DemoException("creating " + what + " failed: HTTP " + reply.status() + " " + reply.body());
        }
    }

    /** Starts a server's jar with {@code properties} on its command line and {@code secrets} in its environment. */
    private Process start(String name, Path jar, List<String> properties, Map<String, String> secrets) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new DemoException(jar + " is missing; build with ./mvnw -B package -DskipTests");
        }
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m"));
        command.addAll(properties);
        command.addAll(List.of("-jar", jar.toString()));
        Path log = data.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(secrets);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        synchronized (started) {
            started.add(process);
        }
        return process;
    }

    private void awaitUp(Process process, String name, URI probe) throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new DemoException("the " + name + " exited at start; its log ends with:\n" + tail(data.resolve(name + ".log")));
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new DemoException("the " + name + " did not come up within " + START_TIMEOUT.toMinutes() + " minutes; see "
                + data.resolve(name + ".log"));
    }

    /** Stops what this started, newest first, each given time to shut down cleanly. */
    private void stopAll() {
        stopping = true;
        List<Process> processes;
        synchronized (started) {
            processes = new ArrayList<>(started);
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (!processes.isEmpty()) {
            System.out.println("Stopped the demo.");
        }
    }

    private record Reply(int status, String body) {
        String member(String name) {
            Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
            if (!matcher.find()) {
                throw new DemoException("the token server's answer has no " + name + ": " + body);
            }
            return matcher.group(1);
        }
    }

    private Reply admin(URI tokenServer, String method, String path, String json) {
        String credentials = "admin:" + settings.getProperty("admin.password");
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenServer.resolve("/admin/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new DemoException("the token server's admin API did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted");
        }
    }

    /** The kept secrets; the file is made the owner's only, in case a copy left it readable to others. */
    private void loadSettings() throws IOException {
        Path file = data.resolve("demo.properties");
        if (Files.exists(file)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            try (InputStream in = Files.newInputStream(file)) {
                settings.load(in);
            }
        }
    }

    private void saveSettings() {
        Path file = data.resolve("demo.properties");
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                settings.store(out, "Demo secrets: the admin password, the master key and the API client. Keep private.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String setting(String key, Supplier<String> initial) {
        String value = settings.getProperty(key);
        if (value == null) {
            value = initial.get();
            settings.setProperty(key, value);
            saveSettings();
        }
        return value;
    }

    private String displayPath(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        return path.startsWith(cwd) ? cwd.relativize(path).toString() : path.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String token(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(n));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println(args[i - 1] + " needs a value; see bin/demo --help");
            System.exit(2);
        }
        return args[i];
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("Not a port: " + text);
        System.exit(2);
        return 0;
    }

    private static void say(String line) {
        System.out.println(line);
    }

    private static final class DemoException extends RuntimeException {
        DemoException(String message) {
            super(message);
        }
    }
}
