package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "logout", description = "End the session.")
final class LogoutCommand implements Callable<Integer> {

    @ParentCommand
    OtpDevice root;

    @Override
    public Integer call() {
        try (UserClient client = Phone.of(root).client()) {
            client.logout();
        }
        root.success(root.spec.commandLine().getOut(), Map.of("logged_out", true), "Logged out.");
        return ExitCode.OK.code;
    }
}
