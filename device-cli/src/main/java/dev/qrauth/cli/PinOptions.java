package dev.qrauth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Where a command takes the PIN from. A command line is visible to every user of the machine
 * ({@code ps}), so {@code --pin} is for tests: people are asked without echo, scripts give the
 * PIN on standard input or in the environment.
 */
@Command(footerHeading = "%nThe PIN:%n", footer = {
        "Taken from the first of: --pin, --pin-stdin, the environment variable " + PinOptions.ENVIRONMENT
                + ", a prompt on the terminal (typed without echo).",
        "--pin puts the PIN where other users of this machine can read it (ps): use it in tests only."})
final class PinOptions {

    /** The environment variable a script can give the PIN in. */
    static final String ENVIRONMENT = "OTP_DEVICE_PIN";

    @Option(names = "--pin", paramLabel = "PIN",
            description = "For tests only: the PIN on the command line, which other users of this machine can see.")
    String pin;

    @Option(names = "--pin-stdin", description = "Read the PIN from the first line of standard input.")
    boolean stdin;
}
