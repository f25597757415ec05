import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The whole system on this machine with one command: the token server (embedded PostgreSQL, data
 * under the data directory), the portal, and a demo phone for {@code bin/otp-device}. Run through
 * {@code bin/demo}. Needs only a JDK (and, to build, the Maven wrapper's downloads).
 *
 * <p>Before starting anything it checks that no other demo uses the data directory and that both
 * ports are free, then builds the modules it runs when their jars are missing or older than their
 * sources (and nothing else). The first run creates the token server's master key and admin
 * password, the demo API client, the {@code login} and {@code approval} types, the user
 * {@code alice} and a registered, enrolled device profile, and keeps their secrets in
 * {@code demo.properties} (readable by the owner only). Later runs reuse them: the server's key
 * material in its database is encrypted under the master key. Every run checks with the token
 * server that the demo phone is still registered and enrolled (three wrong PINs deregister it)
 * and registers it again if not, so that the server keeps one device for it. The servers get
 * their secrets in their environment, never on their command lines, which every user of the
 * machine can read ({@code ps}). Ctrl-C stops everything this started.
 */
public final class Demo {

    private static final String USER = "alice";
    private static final String PIN = "24680";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Exit codes besides 0 after --help (see {@link #HELP}). */
    private static final int CANNOT_RUN = 1;
    private static final int USAGE = 2;

    private static final String HELP = """
            Usage: bin/demo [--data DIR] [--portal-port PORT] [--token-server-port PORT]

            Runs the token server, the portal and a demo phone on this machine, building first only
            the modules it runs whose jars are missing or older than their sources. Ctrl-C stops
            everything it started.

              --data DIR                 Keeps the demo's secrets, databases, phone and logs in DIR (default: data).
              --portal-port PORT         Has the portal, the site you open in the browser, listen on PORT (default: 8080).
              --token-server-port PORT   Has the token server listen on PORT (default: 8081).
              -h, --help                 Prints this help and exits, without building or starting anything.

            Exit codes: 0 after --help, 1 the demo could not start or a server stopped, 2 bad usage
            (Ctrl-C ends it as the signal does, 130).""";

    /** The modules whose jars the demo runs, each with the jar that {@code ./mvnw package} makes. */
    private static final Map<String, String> RUN_MODULES = new LinkedHashMap<>();

    static {
        RUN_MODULES.put("token-server", "token-server/target/quarkus-app/quarkus-run.jar");
        RUN_MODULES.put("portal-web", "portal-web/target/quarkus-app/quarkus-run.jar");
        RUN_MODULES.put("device-cli", "device-cli/target/otp-device.jar");
    }

    private final Path root;
    private final Path data;
    private final int portalPort;
    private final int tokenServerPort;
    private final Properties settings = new Properties();
    private final List<Process> started = new ArrayList<>();
    private final Timings timings = new Timings();
    private volatile boolean stopping;
    /** Held open while the demo runs: closing it (or losing it to the collector) would release the lock. */
    private FileChannel dataLock;

    private Demo(Path root, Path data, int portalPort, int tokenServerPort) {
        this.root = root;
        this.data = data;
        this.portalPort = portalPort;
        this.tokenServerPort = tokenServerPort;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("qrauth.root", ".")).toAbsolutePath().normalize();
        if (Arrays.asList(args).contains("-h") || Arrays.asList(args).contains("--help")) {
            System.out.println(HELP);
            return;
        }
        Path data = root.resolve("data");
        int portalPort = 8080;
        int tokenServerPort = 8081;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(value(args, ++i)).toAbsolutePath().normalize();
                case "--portal-port" -> portalPort = port(args[i], value(args, ++i));
                case "--token-server-port" -> tokenServerPort = port(args[i], value(args, ++i));
                default -> usage("Unknown option " + args[i] + "; see bin/demo --help");
            }
        }
        if (portalPort == tokenServerPort) {
            usage("The portal and the token server need ports of their own, not both " + portalPort + ".");
        }
        Demo demo = new Demo(root, data, portalPort, tokenServerPort);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stopAll, "demo-shutdown"));
        try {
            demo.run();
        } catch (DemoException e) {
            if (!demo.stopping) {
                System.err.println();
                System.err.println("The demo stopped: " + e.getMessage());
                System.exit(CANNOT_RUN);
            }
        } catch (CannotStartException e) {
            System.err.println(e.getMessage());
            System.exit(CANNOT_RUN);
        }
    }

    private void run() throws Exception {
        if (!Files.isDirectory(data)) {
            Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        lockData();
        checkPorts();
        timings.mark("ports checked");
        timings.mark(buildWhatIsStale() ? "stale jars built" : "jars up to date");
        loadSettings();
        URI tokenServer = URI.create("http://127.0.0.1:" + tokenServerPort);
        URI portal = URI.create("http://127.0.0.1:" + portalPort);

        if (settings.getProperty("master.key") == null && Files.isDirectory(data.resolve("token-server"))) {
            throw new DemoException(data.resolve("token-server") + " holds data encrypted under a master key that "
                    + data.resolve("demo.properties") + " no longer has; delete " + data + " to start from scratch");
        }
        say("Starting the token server on " + tokenServer + " (data in " + data.resolve("token-server") + ") ...");
        Process tokenServerProcess = start("token-server", root.resolve(RUN_MODULES.get("token-server")),
                List.of("-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=" + tokenServerPort,
                        "-Dtokenserver.data-dir=" + data.resolve("token-server")),
                Map.of("TOKENSERVER_ADMIN_PASSWORD", setting("admin.password", () -> token(24)),
                        "TOKENSERVER_MASTER_KEY", setting("master.key", () -> Base64.getEncoder().encodeToString(bytes(32)))));

        // What the phone holds is local: read it while the servers start.
        CompletableFuture<LocalPhone> localPhone = CompletableFuture.supplyAsync(this::localPhone);
        String clientKey = "client." + portalPort + ".";
        Process portalProcess = null;
        if (settings.getProperty(clientKey + "id") != null) {
            // The portal needs nothing from the token server to start: both start at once.
            portalProcess = startPortal(portal, tokenServer, clientKey);
        }

        awaitUp(tokenServerProcess, "token-server", tokenServer.resolve("/q/health/ready"), "--token-server-port");
        timings.mark("token server up");
        if (portalProcess == null) {
            say("Creating the demo API client and the login and approval types ...");
            seedClient(tokenServer, portal, clientKey);
            portalProcess = startPortal(portal, tokenServer, clientKey);
        }
        seedTypes(tokenServer);
        seedPhone(tokenServer, localPhone.join());
        timings.mark("types and phone checked");
        awaitUp(portalProcess, "portal", portal.resolve("/"), "--portal-port");
        timings.mark("portal up");

        String phone = displayPath(root.resolve("bin/otp-device")) + " --home " + displayPath(data.resolve("phone"));
        System.out.println();
        System.out.println("The demo is running. Logs: " + displayPath(data) + "/*.log");
        System.out.println("Ready after " + timings + ".");
        recordTimings();
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

    private Process startPortal(URI portal, URI tokenServer, String clientKey) throws IOException {
        say("Starting the portal on " + portal + " ...");
        return start("portal", root.resolve(RUN_MODULES.get("portal-web")),
                List.of("-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=" + portalPort,
                        "-Dportal.public-url=" + portal,
                        "-Dportal.token-server.url=" + tokenServer,
                        "-Dportal.client-id=" + settings.getProperty(clientKey + "id")),
                Map.of("PORTAL_CLIENT_SECRET", settings.getProperty(clientKey + "secret"),
                        "PORTAL_CALLBACK_SIGNING_SECRET", settings.getProperty(clientKey + "signing-secret")));
    }

    /**
     * One demo per data directory: a second one would start a second PostgreSQL on the same files.
     * The lock is the operating system's, so it ends with the process however that ends.
     */
    private void lockData() throws IOException {
        dataLock = FileChannel.open(data.resolve("demo.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (dataLock.tryLock() == null) {
            throw new CannotStartException("A demo with its data in " + data + " is already running: use it, "
                    + "or stop it (Ctrl-C in its terminal) first, or give this one another directory with --data DIR.");
        }
    }

    /**
     * Both ports free on 127.0.0.1, checked by binding them here (nothing is sent anywhere). Found
     * before anything is built or started, with the option that moves the service elsewhere.
     */
    private void checkPorts() {
        List<String> taken = new ArrayList<>();
        for (Object[] use : List.of(new Object[] {tokenServerPort, "the token server", "--token-server-port"},
                new Object[] {portalPort, "the portal", "--portal-port"})) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), (int) use[0]));
            } catch (IOException e) {
                taken.add("Port " + use[0] + ", which " + use[1] + " would listen on, is taken by another program"
                        + " (perhaps a demo already running). Stop that program, or move " + use[1] + " with "
                        + use[2] + " PORT.");
            }
        }
        if (!taken.isEmpty()) {
            throw new CannotStartException(String.join("\n", taken) + "\nNothing was started.");
        }
    }

    /**
     * Builds the modules the demo runs whose jar is missing or older than a source it is built from
     * (its own, and those of the project's modules it depends on): nothing else, and nothing when
     * all are up to date.
     */
    private boolean buildWhatIsStale() throws Exception {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> module : RUN_MODULES.entrySet()) {
            Path jar = root.resolve(module.getValue());
            if (!Files.isRegularFile(jar)
                    || newestSource(module.getKey()).compareTo(Files.getLastModifiedTime(jar).toInstant()) > 0) {
                stale.add(module.getKey());
            }
        }
        if (stale.isEmpty()) {
            return false;
        }
        say("Building " + String.join(", ", stale) + " (missing or older than its sources; a few minutes the first time) ...");
        List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-q", "package",
                "-DskipTests", "-pl", String.join(",", stale), "-am"));
        Process build = new ProcessBuilder(command).directory(root.toFile()).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        synchronized (started) {
            started.add(build);
        }
        build.waitFor();
        synchronized (started) {
            started.remove(build);
        }
        if (build.exitValue() != 0) {
            throw new DemoException("the build failed (exit " + build.exitValue() + "); run it to see why: (cd " + root
                    + " && " + String.join(" ", command) + ")");
        }
        return true;
    }

    /** The newest change to what {@code module} is built from: its sources and POM, its project dependencies', the parent POM. */
    private Instant newestSource(String module) throws IOException {
        Instant newest = Files.getLastModifiedTime(root.resolve("pom.xml")).toInstant();
        for (String built : withProjectDependencies(module, new LinkedHashSet<>())) {
            Path dir = root.resolve(built);
            newest = max(newest, Files.getLastModifiedTime(dir.resolve("pom.xml")).toInstant());
            Path sources = dir.resolve("src/main");
            if (Files.isDirectory(sources)) {
                try (Stream<Path> files = Files.walk(sources)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        newest = max(newest, Files.getLastModifiedTime(file).toInstant());
                    }
                }
            }
        }
        return newest;
    }

    /** {@code module} and the modules of this project it needs at run time, read from the POMs. */
    private Set<String> withProjectDependencies(String module, Set<String> found) throws IOException {
        if (!found.add(module)) {
            return found;
        }
        Matcher dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL)
                .matcher(Files.readString(root.resolve(module).resolve("pom.xml")));
        while (dependency.find()) {
            String declaration = dependency.group(1);
            Matcher artifact = Pattern.compile("<artifactId>\\s*([^<\\s]+)\\s*</artifactId>").matcher(declaration);
            if (declaration.contains("<groupId>dev.qrauth</groupId>") && !declaration.contains("<scope>test</scope>")
                    && artifact.find() && Files.isRegularFile(root.resolve(artifact.group(1)).resolve("pom.xml"))) {
                withProjectDependencies(artifact.group(1), found);
            }
        }
        return found;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
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
        Reply types = admin(tokenServer, "GET", "/mobile-auth-types", null);
        if (types.status() != 200) {
            throw new DemoException("reading the mobile-auth types failed: HTTP " + types.status() + " " + types.body());
        }
        if (!types.body().matches("(?s).*\"name\"\\s*:\\s*\"login\".*")) {
            createIfMissing(tokenServer, "/mobile-auth-types",
                    "{\"name\":\"login\",\"method\":\"OTP\",\"time_to_live_seconds\":120}", "the login type");
        }
        if (!types.body().matches("(?s).*\"name\"\\s*:\\s*\"approval\".*")) {
            createIfMissing(tokenServer, "/mobile-auth-types",
                    "{\"name\":\"approval\",\"method\":\"OTP\",\"time_to_live_seconds\":120,\"number_matching\":true,"
                            + "\"proximity\":\"warn\",\"reverse_code\":true}",
                    "the approval type");
        }
    }

    /**
     * Sets up the demo phone on the first run; on later runs checks that it is still registered and
     * enrolled, at the token server as well as in its store, and sets it up again when not. Three
     * wrong PINs, an administrator's removal or another token-server port each leave a phone that
     * would fail every scan.
     *
     * <p>The phone is set up again as a person would set up their own: three wrong PINs remove the
     * user from the phone, not the phone from the server, so the user registers again with a new
     * activation code on the device the phone already is. The server keeps one device for it and
     * its audit log reads as a person's recovery, not as a new phone. Only a phone that cannot go on
     * as that device (its store gone or unreadable, kept for another token-server address, or no
     * longer known to the server) starts again from an empty store as a new device; then the old
     * device is removed through the admin API, so no registration is left behind on the server.
     */
    private void seedPhone(URI tokenServer, LocalPhone local) throws Exception {
        boolean setUpBefore = "true".equals(settings.getProperty("phone.enrolled"));
        String problem = setUpBefore ? phoneProblem(tokenServer, local) : "not set up yet";
        if (problem == null) {
            return;
        }
        if (setUpBefore) {
            say("The demo phone cannot log anyone in: " + problem + ". Registering it again ...");
        } else {
            say("Registering user " + USER + " on the demo phone and enrolling it ...");
        }
        Reply user = admin(tokenServer, "POST", "/users", "{\"user_id\":\"" + USER + "\"}");
        if (user.status() == 409) {
            user = admin(tokenServer, "POST", "/users/" + USER + "/activation-codes", null);
        }
        if (user.status() != 201) {
            throw new DemoException("creating user " + USER + " failed: HTTP " + user.status() + " " + user.body());
        }
        // The activation code is a secret until used: in the environment, not on the command line.
        Map<String, String> activationCode = Map.of("OTP_DEVICE_ACTIVATION_CODE", user.member("activation_code"));
        Path phoneHome = data.resolve("phone");
        boolean sameDevice = local.mayGoOnAsItsDevice(tokenServer) && registeredOnItsDevice(phoneHome, tokenServer, activationCode);
        if (!sameDevice) {
            deleteTree(phoneHome);
            otpDevice(phoneHome, activationCode, "register", "--server", tokenServer.toString(), "--user", USER);
        }
        String deviceId = localPhone().deviceId();
        if (deviceId == null) {
            throw new DemoException("the demo phone has no device id after its registration");
        }
        boolean removedOld = removeDevicesBesides(tokenServer, deviceId, local.deviceId(), settings.getProperty("phone.device-id"));
        otpDevice(phoneHome, Map.of(), "enroll");
        settings.setProperty("phone.enrolled", "true");
        settings.setProperty("phone.device-id", deviceId);
        saveSettings();
        if (setUpBefore) {
            say("The demo phone was no longer registered; registered it again"
                    + (sameDevice ? " on the same device." : " as a new device."));
        }
        if (removedOld) {
            say("Removed the demo phone's old device from the token server.");
        }
    }

    /**
     * Registers {@link #USER} again on the device the phone in {@code home} already is. False, with
     * nothing sent or the server having refused the device before the activation code was looked
     * at, when the phone cannot go on as that device: its store is kept for another token-server
     * address or damaged ({@code LOCAL_STATE}), or the server no longer knows the device
     * ({@code DEVICE_DEREGISTERED}, after which the phone has deleted its own data).
     */
    private boolean registeredOnItsDevice(Path home, URI tokenServer, Map<String, String> activationCode) throws Exception {
        CliRun run = runOtpDevice(home, activationCode, "--json", "register", "--server", tokenServer.toString(), "--user", USER);
        if (run.exitCode() == 0) {
            return true;
        }
        String error = run.error();
        if ("LOCAL_STATE".equals(error) || "DEVICE_DEREGISTERED".equals(error)) {
            return false;
        }
        throw new DemoException("otp-device register failed: " + run.output().strip());
    }

    /**
     * Removes, through the admin API, each device the demo phone was before besides {@code current}
     * (the one in its store, and the one the demo kept the id of, in case the store was lost);
     * true when the server still had one.
     */
    private boolean removeDevicesBesides(URI tokenServer, String current, String... earlier) {
        boolean removed = false;
        for (String deviceId : new LinkedHashSet<>(Arrays.asList(earlier))) {
            if (deviceId == null || deviceId.equals(current)) {
                continue;
            }
            Reply reply = admin(tokenServer, "DELETE", "/devices/" + deviceId, null);
            if (reply.status() != 204 && reply.status() != 404) {
                throw new DemoException("removing the demo phone's old device failed: HTTP " + reply.status() + " " + reply.body());
            }
            removed |= reply.status() == 204;
        }
        return removed;
    }

    /**
     * What the demo phone's own store says about {@link #USER}: whether it could be read, the device
     * and server of the user's profile when it holds one, and why the phone cannot log in (null when
     * it holds an enrolled profile).
     */
    private record LocalPhone(boolean readable, String deviceId, String server, String problem) {

        /** Whether the phone may try to go on as the device it is: its store is there, and not kept for another address. */
        boolean mayGoOnAsItsDevice(URI tokenServer) {
            return readable && (server == null || URI.create(server).equals(tokenServer));
        }
    }

    /** Reads the phone's store through {@code otp-device status}, which asks no server. */
    private LocalPhone localPhone() {
        Path home = data.resolve("phone");
        if (!Files.isDirectory(home)) {
            return new LocalPhone(false, null, null, "its store " + home + " is gone");
        }
        String status;
        try {
            status = otpDevice(home, Map.of(), "--json", "status");
        } catch (Exception e) {
            // Whatever the reason, the phone is set up again, which is what a store that cannot be read needs.
            return new LocalPhone(false, null, null, "its store cannot be read (" + e.getMessage() + ")");
        }
        Matcher profile = Pattern.compile("\\{[^{}]*\"user_id\"\\s*:\\s*\"" + USER + "\"[^{}]*}").matcher(status);
        if (!profile.find()) {
            return new LocalPhone(true, null, null, "it holds no profile for " + USER + " any more (three wrong PINs remove it)");
        }
        String deviceId = stringMember(profile.group(), "device_id");
        String server = stringMember(profile.group(), "server");
        if (!Pattern.compile("\"enrolled\"\\s*:\\s*true").matcher(profile.group()).find()) {
            return new LocalPhone(true, deviceId, server, USER + " is not enrolled on it any more");
        }
        return new LocalPhone(true, deviceId, server, null);
    }

    /** Why the phone described by {@code local} cannot answer a login at {@code tokenServer}, or null when it can. */
    private String phoneProblem(URI tokenServer, LocalPhone local) {
        if (local.problem() != null) {
            return local.problem();
        }
        if (!URI.create(local.server()).equals(tokenServer)) {
            return "it belongs to the token server at " + local.server() + ", not " + tokenServer;
        }
        Reply user = admin(tokenServer, "GET", "/users/" + USER, null);
        if (user.status() == 404) {
            return "the token server has no user " + USER + " any more";
        }
        if (user.status() != 200) {
            throw new DemoException("reading user " + USER + " failed: HTTP " + user.status() + " " + user.body());
        }
        Matcher device = Pattern.compile("\\{[^{}]*\"device_id\"\\s*:\\s*\"" + Pattern.quote(local.deviceId()) + "\"[^{}]*}")
                .matcher(user.body());
        if (!device.find()) {
            return "the token server no longer has " + USER + " registered on it (three wrong PINs deregister it)";
        }
        if (!Pattern.compile("\"mobile_auth_enrolled\"\\s*:\\s*true").matcher(device.group()).find()) {
            return "the token server no longer has it enrolled";
        }
        return null;
    }

    /** Runs {@code otp-device} on the phone in {@code home}; returns what it printed, or throws when it failed. */
    private String otpDevice(Path home, Map<String, String> environment, String... args) throws Exception {
        CliRun run = runOtpDevice(home, environment, args);
        if (run.exitCode() != 0) {
            throw new DemoException("otp-device " + String.join(" ", args) + " failed: " + run.output().strip());
        }
        return run.output();
    }

    /** Runs {@code otp-device} on the phone in {@code home}, and tells how it ended whatever the end. */
    private CliRun runOtpDevice(Path home, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar",
                root.resolve(RUN_MODULES.get("device-cli")).toString(), "--home", home.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("OTP_DEVICE_PIN", PIN);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CliRun(process.waitFor(), output);
    }

    /** How a run of {@code otp-device} ended: its exit code and what it printed. */
    private record CliRun(int exitCode, String output) {

        /** The error's code of a failed run under {@code --json}, such as {@code DEVICE_DEREGISTERED}; null when none. */
        String error() {
            Matcher error = Pattern.compile("\"error\"\\s*:\\s*\"([A-Z_]+)\"").matcher(output);
            return error.find() ? error.group(1) : null;
        }
    }

    private static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
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

    /**
     * Waits until the server {@code process} answers {@code probe}. Only its own server is asked:
     * a program that took the port after {@link #checkPorts} would otherwise pass for it and get
     * the admin's password with the first admin call.
     */
    private void awaitUp(Process process, String name, URI probe, String portOption) throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new DemoException("the " + name + " exited at start; its log ends with:\n" + tail(data.resolve(name + ".log")));
            }
            Listener listener = listenerOn(probe.getPort(), process);
            if (listener == Listener.FOREIGN) {
                throw new DemoException("another program took port " + probe.getPort() + " while the " + name
                        + " started (nothing was sent to it); stop that program, or move the " + name + " with "
                        + portOption + " PORT");
            }
            if (listener != Listener.NONE) {
                try {
                    HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new DemoException("the " + name + " did not come up within " + START_TIMEOUT.toMinutes() + " minutes; see "
                + data.resolve(name + ".log"));
    }

    /** Who listens on a port: nobody yet, the process the demo started, another program, or unknown here. */
    private enum Listener { NONE, OURS, FOREIGN, UNKNOWN }

    /**
     * Reads the kernel's tables of listening TCP sockets and the started process's open files
     * (Linux; elsewhere {@code UNKNOWN}, and the demo probes as before). Nothing is sent anywhere.
     */
    private static Listener listenerOn(int port, Process process) {
        Set<String> listening = new HashSet<>();
        String portSuffix = String.format(":%04X", port);
        try {
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                if (!Files.isReadable(Path.of(table))) {
                    continue;
                }
                for (String line : Files.readAllLines(Path.of(table))) {
                    // sl local_address rem_address st ... uid timeout inode; state 0A is LISTEN
                    String[] fields = line.strip().split("\\s+");
                    if (fields.length > 9 && fields[3].equals("0A") && fields[1].endsWith(portSuffix)) {
                        listening.add(fields[9]);
                    }
                }
            }
            if (!Files.isReadable(Path.of("/proc/net/tcp"))) {
                return Listener.UNKNOWN;
            }
            if (listening.isEmpty()) {
                return Listener.NONE;
            }
            Set<String> ownSockets = new HashSet<>();
            try (Stream<Path> descriptors = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
                for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
                    try {
                        String target = Files.readSymbolicLink(descriptor).toString();
                        if (target.startsWith("socket:[") && target.endsWith("]")) {
                            ownSockets.add(target.substring("socket:[".length(), target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // the descriptor went away while listed
                    }
                }
            }
            return ownSockets.containsAll(listening) ? Listener.OURS : Listener.FOREIGN;
        } catch (IOException | UncheckedIOException e) {
            return Listener.UNKNOWN; // such as descriptors this user may not read (hidepid)
        }
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
            return stringMember(body, name);
        }
    }

    /** The string {@code name} of a small JSON object (the first one); the demo needs no JSON library for these few. */
    private static String stringMember(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new DemoException("the answer has no " + name + ": " + json);
        }
        return matcher.group(1);
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

    /** Keeps each start's timings in the data directory, so starts can be compared later. */
    private void recordTimings() {
        try {
            Files.writeString(data.resolve("start-times.log"), Instant.now().atOffset(ZoneOffset.UTC).withNano(0)
                    + " ready after " + timings + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            say("(could not record the start's timings: " + e.getMessage() + ")");
        }
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
            usage(args[i - 1] + " needs a value; see bin/demo --help");
        }
        return args[i];
    }

    private static int port(String option, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(option + " needs a port from 1 to 65535, not " + text);
        return 0;
    }

    private static void usage(String message) {
        System.err.println(message);
        System.exit(USAGE);
    }

    private static void say(String line) {
        System.out.println(line);
    }

    private static final class DemoException extends RuntimeException {
        DemoException(String message) {
            super(message);
        }
    }

    /** The demo cannot start, found before it started anything: the message is all there is to say. */
    private static final class CannotStartException extends RuntimeException {
        CannotStartException(String message) {
            super(message);
        }
    }

    /**
     * When each phase of the start ended, counted from the start of this process (so the
     * compilation of this file by the source launcher is included).
     */
    private static final class Timings {
        private final Instant origin = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
        private final List<String> marks = new ArrayList<>();

        synchronized void mark(String phase) {
            marks.add(phase + " at " + seconds(Duration.between(origin, Instant.now())));
        }

        @Override
        public synchronized String toString() {
            return seconds(Duration.between(origin, Instant.now())) + ": " + String.join(", ", marks);
        }

        private static String seconds(Duration duration) {
            return String.format("%.1f s", duration.toMillis() / 1000.0);
        }
    }
}
