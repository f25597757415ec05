import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The whole system on this machine with one command: the token server, the portal and a demo
 * phone for {@code bin/otp-device}. Run through {@code bin/demo}. Needs only a JDK (and, to build,
 * the Maven wrapper's downloads).
 *
 * <p>This file does only what must happen before anything is built, with the JDK alone: it answers
 * {@code --help}, reads the options, checks that no other demo uses the data directory and that
 * both ports are free, and builds the modules it runs when their jars are missing or older than
 * their sources (and nothing else). Then it runs the test kit's
 * {@code dev.qrauth.testkit.demo.DemoSystem} in this process, with the kit's run-time class path
 * (which the kit's build writes down as the manifest of {@code testkit/target/run/*-run.jar}): it
 * starts the servers with the kit's {@code ServerProcess}, seeds them with the {@code admin-client},
 * repairs the demo phone and waits. This process keeps the data directory's lock while the demo
 * runs; Ctrl-C stops everything started, through the kit's shutdown hook.
 */
public final class Demo {

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

    /** The modules the demo runs, each with the file that {@code ./mvnw package} makes of it. */
    private static final Map<String, String> RUN_MODULES = new LinkedHashMap<>();

    static {
        RUN_MODULES.put("token-server", "token-server/target/quarkus-app/quarkus-run.jar");
        RUN_MODULES.put("portal-web", "portal-web/target/quarkus-app/quarkus-run.jar");
        RUN_MODULES.put("device-cli", "device-cli/target/otp-device.jar");
        // Its run jar (see runJarOfTheKit): the demo's own code, and its class path.
        RUN_MODULES.put("testkit", "testkit/target/run");
    }

    /** The class in the test kit that runs the demo once everything is built. */
    private static final String DEMO_SYSTEM = "dev.qrauth.testkit.demo.DemoSystem";

    private final Path root;
    private final Path data;
    private final int portalPort;
    private final int tokenServerPort;
    /** When each phase of the start ended, in order; the kit adds its own and prints them. */
    private final Map<String, Instant> phases = new LinkedHashMap<>();
    /** The build under way, stopped with this JVM. */
    private volatile Process build;
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
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stopBuild, "demo-stop-build"));
        int exit;
        try {
            exit = demo.run();
        } catch (CannotStartException e) {
            System.err.println(e.getMessage());
            exit = CANNOT_RUN;
        }
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /** Checks and builds, then runs the kit's demo; its exit code (0 when stopped). */
    private int run() throws Exception {
        if (!Files.isDirectory(data)) {
            Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        lockData();
        checkPorts();
        phases.put("ports checked", Instant.now());
        boolean built = buildWhatIsStale();
        phases.put(built ? "stale jars built" : "jars up to date", Instant.now());
        Path runJar = runJarOfTheKit();
        if (runJar == null) {
            throw new CannotStartException("The build made no testkit/target/run/*-run.jar; nothing was started.");
        }
        // The kit's classes and the libraries they use, apart from this class's: only the JDK is shared.
        URLClassLoader kit = new URLClassLoader(new URL[] {runJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(kit);
        Method demo = Class.forName(DEMO_SYSTEM, true, kit)
                .getMethod("run", Path.class, Path.class, int.class, int.class, Map.class);
        try {
            return (int) demo.invoke(null, root, data, portalPort, tokenServerPort, phases);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * One demo per data directory: a second one would start a second PostgreSQL on the same files.
     * The lock is the operating system's, so it ends with the process however that ends.
     */
    private void lockData() throws IOException {
        dataLock = FileChannel.open(data.resolve("demo.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (dataLock.tryLock() == null) {
            List<String> taken = takenPorts();
            throw new CannotStartException("A demo with its data in " + data + " is already running: use it, "
                    + "or stop it (Ctrl-C in its terminal) first. To run another beside it, give that one a directory "
                    + "of its own with --data DIR" + (taken.isEmpty() ? "." : ", and ports of its own:\n" + String.join("\n", taken))
                    + "\nNothing was started.");
        }
    }

    /**
     * Both ports free on 127.0.0.1, checked by binding them here (nothing is sent anywhere). Found
     * before anything is built or started, with the option that moves the service elsewhere.
     */
    private void checkPorts() {
        List<String> taken = takenPorts();
        if (!taken.isEmpty()) {
            throw new CannotStartException(String.join("\n", taken) + "\nNothing was started.");
        }
    }

    /** For each of the demo's ports that another program holds, which service would use it and the option that moves it. */
    private List<String> takenPorts() {
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
        return taken;
    }

    /**
     * Builds the modules the demo runs whose jar is missing or older than a source it is built from
     * (its own, and those of the project's modules it depends on): nothing else, and nothing when
     * all are up to date. The kit's run jar counts as missing, too, when its class path names a
     * file that is gone.
     */
    private boolean buildWhatIsStale() throws Exception {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> module : RUN_MODULES.entrySet()) {
            Path jar = module.getKey().equals("testkit") ? runJarOfTheKit() : root.resolve(module.getValue());
            if (jar == null || !Files.isRegularFile(jar)
                    || newestSource(module.getKey()).compareTo(Files.getLastModifiedTime(jar).toInstant()) > 0
                    || module.getKey().equals("testkit") && !wholeClassPath(jar)) {
                stale.add(module.getKey());
            }
        }
        if (stale.isEmpty()) {
            return false;
        }
        System.out.println("Building " + String.join(", ", stale) + " (missing or older than its sources; a few minutes the first time) ...");
        List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-q", "package",
                "-DskipTests", "-pl", String.join(",", stale), "-am"));
        synchronized (this) {
            build = new ProcessBuilder(command).directory(root.toFile()).inheritIO()
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        }
        int exit = build.waitFor();
        build = null;
        if (exit != 0) {
            throw new CannotStartException("\nThe demo stopped: the build failed (exit " + exit + "); run it to see why: (cd "
                    + root + " && " + String.join(" ", command) + ")");
        }
        return true;
    }

    /** The kit's run jar ({@code testkit/target/run/testkit-<version>-run.jar}), or null when there is none. */
    private Path runJarOfTheKit() throws IOException {
        Path directory = root.resolve(RUN_MODULES.get("testkit"));
        if (!Files.isDirectory(directory)) {
            return null;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-run.jar")).findFirst().orElse(null);
        }
    }

    /** Whether every file the manifest's class path of {@code runJar} names is there. */
    private static boolean wholeClassPath(Path runJar) {
        try (JarFile jar = new JarFile(runJar.toFile())) {
            String classPath = jar.getManifest() == null ? null
                    : jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null || classPath.isBlank()) {
                return false;
            }
            for (String entry : classPath.strip().split("\\s+")) {
                // Entries are URLs relative to the jar's directory; the kit's build writes absolute paths.
                if (!Files.exists(Path.of(runJar.getParent().toUri().resolve(entry)))) {
                    return false;
                }
            }
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
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

    /** Stops the build under way, if any: Ctrl-C while building leaves no Maven running. */
    private synchronized void stopBuild() {
        Process running = build;
        if (running == null) {
            return;
        }
        List<ProcessHandle> maven = running.descendants().toList();
        running.destroy();
        maven.forEach(ProcessHandle::destroy);
        try {
            if (!running.waitFor(30, TimeUnit.SECONDS)) {
                running.destroyForcibly();
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        System.out.println("Stopped the demo.");
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

    /** The demo cannot start, found before it started anything: the message is all there is to say. */
    private static final class CannotStartException extends RuntimeException {
        CannotStartException(String message) {
            super(message);
        }
    }
}
