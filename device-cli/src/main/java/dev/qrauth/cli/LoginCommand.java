package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "login", description = "Log in with your PIN; the session lasts a few minutes.")
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    OtpDevice root;

    @Mixin
    PinOptions pinOptions;

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
