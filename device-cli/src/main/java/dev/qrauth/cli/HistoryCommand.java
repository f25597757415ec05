package dev.qrauth.cli;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.receipt.ReceiptPage;
import dev.qrauth.sdk.ReceiptHistory;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code otp-device history}: the logged-in user's answers as the server's receipt chain records
 * them, each checked against the server's countersignature and this phone's own receipts
 * ({@code docs/PROTOCOL.md}, "Verifying a chain"). Any problem, above all an approval this phone
 * did not sign, makes the exit code 1.
 */
final class HistoryCommand implements Callable<Integer> {

    private final OtpDevice root;
    private final PinOptions pinOptions = new PinOptions();
    private Path export;
    private Path exportCertificate;

    private HistoryCommand(OtpDevice root) {
        this.root = root;
    }

    static CommandSpec spec(OtpDevice root) {
        HistoryCommand command = new HistoryCommand(root);
        CommandSpec spec = CliModel.command(command, "history",
                "List and check the receipts of the logged-in user's answers.",
                "Each receipt must be countersigned by the server (with the certificate this phone got at",
                "enrollment), in order and linked to the one before, and signed by this phone.",
                "Exit code 1 when any check fails, such as an approval this phone did not sign.",
                "Logs in first when a PIN is given, or asks for it on a terminal when not logged in.");
        spec.addOption(CliModel.option("--export", "FILE", Path.class,
                "Also write the chain to FILE, for otp-device verify-chain.", file -> command.export = file).build());
        spec.addOption(CliModel.option("--export-certificate", "FILE", Path.class,
                "Also write the server certificate the chain was checked against to FILE.",
                file -> command.exportCertificate = file).build());
        CliModel.pinOptions(spec, command.pinOptions);
        return spec;
    }

    @Override
    public Integer call() {
        Phone phone = Phone.of(root);
        UserProfile profile;
        ReceiptHistory history;
        try (UserClient client = phone.client()) {
            profile = phone.loggedInProfile(client, pinOptions, "only a logged-in user can read the receipts.");
            history = client.receiptHistory(profile);
        }
        try {
            if (export != null) {
                Files.write(export, ProtocolJson.write(new ReceiptPage(history.chain(), false)));
            }
            if (exportCertificate != null) {
                Files.writeString(exportCertificate, history.serverCertificate(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the export: " + e.getMessage(), e);
        }
        root.success(root.spec.commandLine().getOut(), ReceiptListing.json(history.report()),
                ReceiptListing.text("Receipts of " + profile.userId() + ": " + history.chain().size() + " in the chain.",
                        history.report()));
        return history.report().trustworthy() ? ExitCode.OK.code : ExitCode.FAILURE.code;
    }
}
