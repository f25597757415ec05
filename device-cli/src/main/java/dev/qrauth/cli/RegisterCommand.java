package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "register", description = "Register this device (if needed) and a user on it, with an activation code and a new PIN"
        + " (asked for twice on a terminal).")
final class RegisterCommand implements Callable<Integer> {

    @ParentCommand
    OtpDevice root;

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The token server, such as https://auth.example.com.")
    URI server;

    @Option(names = "--user", required = true, paramLabel = "ID", description = "Your user id at the portal.")
    String user;

    @Option(names = "--activation-code", required = true, paramLabel = "CODE", description = "The activation code you were given.")
    String activationCode;

    @Mixin
    PinOptions pinOptions;

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
        String chosenPin = phone.pin(pinOptions, true);
        UserProfile profile = client.registerUser(user, activationCode, chosenPin);
        phone.rememberServer(server);
        root.success(root.spec.commandLine().getOut(), Map.of("user_id", profile.userId()),
                "Registered " + profile.userId() + " on this device. Next: otp-device login, then otp-device enroll.");
        return ExitCode.OK.code;
    }
}
