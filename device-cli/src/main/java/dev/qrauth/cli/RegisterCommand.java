package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code otp-device register}: a user on this device, with an activation code and a new PIN. */
final class RegisterCommand implements Callable<Integer> {

    /** The environment variable a script can give the activation code in. */
    static final String ACTIVATION_CODE_ENVIRONMENT = "OTP_DEVICE_ACTIVATION_CODE";

    private final OtpDevice root;

    /** {@code --server}, required. */
    private URI server;

    /** {@code --user}, required. */
    private String user;

    /** {@code --activation-code}, for tests. */
    private String activationCode;

    private final PinOptions pinOptions = new PinOptions();

    /** {@code --duress-pin}: also set a duress PIN. */
    private boolean duressPin;

    private RegisterCommand(OtpDevice root) {
        this.root = root;
    }

    /** The command's model, bound to a new instance of it. */
    static CommandSpec spec(OtpDevice root) {
        RegisterCommand command = new RegisterCommand(root);
        CommandSpec spec = CliModel.command(command, "register",
                "Register a user on this device with an activation code.",
                "Registers the device too when needed, and sets a new PIN (asked for twice on a terminal).",
                "With --duress-pin it also sets a duress PIN: logging in with it looks like",
                "logging in with the PIN, while the portal is told that you were forced.",
                "The activation code is taken from --activation-code, else the environment variable "
                        + ACTIVATION_CODE_ENVIRONMENT + ", else a prompt (typed without echo).");
        spec.addOption(CliModel.option("--server", "URL", URI.class,
                "The token server, such as https://auth.example.com.", server -> command.server = server)
                .required(true).build());
        spec.addOption(CliModel.option("--user", "ID", String.class,
                "Your user id at the portal.", user -> command.user = user).required(true).build());
        spec.addOption(CliModel.option("--activation-code", "CODE", String.class, "For tests only: the activation code "
                + "on the command line, where other users of this machine can see it.",
                code -> command.activationCode = code).build());
        spec.addOption(CliModel.flag("--duress-pin", "Also set a duress PIN, taken from the environment variable "
                        + PinOptions.DURESS_ENVIRONMENT + ", else asked for twice on the terminal (typed without echo).",
                duress -> command.duressPin = duress).build());
        CliModel.pinOptions(spec, command.pinOptions);
        return spec;
    }

    @Override
    public Integer call() {
        Phone phone = Phone.of(root);
        if (server.getScheme() == null || !(server.getScheme().equals("http") || server.getScheme().equals("https"))
                || server.getHost() == null) {
            throw new UsageException("--server must be an http or https URL, such as https://auth.example.com");
        }
        phone.server().filter(known -> !known.equals(server)).ifPresent(known -> {
            throw new LocalStateException("This device is registered with " + known + "; use another --home for "
                    + server + ".");
        });
        UserClient client;
        try {
            client = phone.client(server);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--server: " + e.getMessage());
        }
        UserProfile profile;
        try (client) {
            String code = activationCode();
            String chosenPin = phone.pin(pinOptions, true);
            String chosenDuressPin = duressPin ? phone.duressPin() : null;
            profile = client.registerUser(user, code, chosenPin, chosenDuressPin);
        }
        phone.rememberServer(server);
        root.success(root.spec.commandLine().getOut(), Map.of("user_id", profile.userId()),
                "Registered " + profile.userId() + " on this device. Next: otp-device enroll (it logs in with your PIN),"
                        + " then otp-device scan.");
        return ExitCode.OK.code;
    }

    /** {@code --activation-code}, else {@code OTP_DEVICE_ACTIVATION_CODE}, else asked for without echo. */
    private String activationCode() {
        if (activationCode != null && !activationCode.isBlank()) {
            return activationCode;
        }
        String fromEnvironment = root.environment.get(ACTIVATION_CODE_ENVIRONMENT);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        if (!root.terminal.isInteractive()) {
            throw new UsageException("No activation code: set " + ACTIVATION_CODE_ENVIRONMENT
                    + " (or run this on a terminal to be asked for it).");
        }
        char[] typed = root.terminal.readSecret("Activation code: ");
        if (typed == null || new String(typed).isBlank()) {
            throw new UsageException("No activation code given.");
        }
        return new String(typed).strip();
    }
}
