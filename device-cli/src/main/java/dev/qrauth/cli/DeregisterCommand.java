package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code otp-device deregister}: the profile removed here and on the server. */
final class DeregisterCommand implements Callable<Integer> {

    private final OtpDevice root;

    private final PinOptions pinOptions = new PinOptions();

    private DeregisterCommand(OtpDevice root) {
        this.root = root;
    }

    /** The command's model, bound to a new instance of it. */
    static CommandSpec spec(OtpDevice root) {
        DeregisterCommand command = new DeregisterCommand(root);
        CommandSpec spec = CliModel.command(command, "deregister",
                "Remove the profile from this device and from the server.",
                "Logs in first when a PIN is given, or asks for it on a terminal when not logged in.");
        CliModel.pinOptions(spec, command.pinOptions);
        return spec;
    }

    @Override
    public Integer call() {
        Phone phone = Phone.of(root);
        UserProfile profile;
        try (UserClient client = phone.client()) {
            profile = phone.loggedInProfile(client, pinOptions, "the server removes a profile only for its user.");
            client.deregisterUser(profile);
        }
        root.success(root.spec.commandLine().getOut(), Map.of("deregistered", profile.userId()),
                "Removed " + profile.userId() + " from this device and the server.");
        return ExitCode.OK.code;
    }
}
