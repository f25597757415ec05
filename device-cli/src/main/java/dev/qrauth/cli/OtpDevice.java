package dev.qrauth.cli;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.text.DisplayText;
import dev.qrauth.sdk.SdkErrorCode;
import dev.qrauth.sdk.SdkException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code otp-device}: the phone app of QR-code login, on the command line. Its options and those of
 * its commands are declared through picocli's programmatic API ({@link CliModel}).
 */
public final class OtpDevice implements Callable<Integer> {

    /** The commands by name, in the order the help lists them ({@code help} comes last). */
    private static final Map<String, Function<OtpDevice, CommandSpec>> COMMANDS = commands();

    private static Map<String, Function<OtpDevice, CommandSpec>> commands() {
        Map<String, Function<OtpDevice, CommandSpec>> commands = new LinkedHashMap<>();
        commands.put("register", RegisterCommand::spec);
        commands.put("login", LoginCommand::spec);
        commands.put("logout", LogoutCommand::spec);
        commands.put("enroll", EnrollCommand::spec);
        commands.put("scan", ScanCommand::spec);
        commands.put("status", StatusCommand::spec);
        commands.put("duress-pin", DuressPinCommand::spec);
        commands.put("history", HistoryCommand::spec);
        commands.put("verify-chain", VerifyChainCommand::spec);
        commands.put("deregister", DeregisterCommand::spec);
        return Collections.unmodifiableMap(commands);
    }

    /** picocli's setting naming the types whose built-in converters it does not set up. */
    private static final String CONVERTERS_EXCLUDED = "picocli.converters.excludes";

    /** The options of the top level that take a value, so that the value is not taken for a command. */
    private static final Set<String> OPTIONS_WITH_VALUES = Set.of("--home", "--profile");

    /** The model of the whole command line, once it is built. */
    CommandSpec spec;

    /** {@code --home}: where this device keeps its state; null for the default. */
    Path home;

    /** {@code --profile}: the user profile to act as; null for the default. */
    String profile;

    /** {@code --json}: one JSON object on stdout. */
    boolean json;

    /** {@code --verbose}: stack traces of failures. */
    boolean verbose;

    final Terminal terminal;
    final InputStream stdin;
    final Map<String, String> environment;

