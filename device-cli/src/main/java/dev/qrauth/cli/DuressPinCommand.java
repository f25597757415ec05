package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code otp-device duress-pin set|remove}: the duress PIN of the logged-in user
 * ({@code docs/PROTOCOL.md}, "Duress PIN"). The server answers a change made in a session opened
 * with the duress PIN as usual but makes none, so the output is the same either way.
 */
final class DuressPinCommand implements Callable<Integer> {

    private DuressPinCommand() {
    }

    /** The command's model, with {@code set} and {@code remove} beneath it. */
    static CommandSpec spec(OtpDevice root) {
        CommandSpec spec = CliModel.command(new DuressPinCommand(), "duress-pin",
                "Set or remove the duress PIN of the logged-in user.",
                "Logging in with the duress PIN looks exactly like logging in with the PIN,",
                "while the portal is told that the login or approval was forced.",
                "  otp-device duress-pin set      (asks for the new duress PIN twice)",
                "  otp-device duress-pin remove");
        spec.addSubcommand("set", new CommandLine(Change.spec(root, true)));
        spec.addSubcommand("remove", new CommandLine(Change.spec(root, false)));
        return spec;
    }

    @Override
    public Integer call() {
        throw new UsageException("Missing a command: set or remove. Try 'otp-device duress-pin --help'.");
    }

    /** {@code set} or {@code remove}. */
    static final class Change implements Callable<Integer> {

        private final OtpDevice root;
        private final boolean set;
        private final PinOptions pinOptions = new PinOptions();

        private Change(OtpDevice root, boolean set) {
            this.root = root;
            this.set = set;
        }

        static CommandSpec spec(OtpDevice root, boolean set) {
            Change command = new Change(root, set);
            CommandSpec spec = set
                    ? CliModel.command(command, "set",
                            "Set or replace the duress PIN of the logged-in user.",
                            "The duress PIN is taken from the environment variable " + PinOptions.DURESS_ENVIRONMENT
                                    + ",",
                            "else asked for twice on the terminal (typed without echo).",
                            "It must follow the rules of the PIN and differ from it.",
                            "Logs in first when a PIN is given, or asks for it on a terminal when not logged in.")
                    : CliModel.command(command, "remove",
                            "Remove the duress PIN of the logged-in user.",
                            "Logs in first when a PIN is given, or asks for it on a terminal when not logged in.");
            CliModel.pinOptions(spec, command.pinOptions);
            return spec;
        }

        @Override
        public Integer call() {
            Phone phone = Phone.of(root);
            UserProfile profile;
            try (UserClient client = phone.client()) {
                profile = phone.loggedInProfile(client, pinOptions, "only a logged-in user can change the duress PIN.");
                if (set) {
                    client.setDuressPin(profile, phone.duressPin());
                } else {
                    client.removeDuressPin(profile);
                }
            }
            root.success(root.spec.commandLine().getOut(),
                    Map.of("user_id", profile.userId(), "duress_pin", set ? "set" : "removed"),
                    set ? "Set the duress PIN of " + profile.userId() + "."
                            : "Removed the duress PIN of " + profile.userId() + ".");
            return ExitCode.OK.code;
        }
    }
}
