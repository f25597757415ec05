package dev.qrauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.RequestContext;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.protocol.receipt.ReceiptPage;
import dev.qrauth.protocol.receipt.ReceiptRecord;
import dev.qrauth.protocol.receipt.ReceiptStatement;
import dev.qrauth.sdk.FakeTokenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code otp-device history} and {@code verify-chain}: the receipt chain checked, and every kind of tampering named. */
class ReceiptCommandsTest {

    static final String PIN = "24680";
    static final OpenPgp PGP = OpenPgp.withDefaultPolicy();

    @TempDir
    Path home;
    @TempDir
    Path files;

    FakeTokenServer server;

    @BeforeEach
    void start() {
        server = new FakeTokenServer();
        CliRun.readyPhone(home, server, PIN);
        for (String answer : List.of("--approve", "--deny", "--approve")) {
            CliRun scan = cli("scan", "--otp", server.newOtp(null), answer);
            assertThat(scan.exitCode()).as(scan.err()).isZero();
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    CliRun cli(String... args) {
        return CliRun.run(home, args);
    }

    List<ReceiptRecord> chain() {
        return server.receiptChain("alice");
    }

    /** {@code record} with another statement, as a server that rewrote it would give it. */
    static ReceiptRecord withStatement(ReceiptRecord record, byte[] statement) {
        return new ReceiptRecord(record.transactionId(), record.seq(), Base64.getEncoder().encodeToString(statement),
                record.deviceSignature(), record.deviceCertificateFingerprint(), record.entry(), record.serverSignature());
    }

    @Nested
    class History {
        @Test
        void listsTheAnswersAndSaysTheChainVerifies() {
            CliRun run = cli("history");
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(run.out()).contains("Receipts of alice: 3 in the chain.")
                    .contains("approved  \"Log in to Example\" at Example Portal (Firefox 140 on Linux, 192.0.2.10,")
                    .contains("denied")
                    .contains("The chain verifies");
            assertThat(cli("--json", "history").out()).startsWith("{\"result\":{\"verified\":true,");
        }

        @Test
        void aTamperedStatementIsAProblem() {
            ReceiptRecord second = chain().get(1);
            String changed = new String(second.statementBytes(), StandardCharsets.UTF_8)
                    .replace("\"decision\":\"denied\"", "\"decision\":\"confirmed\"");
            chain().set(1, withStatement(second, changed.getBytes(StandardCharsets.UTF_8)));
            CliRun run = cli("history");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("PROBLEM: receipt 2: the statement is not the one the server recorded (tampered)")
                    .contains("The chain does NOT verify");
        }

        @Test
        void aDroppedReceiptIsAProblem() {
            chain().remove(1);
            CliRun run = cli("history");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("PROBLEM: receipt 2 is missing from the chain");
        }

        @Test
        void reorderedReceiptsAreAProblem() {
            ReceiptRecord second = chain().get(1);
            chain().set(1, chain().get(2));
            chain().set(2, second);
            CliRun run = cli("history");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("PROBLEM: receipt 2 comes after receipt 3: the chain is out of order");
        }

        @Test
        void aServerSignatureByAnotherKeyIsAProblem() {
            ReceiptRecord third = chain().get(2);
            PgpKey impostor = PGP.generateKey("impostor");
            chain().set(2, new ReceiptRecord(third.transactionId(), third.seq(), third.statement(),
                    third.deviceSignature(), third.deviceCertificateFingerprint(), third.entry(),
                    Base64.getEncoder().encodeToString(PGP.signDetached(third.entryBytes(), impostor))));
            CliRun run = cli("history");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("PROBLEM: receipt 3: the server's signature does not verify");
        }

        @Test
        void anApprovalThisPhoneDidNotSignIsAProblem() {
            PgpKey otherPhone = PGP.generateKey("other phone");
            UUID transaction = UUID.randomUUID();
            byte[] statement = ProtocolJson.write(new ReceiptStatement(1, transaction, "alice", UUID.randomUUID(),
                    "Bank", "payment", "Transfer 5000 EUR", null, RequestContext.empty(), AnswerDecision.CONFIRMED, null,
                    Instant.now()));
            server.chain("alice", transaction, statement, PGP.signDetached(statement, otherPhone), otherPhone.fingerprint());
            CliRun run = cli("history");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("PROBLEM: receipt 4: the approval of \"Transfer 5000 EUR\" at Bank was not "
                    + "signed by this phone (signed by device key " + otherPhone.fingerprint() + ")");
        }
    }

    @Nested
    class Offline {
        Path chainFile;
        Path certificateFile;

        @BeforeEach
        void export() {
            chainFile = files.resolve("chain.json");
            certificateFile = files.resolve("server.asc");
            CliRun run = cli("history", "--export", chainFile.toString(), "--export-certificate", certificateFile.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
        }

        CliRun verify() {
            return cli("verify-chain", "--chain", chainFile.toString(), "--server-certificate", certificateFile.toString());
        }

        @Test
        void anExportedChainVerifiesOffline() throws Exception {
            server.close();
            CliRun run = verify();
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(run.out()).contains("3 receipts, checked against server certificate "
                    + server.serverKey().fingerprint()).contains("The chain verifies");
        }

        @Test
        void aReceiptDroppedFromTheExportIsFound() throws Exception {
            ReceiptPage page = ProtocolJson.read(Files.readAllBytes(chainFile), ReceiptPage.class);
            Files.write(chainFile, ProtocolJson.write(new ReceiptPage(List.of(page.receipts().get(1),
                    page.receipts().get(2)), false)));
            CliRun run = verify();
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("PROBLEM: receipt 1 is missing from the chain");
        }

        @Test
        void anotherServersCertificateFindsEverySignatureForged() throws Exception {
            Files.writeString(certificateFile, PGP.generateKey("other server").certificate().toArmoredString());
            CliRun run = verify();
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("PROBLEM: receipt 1: the server's signature does not verify")
                    .contains("The chain does NOT verify: 3 problems found.");
        }

        @Test
        void badFilesAreBadUsage() throws Exception {
            Files.writeString(files.resolve("garbage.json"), "{\"receipts\":[{\"seq\":1}]}");
            CliRun garbage = cli("verify-chain", "--chain", files.resolve("garbage.json").toString(),
                    "--server-certificate", certificateFile.toString());
            assertThat(garbage.exitCode()).isEqualTo(2);
            assertThat(garbage.err()).contains("is not a receipt chain export");
            CliRun missing = cli("verify-chain", "--chain", files.resolve("none.json").toString(),
                    "--server-certificate", certificateFile.toString());
            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.err()).contains("Cannot read");
            CliRun notACertificate = cli("verify-chain", "--chain", chainFile.toString(),
                    "--server-certificate", chainFile.toString());
            assertThat(notACertificate.exitCode()).isEqualTo(2);
            assertThat(notACertificate.err()).contains("is not an OpenPGP certificate");
            assertThat(cli("verify-chain").exitCode()).isEqualTo(2);
        }
    }

}
