package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code otp-device login}: a PIN session for the profile. */
final class LoginCommand implements Callable<Integer> {

    private final OtpDevice root;

    private final PinOptions pinOptions = new PinOptions();

    private LoginCommand(OtpDevice root) {
        this.root = root;
    }

    /** The command's model, bound to a new instance of it. */
    static CommandSpec spec(OtpDevice root) {
        LoginCommand command = new LoginCommand(root);
        CommandSpec spec = CliModel.command(command, "login",
                "Log in with your PIN; the session lasts a few minutes.");
        CliModel.pinOptions(spec, command.pinOptions);
        return spec;
    }

    @Override
    public Integer call() {
        Phone phone = Phone.of(root);
        try (UserClient client = phone.client()) {
            UserProfile profile = phone.profile(client);
            client.authenticateUser(profile, phone.pin(pinOptions, false));
            root.success(root.spec.commandLine().getOut(), Map.of("user_id", profile.userId()),
                    "Logged in as " + profile.userId() + ".");
        }
        return ExitCode.OK.code;
    }
}
