package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "deregister", description = "Remove the profile from this device and from the server.")
final class DeregisterCommand implements Callable<Integer> {

    @ParentCommand
    OtpDevice root;

    @Option(names = "--pin", paramLabel = "PIN", description = "Log in with this PIN first (the server needs a session).")
    String pin;

    @Override
    public Integer call() {
        Phone phone = Phone.of(root);
        UserClient client = phone.client();
        UserProfile profile = phone.profile(client);
        if (pin != null) {
            client.authenticateUser(profile, pin);
        }
        if (client.authenticatedUserProfile().filter(profile::equals).isEmpty()) {
            throw new UsageException("Log in first (or pass --pin): the server removes a profile only for its user.");
        }
        client.deregisterUser(profile);
        root.success(root.spec.commandLine().getOut(), Map.of("deregistered", profile.userId()),
                "Removed " + profile.userId() + " from this device and the server.");
        return ExitCode.OK.code;
    }
}
