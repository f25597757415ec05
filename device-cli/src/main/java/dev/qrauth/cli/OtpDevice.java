package dev.qrauth.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code otp-device}: the phone app of QR login, on the command line. */
@Command(
        name = "otp-device",
        mixinStandardHelpOptions = true,
        versionProvider = OtpDevice.Version.class,
        description = "Acts as the phone in QR-code login: scan the code a portal shows and approve or deny.")
public final class OtpDevice implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /** Runs one command line with the given streams and returns its exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new OtpDevice())
                .setOut(out)
                .setErr(err)
                .setExitCodeExceptionMapper(e -> ExitCode.FAILURE.code);
        commandLine.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.helpSection());
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println(e.getMessage());
            e.getCommandLine().getErr().println("Try 'otp-device --help'.");
            return ExitCode.USAGE.code;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("Missing a command.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = OtpDevice.class.getPackage().getImplementationVersion();
            return new String[] {"otp-device " + (version == null ? "development build" : version)};
        }
    }
}
