package dev.qrauth.cli;

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
        Phone.of(root).client().logout();
        root.success(root.spec.commandLine().getOut(), Map.of("logged_out", true), "Logged out.");
        return ExitCode.OK.code;
    }
}
