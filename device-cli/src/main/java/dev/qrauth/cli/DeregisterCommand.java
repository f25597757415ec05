package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "deregister", description = {"Remove the profile from this device and from the server.",
        "Logs in first when a PIN is given, or asks for it on a terminal when not logged in."})
final class DeregisterCommand implements Callable<Integer> {

    @ParentCommand
    OtpDevice root;

    @Mixin
    PinOptions pinOptions;

    @Override
    public Integer call() {
        Phone phone = Phone.of(root);
        UserProfile profile;
        try (UserClient client = phone.client()) {
            profile = phone.profile(client);
            phone.logInFirst(client, pinOptions);
            if (client.authenticatedUserProfile().filter(profile::equals).isEmpty()) {
                throw new UsageException("Log in first (or give the PIN, see --help): the server removes a profile only for its user.");
            }
            client.deregisterUser(profile);
        }
        root.success(root.spec.commandLine().getOut(), Map.of("deregistered", profile.userId()),
                "Removed " + profile.userId() + " from this device and the server.");
        return ExitCode.OK.code;
    }
}
