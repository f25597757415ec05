package dev.qrauth.cli;

/**
 * Where a command takes the PIN from. A command line is visible to every user of the machine
 * ({@code ps}), so {@code --pin} is for tests: people are asked without echo, scripts give the
 * PIN on standard input or in the environment. The options are declared in
 * {@link CliModel#pinOptions}.
 */
final class PinOptions {

    /** The environment variable a script can give the PIN in. */
    static final String ENVIRONMENT = "OTP_DEVICE_PIN";

    /**
     * The environment variable a script can give the duress PIN in; a person is asked for it. It
     * has no option with a value: nothing puts it on a command line, where others could read it.
     */
    static final String DURESS_ENVIRONMENT = "OTP_DEVICE_DURESS_PIN";

    /** {@code --pin}: the PIN itself, or null. */
    String pin;

    /** {@code --pin-stdin}: whether to read the PIN from standard input. */
    boolean stdin;
}
