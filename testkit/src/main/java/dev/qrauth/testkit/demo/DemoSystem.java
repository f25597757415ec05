package dev.qrauth.testkit.demo;

import dev.qrauth.adminclient.AdminClient;
import dev.qrauth.adminclient.AdminClientException;
import dev.qrauth.adminclient.AdminRefusedException;
import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.testkit.ServerProcess;
import dev.qrauth.testkit.ServerStartException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The whole system on this machine, as {@code bin/demo} runs it once its jars are built: the token
 * server (embedded PostgreSQL, data under the data directory), the portal, and a demo phone for
 * {@code bin/otp-device}.
 *
 * <p>The first run creates the token server's master key and admin password, the demo API client,
 * the {@code login} and {@code approval} types, the user {@code alice} and a registered, enrolled
 * device profile, and keeps their secrets in {@code demo.properties} (readable by the owner only).
 * Later runs reuse them: the server's key material in its database is encrypted under the master
 * key. Every run checks with the token server that the demo phone is still registered and enrolled
 * and registers it again if not ({@link DemoPhone}). The servers get their secrets in their
 * environment, never on their command lines ({@link ServerProcess}). Stopping the JVM (Ctrl-C)
 * stops everything this started.
 */
public final class DemoSystem {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final int FAILED = 1;

    private final Path root;
    private final Path data;
    private final int portalPort;
    private final int tokenServerPort;
    private final StartTimings timings;
    private final List<ServerProcess> started = new ArrayList<>();
    private volatile boolean stopping;
    private DemoSettings settings;

    private DemoSystem(Path root, Path data, int portalPort, int tokenServerPort, Map<String, Instant> phases) {
        this.root = root;
        this.data = data;
        this.portalPort = portalPort;
        this.tokenServerPort = tokenServerPort;
        this.timings = new StartTimings(phases);
    }

