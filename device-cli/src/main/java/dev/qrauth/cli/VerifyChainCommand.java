package dev.qrauth.cli;

import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpFormatException;
import dev.qrauth.protocol.receipt.ReceiptChainCheck;
import dev.qrauth.protocol.receipt.ReceiptPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code otp-device verify-chain}: checks an exported receipt chain offline, against the
 * server's certificate (and a device certificate, when given): nothing is sent anywhere and no
 * profile is needed. {@code docs/PROTOCOL.md}, "Verifying a chain".
 */
final class VerifyChainCommand implements Callable<Integer> {

    /** Larger than any chain export of a thousand full receipts. */
    private static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private final OtpDevice root;
    private Path chain;
    private Path serverCertificate;
    private Path deviceCertificate;

    private VerifyChainCommand(OtpDevice root) {
        this.root = root;
    }

    static CommandSpec spec(OtpDevice root) {
        VerifyChainCommand command = new VerifyChainCommand(root);
        CommandSpec spec = CliModel.command(command, "verify-chain",
                "Check an exported receipt chain offline.",
                "It is checked against the server's certificate; nothing is sent anywhere.",
                "The chain is what otp-device history --export wrote; the certificate is the server's",
                "(otp-device history --export-certificate). Exit code 1 when any check fails.");
        spec.addOption(CliModel.option("--chain", "FILE", Path.class, "The exported chain (required).",
                file -> command.chain = file).build());
        spec.addOption(CliModel.option("--server-certificate", "FILE", Path.class,
                "The server's armored OpenPGP certificate (required).", file -> command.serverCertificate = file).build());
        spec.addOption(CliModel.option("--device-certificate", "FILE", Path.class,
                "A device's armored certificate: also check that device's signatures.",
                file -> command.deviceCertificate = file).build());
        return spec;
    }

    @Override
    public Integer call() {
        if (chain == null || serverCertificate == null) {
            throw new UsageException("Give --chain FILE and --server-certificate FILE. Try 'otp-device verify-chain --help'.");
        }
        OpenPgp pgp = OpenPgp.withDefaultPolicy();
        ReceiptPage page;
        try {
            page = ProtocolJson.read(read(chain), ReceiptPage.class);
        } catch (ProtocolFormatException e) {
            throw new UsageException(chain + " is not a receipt chain export");
        }
        PgpCertificate server = certificate(pgp, serverCertificate);
        List<PgpCertificate> devices = deviceCertificate == null ? List.of() : List.of(certificate(pgp, deviceCertificate));
        ReceiptChainCheck.Report report = new ReceiptChainCheck(pgp, server, devices, null)
                // An export is a whole chain: from seq 1, which links to the genesis hash.
                .check(page.receipts(), 0);
        root.success(root.spec.commandLine().getOut(), ReceiptListing.json(report),
                ReceiptListing.text(page.receipts().size() + " receipts, checked against server certificate "
                        + server.fingerprint() + ".", report));
        return report.trustworthy() ? ExitCode.OK.code : ExitCode.FAILURE.code;
    }

    private static PgpCertificate certificate(OpenPgp pgp, Path file) {
        try {
            return pgp.readCertificate(new String(read(file), StandardCharsets.UTF_8));
        } catch (PgpFormatException e) {
            throw new UsageException(file + " is not an OpenPGP certificate the policy accepts");
        }
    }

    private static byte[] read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new UsageException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException("Cannot read " + file);
        }
    }
}
