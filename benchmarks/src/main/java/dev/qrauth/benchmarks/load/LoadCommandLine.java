package dev.qrauth.benchmarks.load;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The load driver's command line, as {@code benchmarks/load.sh} passes it on: reads and checks the
 * options into {@link LoadOptions}, prints the help, and turns a wrong command line into exit
 * code 2 before anything is started.
 */
@Command(name = LoadCommandLine.NAME, sortOptions = false, usageHelpWidth = 100,
        description = {"Runs complete QR-code login flows against a token server, as a portal and many phones would,"
                + " and reports flows per second, the latency of each step and the CPU each flow costs.", ""},
        footer = {"", LoadCommandLine.NAME + " also takes --no-jmh, which skips measuring the crypto floor;"
                + " docs/PERFORMANCE.md describes the options and every figure of the report."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every measured flow completed", "1:a measured flow failed", "2:the command line is wrong"})
final class LoadCommandLine {

    static final String NAME = "benchmarks/load.sh";
    static final String ADMIN_PASSWORD_VARIABLE = "QRAUTH_ADMIN_PASSWORD";
    static final int OK = 0;
    static final int FLOWS_FAILED = 1;
    static final int USAGE = 2;

    /** A day: longer runs are a mistake, and the warm-up curve keeps a counter per second. */
    private static final int MAX_SECONDS = 86_400;
    /** Above this the open loop's interval between flows would round to nothing. */
    private static final double MAX_RATE = 1_000_000_000;
    /** What {@code -Xmx} takes: a number of bytes, or of k, m or g. */
    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

    /** The load run itself, given the checked options. */
    @FunctionalInterface
    interface Driver {
        /** @return how many measured flows failed */
        long failedFlows(LoadOptions options) throws Exception;
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL",
            description = "Measure this running token server instead of starting one, with its admin password from "
                    + ADMIN_PASSWORD_VARIABLE + ".")
    private URI server;

    // Kept only to refuse it: a command line is readable by every user of the machine (ps).
    @Option(names = "--admin-password", paramLabel = "PASSWORD", arity = "0..1",
            description = "Refused: give the admin password in " + ADMIN_PASSWORD_VARIABLE
                    + " instead, since every user of the machine can read a command line.")
    private String adminPasswordOnCommandLine;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "60",
            description = "Seconds of measured flows after the warm-up (default: ${DEFAULT-VALUE}).")
    private int durationSeconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "10",
            description = "Seconds of flows run before the measured ones and left out of the figures "
                    + "(default: ${DEFAULT-VALUE}).")
    private int warmupSeconds;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "32",
            description = "Closed loop: flows at a time, each starting when the last one ended, unless --rate is given "
                    + "(default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Open loop: flows started per second whether or not the server keeps up, with latency counted "
                    + "from when each was due; 0 runs the closed loop (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "0",
            description = "Virtual devices to register and enroll; 0 takes twice the concurrency (at least 8), "
                    + "or a quarter of the rate (at least 64) (default: ${DEFAULT-VALUE}).")
    private int devices;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "256m",
            description = "Maximum heap (-Xmx) of the token server the driver starts (default: ${DEFAULT-VALUE}).")
    private String heap;

    @Option(names = "--old-rows", paramLabel = "N", defaultValue = "0",
            description = "Finished transactions to add to the started server's database before the run, as months "
                    + "of use would leave (default: ${DEFAULT-VALUE}).")
    private long oldRows;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "benchmarks/target/load-result.json",
            description = "The report's JSON file (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--jmh", paramLabel = "FILE",
            description = "JMH results in JSON from OpenPgpBenchmark, read for the crypto floor per flow "
                    + "(" + NAME + " measures them first).")
    private Path jmh;

    @Option(names = "--token-server-jar", paramLabel = "JAR", defaultValue = "token-server/target/quarkus-app/quarkus-run.jar",
            description = "The token server to start when no --server is given (default: ${DEFAULT-VALUE}).")
    private Path tokenServerJar;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /**
     * Runs the driver as {@code args} ask: prints the help, or refuses a wrong command line on
     * {@code err} with exit code 2, or runs {@code driver} and exits 0 only when no flow failed.
     * A failure of the run itself is thrown, as the driver threw it.
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment, Driver driver)
            throws Exception {
        LoadCommandLine command;
        LoadOptions options;
        try {
            command = read(args);
            if (command.help) {
                command.spec.commandLine().usage(out);
                out.flush();
                return OK;
            }
            options = command.options(environment);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println("Try '" + NAME + " --help'.");
            err.flush();
            return USAGE;
        }
        return driver.failedFlows(options) == 0 ? OK : FLOWS_FAILED;
    }

    /**
     * The options {@code args} give, for a caller that runs the driver itself; {@code --help} is
     * not looked at.
     *
     * @throws UsageException when the command line is wrong
     */
    static LoadOptions parse(String[] args, Map<String, String> environment) {
        return read(args).options(environment);
    }

    private static LoadCommandLine read(String[] args) {
        LoadCommandLine command = new LoadCommandLine();
        CommandLine commandLine = new CommandLine(command)
                // An option given twice takes the last value, as scripts that append to a default line expect.
                .setOverwrittenOptionsAllowed(true)
                // A value that starts with @ is a value, not a file of arguments.
                .setExpandAtFiles(false);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        return command;
    }

    private LoadOptions options(Map<String, String> environment) {
        if (adminPasswordOnCommandLine != null) {
            throw new UsageException("give the admin password in the environment variable " + ADMIN_PASSWORD_VARIABLE
                    + ", not on the command line, which every user of the machine can read");
        }
        require(server == null || ("http".equals(server.getScheme()) || "https".equals(server.getScheme()))
                && server.getHost() != null, "--server must be an http or https URL, such as http://127.0.0.1:8080");
        require(durationSeconds >= 1 && durationSeconds <= MAX_SECONDS,
                "--duration must be between 1 and " + MAX_SECONDS + " seconds, not " + durationSeconds);
        require(warmupSeconds >= 0 && warmupSeconds <= MAX_SECONDS,
                "--warmup must be between 0 and " + MAX_SECONDS + " seconds, not " + warmupSeconds);
        require(concurrency >= 1, "--concurrency must be at least 1, not " + concurrency);
        require(rate >= 0 && rate <= MAX_RATE, "--rate must be 0 (the closed loop) or a number of flows per second up to "
                + (long) MAX_RATE + ", not " + rate);
        require(devices >= 0, "--devices must be 0 (as many as the loop needs) or more, not " + devices);
        require(HEAP.matcher(heap).matches(), "--heap must be a size as -Xmx takes it, such as 256m or 1g, not " + heap);
        require(oldRows >= 0, "--old-rows must be 0 or more, not " + oldRows);
        require(oldRows == 0 || server == null, "--old-rows needs the token server this driver starts");
        String adminPassword = environment.get(ADMIN_PASSWORD_VARIABLE);
        require(server == null || adminPassword != null && !adminPassword.isEmpty(),
                "--server needs the admin password in " + ADMIN_PASSWORD_VARIABLE + " to set up devices");
        int deviceCount = devices > 0 ? devices
                : rate > 0 ? Math.max(64, (int) Math.ceil(rate / 4)) : Math.max(2 * concurrency, 8);
        return new LoadOptions(server, server == null ? null : adminPassword, durationSeconds, warmupSeconds,
                concurrency, rate, deviceCount, out, jmh, heap, tokenServerJar, oldRows);
    }

    private static void require(boolean met, String otherwise) {
        if (!met) {
            throw new UsageException(otherwise);
        }
    }
}
