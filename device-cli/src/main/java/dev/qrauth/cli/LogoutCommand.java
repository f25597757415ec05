package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code otp-device logout}: ends the PIN session. */
final class LogoutCommand implements Callable<Integer> {

    private final OtpDevice root;

    private LogoutCommand(OtpDevice root) {
        this.root = root;
    }

    /** The command's model, bound to a new instance of it. */
    static CommandSpec spec(OtpDevice root) {
        return CliModel.command(new LogoutCommand(root), "logout",
                "End the session.");
    }

    @Override
    public Integer call() {
        try (UserClient client = Phone.of(root).client()) {
            client.logout();
        }
        root.success(root.spec.commandLine().getOut(), Map.of("logged_out", true), "Logged out.");
        return ExitCode.OK.code;
    }
}
