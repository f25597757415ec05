package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code otp-device enroll}: this device's key for the logged-in user. */
final class EnrollCommand implements Callable<Integer> {

    private final OtpDevice root;

    private final PinOptions pinOptions = new PinOptions();

    private EnrollCommand(OtpDevice root) {
        this.root = root;
    }

    /** The command's model, bound to a new instance of it. */
    static CommandSpec spec(OtpDevice root) {
        EnrollCommand command = new EnrollCommand(root);
        CommandSpec spec = CliModel.command(command, "enroll",
                "Enroll the logged-in user for mobile authentication.",
                "Creates this device's key for the user, which every scan needs.",
                "Logs in first when a PIN is given, or asks for it on a terminal when not logged in.");
        CliModel.pinOptions(spec, command.pinOptions);
        return spec;
    }

    @Override
    public Integer call() {
        Phone phone = Phone.of(root);
        String user;
        try (UserClient client = phone.client()) {
            phone.logInFirst(client, pinOptions);
            client.enrollForMobileAuth();
            user = client.authenticatedUserProfile().map(p -> p.userId()).orElse("the user");
        }
        root.success(root.spec.commandLine().getOut(), Map.of("enrolled", true, "user_id", user),
                "Enrolled " + user + " for mobile authentication. Scan a login code with: otp-device scan --otp TEXT");
        return ExitCode.OK.code;
    }
}