    OtpDevice(Terminal terminal, InputStream stdin, Map<String, String> environment) {
        this.terminal = terminal;
        this.stdin = stdin;
        this.environment = environment;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, out, err, System.in, Terminal.system(), System.getenv());
        endHttpSelectorThreads();
        ClassArchive.removeIfUnused();
        System.exit(code);
    }

    /**
     * Ends the selector threads of the JDK's HTTP clients before the JVM exits. Such a thread waits
     * in native code, and the JVM gives threads in native code about 300 ms to come back before it
     * exits; on Java 17 the client has no way to be closed, but its selector thread stops when
     * interrupted. Every request of this run has been answered by now.
     */
    static void endHttpSelectorThreads() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("HttpClient-") && thread.getName().endsWith("-SelectorManager")) {
                thread.interrupt();
                try {
                    thread.join(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Runs one command line with the given streams, terminal and environment; returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err, InputStream stdin, Terminal terminal,
                   Map<String, String> environment) {
        OtpDevice root = new OtpDevice(terminal, stdin, environment);
        // picocli finds its converters for date, time and SQL types by reflection, at every start;
        // no option here has such a type.
        if (System.getProperty(CONVERTERS_EXCLUDED) == null) {
            System.setProperty(CONVERTERS_EXCLUDED, "java\\.time\\..*,java\\.sql\\..*");
        }
        root.spec = root.spec();
        CommandLine commandLine = new CommandLine(root.spec);
        // A run that names one command builds that one's model; help and mistakes see them all,
        // and the help command.
        String named = commandNamed(args);
        COMMANDS.forEach((name, spec) -> {
            if (named == null || named.equals(name)) {
                commandLine.addSubcommand(name, new CommandLine(spec.apply(root)));
            }
        });
        if (named == null) {
            commandLine.addSubcommand(new CommandLine.HelpCommand());
        }
        commandLine.setOut(out).setErr(err); // after the commands are added: it sets theirs too
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            // Point at the help of the command that was misused, not at the whole program's.
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            root.failure(e.getCommandLine().getErr(), out, "USAGE", e.getMessage()
                    + System.lineSeparator() + "Try '" + command + " --help'.", null);
            return ExitCode.USAGE.code;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> root.handle(e, out, cmd.getErr()));
        return commandLine.execute(args);
    }

    /** The top level's model: its description, its options (which every command takes too) and exit codes. */
    private CommandSpec spec() {
        CommandSpec spec = CliModel.command(this, "otp-device",
                "Acts as the phone in QR-code login: scan the code a portal shows, then approve or deny.",
                "",
                "First time: register with the activation code you were given, then enroll:",
                "  otp-device register --server https://auth.example.com --user alice",
                "  otp-device enroll",
                "Every login: copy the text under the QR code (or save the QR as an image), then:",
                "  otp-device scan --otp 'TEXT' --approve",
                "Commands that need the PIN or the activation code ask for it on the terminal.",
                "A script gives the PIN with --pin-stdin or in " + PinOptions.ENVIRONMENT + ",",
                "never on the command line; 'otp-device help COMMAND' says more.",
                "");
        spec.versionProvider(new Version());
        spec.addOption(CliModel.option("--home", "DIR", Path.class,
                "Where this device keeps its state (default: $OTP_DEVICE_HOME, else ~/.otp-device).",
                home -> this.home = home).scopeType(CommandLine.ScopeType.INHERIT).build());
        spec.addOption(CliModel.option("--profile", "NAME", String.class,
                "The user profile to act as (default: the only one, or the last used).",
                profile -> this.profile = profile).scopeType(CommandLine.ScopeType.INHERIT).build());
        spec.addOption(CliModel.flag("--json",
                "Print one JSON object on stdout: {\"result\": ...} or {\"error\": CODE, \"message\": ...},"
                        + " with the SDK error's number as \"code\" when there is one.",
                json -> this.json = json).scopeType(CommandLine.ScopeType.INHERIT).build());
        spec.addOption(CliModel.flag("--verbose", "Show stack traces of failures.",
                verbose -> this.verbose = verbose).scopeType(CommandLine.ScopeType.INHERIT).build());
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpSection());
        return spec;
    }

    /**
     * The command a command line names, when it is one of {@link #COMMANDS}; null when it names
     * none, names another (help, a mistake), or asks for the program's help or version.
     */
    static String commandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (OPTIONS_WITH_VALUES.contains(arg)) {
                i++; // its value
            } else if (!arg.startsWith("-")) {
                return COMMANDS.containsKey(arg) ? arg : null;
            } else if (!arg.startsWith("--home=") && !arg.startsWith("--profile=") && !arg.equals("--json")
                    && !arg.equals("--verbose")) {
                return null; // -h, --help, -V, --version or an unknown option: everything is built
            }
        }
        return null;
    }

    /** The one mapping from failures to exit codes and messages. */
    private int handle(Exception e, PrintWriter out, PrintWriter err) {
        if (e instanceof SdkException sdk && sdk.code() == SdkErrorCode.SERVER_MISMATCH) {
            // server.url and the sealed device record disagree: this device's files, not the server.
            failure(err, out, "LOCAL_STATE", sdk.getMessage() + ". Restore " + Phone.SERVER_FILE
                    + " or use another --home.", e);
            return ExitCode.LOCAL_STATE.code;
        }
        if (e instanceof SdkException sdk && sdk.code() == SdkErrorCode.LOCAL_STORE_CORRUPT) {
            // This device's files cannot be read: they are for the person to restore or remove.
            failure(err, out, "LOCAL_STATE", sdk.getMessage(), e);
            return ExitCode.LOCAL_STATE.code;
        }
        if (e instanceof SdkException sdk && sdk.code() == SdkErrorCode.INVALID_PIN && sdk.remainingAttempts() != null) {
            // The server counts the wrong PINs; the person needs to know how many are left before
            // the profile is removed.
            int left = sdk.remainingAttempts();
            failure(err, out, sdk.code().name(), "Wrong PIN, " + left + (left == 1 ? " attempt" : " attempts") + " left",
                    e, Map.of("remaining_attempts", left));
            return ExitCode.FAILURE.code;
        }
        if (e instanceof SdkException sdk) {
            failure(err, out, sdk.code().name(), sdk.getMessage(), e);
            return ExitCode.FAILURE.code;
        }
        if (e instanceof UsageException usage) {
            failure(err, out, "USAGE", e.getMessage(), e, usage.details());
            return ExitCode.USAGE.code;
        }
        if (e instanceof LocalStateException || e instanceof UncheckedIOException) {
            failure(err, out, "LOCAL_STATE", e.getMessage(), e);
            return ExitCode.LOCAL_STATE.code;
        }
        failure(err, out, "UNEXPECTED", "Unexpected failure: " + e.getClass().getSimpleName()
                + (verbose ? "" : " (run with --verbose for details)"), e);
        return ExitCode.FAILURE.code;
    }

    void failure(PrintWriter err, PrintWriter out, String code, String message, Exception cause) {
        failure(err, out, code, message, cause, Map.of());
    }

    /** Prints a failure; under --json {@code details} go beside the error's code and message. */
    void failure(PrintWriter err, PrintWriter out, String code, String message, Exception cause,
                 Map<String, Object> details) {
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", code);
            body.put("message", message);
            if (cause instanceof SdkException sdk) {
                // The SDK error's number (Onegini's for the same error), for scripts that switch on it.
                body.put("code", sdk.code().code());
            }
            body.putAll(details);
            out.println(json(body));
            out.flush();
        } else {
            // A message may quote what the server sent: shown with its control characters escaped.
            // Usage messages are our own (and picocli's) and may span lines.
            String shown = code.equals("USAGE") ? message : DisplayText.escaped(message);
            err.println(code.equals("USAGE") || code.equals("LOCAL_STATE") || code.equals("UNEXPECTED")
                    ? shown : code + ": " + shown);
        }
        if (verbose && cause != null) {
            cause.printStackTrace(err);
        }
        err.flush();
    }

    /** Prints a success: {@code result} under --json, else the sentence. */
    void success(PrintWriter out, Object result, String sentence) {
        success(out, result, Map.of(), sentence);
    }

    /** Prints a success: {@code result} and {@code details} beside it under --json, else the sentence. */
    void success(PrintWriter out, Object result, Map<String, Object> details, String sentence) {
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("result", result);
            body.putAll(details);
            out.println(json(body));
        } else {
            out.println(sentence);
        }
        out.flush();
    }

    /**
     * {@code value} as JSON in which every character {@link DisplayText} refuses is a JSON <code>&#92;uXXXX</code>
     * escape. The JSON writer escapes C0 controls itself, but not C1 controls or format characters
     * such as a right-to-left override, which would act on a terminal showing the raw line.
     */
    static String json(Object value) {
        String json = new String(ProtocolJson.write(value), StandardCharsets.UTF_8);
        StringBuilder safe = new StringBuilder(json.length());
        json.codePoints().forEach(c -> {
            char[] units = Character.toChars(c);
            if (DisplayText.isSingleLine(new String(units))) {
                safe.append(units);
            } else {
                for (char unit : units) {
                    safe.append(String.format("\\u%04X", (int) unit));
                }
            }
        });
        return safe.toString();
    }

    @Override
    public Integer call() {
        throw new UsageException("Missing a command. Try 'otp-device --help'.");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = OtpDevice.class.getPackage().getImplementationVersion();
            return new String[] {"otp-device " + (version == null ? "development build" : version)};
        }
    }
}