    /**
     * Runs the demo until the JVM is stopped. Called by {@code bin/Demo.java} once it holds the data
     * directory's lock, found both ports free and built what was stale; {@code phases} are the
     * phases it ended, in order, for the timings line. Returns 0 when stopped, or the exit code of a
     * failure, which it has told.
     *
     * @param root the qrauth checkout, whose jars run
     * @param data the data directory, which exists
     */
    public static int run(Path root, Path data, int portalPort, int tokenServerPort, Map<String, Instant> phases) {
        DemoSystem demo = new DemoSystem(root, data, portalPort, tokenServerPort, phases);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stopAll, "demo-shutdown"));
        try {
            demo.run();
            return 0;
        } catch (Exception e) {
            if (demo.stopping) {
                return 0;
            }
            System.err.println();
            System.err.println("The demo stopped: " + (e instanceof CompletionException ? e.getCause() : e).getMessage());
            return FAILED;
        }
    }

    private void run() throws Exception {
        settings = DemoSettings.load(data);
        URI tokenServer = URI.create("http://127.0.0.1:" + tokenServerPort);
        URI portal = URI.create("http://127.0.0.1:" + portalPort);

        if (settings.get("master.key") == null && Files.isDirectory(data.resolve("token-server"))) {
            throw new DemoException(data.resolve("token-server") + " holds data encrypted under a master key that "
                    + settings.file() + " no longer has; delete " + data + " to start from scratch");
        }
        say("Starting the token server on " + tokenServer + " (data in " + data.resolve("token-server") + ") ...");
        ServerProcess tokenServerProcess = start(server("token-server/target/quarkus-app/quarkus-run.jar", "token-server",
                tokenServerPort)
                .readinessPath(ServerProcess.TOKEN_SERVER_READY)
                .property("tokenserver.admin.password", settings.getOrCreate("admin.password", () -> DemoSettings.randomBase64(24, false)))
                .property("tokenserver.master-key", settings.getOrCreate("master.key", () -> DemoSettings.randomBase64(32, true))));

        // What the phone holds is local: read it while the servers start.
        DemoPhone phone = new DemoPhone(root.resolve("device-cli/target/otp-device.jar"), data.resolve("phone"), settings,
                DemoSystem::say);
        CompletableFuture<DemoPhone.LocalState> localPhone = CompletableFuture.supplyAsync(phone::localState);
        String clientKey = "client." + portalPort + ".";
        ServerProcess portalProcess = null;
        if (settings.get(clientKey + "id") != null) {
            // The portal needs nothing from the token server to start: both start at once.
            portalProcess = startPortal(portal, tokenServer, clientKey);
        }

        awaitReady(tokenServerProcess, "token-server", "--token-server-port");
        timings.mark("token server up");
        AdminClient admin = AdminClient.builder(tokenServer, "admin", settings.get("admin.password")).build();
        if (portalProcess == null) {
            say("Creating the demo API client and the login and approval types ...");
            CreatedClient client = admin.createClient(NewClient.of("demo-portal-" + portalPort, "Example Portal",
                    List.of(portal + "/callbacks/mobile-auth")).withCallbackOnScan(true));
            settings.set(clientKey + "id", client.clientId(), clientKey + "secret", client.clientSecret(),
                    clientKey + "signing-secret", client.callbackSigningSecret());
            portalProcess = startPortal(portal, tokenServer, clientKey);
        }
        seedTypes(admin);
        phone.checkOrRepair(tokenServer, admin, localPhone.join());
        timings.mark("types and phone checked");
        awaitReady(portalProcess, "portal", "--portal-port");
        timings.mark("portal up");

        String phoneCommand = displayPath(root.resolve("bin/otp-device")) + " --home " + displayPath(data.resolve("phone"));
        System.out.println();
        System.out.println("The demo is running. Logs: " + displayPath(data) + "/*.log");
        System.out.println("Ready after " + timings + ".");
        recordTimings();
        System.out.println();
        System.out.println("  1. Open http://localhost:" + portalPort + " and choose \"Log in with your phone\".");
        System.out.println("  2. Scan the code with the demo phone, using the text under \"Can't scan?\":");
        System.out.println("       " + phoneCommand + " scan --otp '<text under the QR>' --approve");
        System.out.println("     or a screenshot of the code:");
        System.out.println("       " + phoneCommand + " scan --image screenshot.png --approve");
        System.out.println("     When the phone is not logged in, it asks for its PIN: " + DemoPhone.PIN);
        System.out.println("     Use --deny or --fraud instead of --approve to refuse.");
        System.out.println("  3. The browser logs you in as " + DemoPhone.USER + " by itself. On the account page, approve an action:");
        System.out.println("     the approval type uses number matching, so add --number N with the number the browser shows.");
        System.out.println("     It also asks for the code the phone prints after approving: type it into the browser.");
        System.out.println();
        System.out.println("Press Ctrl-C to stop everything.");

        while (true) {
            for (ServerProcess process : List.of(tokenServerProcess, portalProcess)) {
                var exit = process.awaitExit(Duration.ofSeconds(1));
                if (exit.isPresent()) {
                    if (stopping) {
                        return;
                    }
                    String name = process == tokenServerProcess ? "token-server" : "portal";
                    throw new DemoException("the " + name + " stopped (exit " + exit.getAsInt() + "); see "
                            + process.logFile() + "\n" + tail(process.logFile()));
                }
            }
        }
    }

    /** A server of the demo's: its jar, its log {@code <name>.log} in the data directory, its port. */
    private ServerProcess.Builder server(String jar, String name, int port) {
        return ServerProcess.builder(root.resolve(jar))
                .name(name)
                .dataDirectory(data)
                .port(port)
                .heap("512m")
                // A person's clicks need no optimising compiler; a start on half the CPU is felt.
                .quickStart()
                .startTimeout(START_TIMEOUT)
                // One hook stops both, the portal first, and then says so.
                .stopWithTheJvm(false);
    }

    private ServerProcess startPortal(URI portal, URI tokenServer, String clientKey) {
        say("Starting the portal on " + portal + " ...");
        return start(server("portal-web/target/quarkus-app/quarkus-run.jar", "portal", portalPort)
                .dataDirectoryProperty(null)
                .readinessPath("/")
                .property("portal.public-url", portal.toString())
                .property("portal.token-server.url", tokenServer.toString())
                .property("portal.client-id", settings.get(clientKey + "id"))
                .property("portal.client-secret", settings.get(clientKey + "secret"))
                .property("portal.callback-signing-secret", settings.get(clientKey + "signing-secret")));
    }

    private ServerProcess start(ServerProcess.Builder server) {
        synchronized (started) {
            if (stopping) {
                throw new DemoException("stopping");
            }
            ServerProcess process = server.startWithoutWaiting();
            started.add(process);
            return process;
        }
    }

    /**
     * Waits until {@code server} is ready. Only its own process is asked: a program that took the
     * port after {@code bin/Demo.java} checked it would otherwise pass for it and get the admin's
     * password with the first admin call.
     */
    private void awaitReady(ServerProcess server, String name, String portOption) {
        try {
            server.awaitReady();
        } catch (ServerStartException e) {
            throw new DemoException(switch (e.reason()) {
                case PORT_TAKEN -> "another program took port " + e.port() + " while the " + name
                        + " started (nothing was sent to it); stop that program, or move the " + name + " with "
                        + portOption + " PORT";
                case EXITED -> "the " + name + " exited at start; its log ends with:\n" + tail(server.logFile());
                case NOT_READY_IN_TIME -> "the " + name + " did not come up within " + START_TIMEOUT.toMinutes()
                        + " minutes; see " + server.logFile();
            });
        }
    }

    /** The {@code login} and {@code approval} types, created when missing, with one call when none is. */
    private void seedTypes(AdminClient admin) {
        Set<String> types = admin.types().stream().map(MobileAuthTypeView::name).collect(Collectors.toSet());
        if (!types.contains("login")) {
            createIfMissing(admin, MobileAuthTypeView.otp("login", 120));
        }
        if (!types.contains("approval")) {
            createIfMissing(admin, MobileAuthTypeView.otp("approval", 120).withNumberMatching(true).withProximity("warn")
                    .withReverseCode(true));
        }
    }

    private static void createIfMissing(AdminClient admin, MobileAuthTypeView type) {
        try {
            admin.createType(type);
        } catch (AdminRefusedException e) {
            if (e.status() != 409) {
                throw e;
            }
        }
    }

    /** Stops what this started, the newest first. */
    private void stopAll() {
        List<ServerProcess> servers;
        synchronized (started) {
            stopping = true;
            servers = new ArrayList<>(started);
        }
        for (int i = servers.size() - 1; i >= 0; i--) {
            servers.get(i).close();
        }
        if (!servers.isEmpty()) {
            System.out.println("Stopped the demo.");
        }
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

    private static String displayPath(Path path) {
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

    private static void say(String line) {
        System.out.println(line);
    }
}
