package dev.qrauth.protocol.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.RequestContext;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpFailure;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.protocol.pgp.PgpVerification;
import dev.qrauth.protocol.receipt.ReceiptChainCheck.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReceiptChainCheckTest {

    static final OpenPgp PGP = OpenPgp.withDefaultPolicy();
    static final UUID DEVICE = UUID.randomUUID();
    static PgpKey server;
    static PgpKey phone;
    static PgpKey otherServer;

    @BeforeAll
    static void keys() {
        server = PGP.generateKey("server");
        phone = PGP.generateKey("phone");
        otherServer = PGP.generateKey("impostor");
    }

    /** A chain of {@code n} signed receipts of user alice, and the phone's own receipts of them. */
    record Chain(List<ReceiptRecord> records, Map<UUID, SignedReceipt> phoneReceipts) {
    }

    static Chain chain(int n) {
        List<ReceiptRecord> records = new ArrayList<>();
        Map<UUID, SignedReceipt> own = new HashMap<>();
        String previous = ChainEntry.GENESIS;
        for (int seq = 1; seq <= n; seq++) {
            UUID transaction = UUID.randomUUID();
            ReceiptStatement statement = new ReceiptStatement(1, transaction, "alice", DEVICE, "Example Portal",
                    "login", "Log in " + seq, null, new RequestContext("Firefox", "Linux", "192.0.2.1", null),
                    AnswerDecision.CONFIRMED, null, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seq));
            byte[] statementBytes = ProtocolJson.write(statement);
            byte[] signature = PGP.signDetached(statementBytes, phone);
            own.put(transaction, SignedReceipt.of(statementBytes, signature));
            records.add(record(seq, transaction, previous, statementBytes, signature, server));
            previous = ChainEntry.sha256Hex(Base64.getDecoder().decode(records.get(seq - 1).entry()));
        }
        return new Chain(records, own);
    }

    static ReceiptRecord record(long seq, UUID transaction, String previous, byte[] statementBytes, byte[] signature,
                                PgpKey signer) {
        ChainEntry entry = new ChainEntry(1, "alice", seq, transaction, previous, ChainEntry.sha256Hex(statementBytes),
                signature == null ? null : ChainEntry.sha256Hex(signature), Instant.parse("2026-01-01T00:00:00Z"));
        byte[] entryBytes = ProtocolJson.write(entry);
        Base64.Encoder b64 = Base64.getEncoder();
        return new ReceiptRecord(transaction, seq, b64.encodeToString(statementBytes),
                signature == null ? null : b64.encodeToString(signature), phone.fingerprint(),
                b64.encodeToString(entryBytes), b64.encodeToString(PGP.signDetached(entryBytes, signer)));
    }

    static ReceiptChainCheck.Report check(List<ReceiptRecord> records, Map<UUID, SignedReceipt> own) {
        return new ReceiptChainCheck(PGP, server.certificate(), List.of(phone.certificate()), own).check(records, 0);
    }

    static List<Problem> problems(ReceiptChainCheck.Report report) {
        return report.findings().stream().map(ReceiptChainCheck.Finding::problem).toList();
    }

    @Nested
    class DetachedSignatures {
        @Test
        void verifiesWithTheSignersCertificate() {
            byte[] data = "receipt".getBytes(StandardCharsets.UTF_8);
            PgpVerification verification = PGP.verifyDetached(data, PGP.signDetached(data, phone),
                    List.of(phone.certificate()));
            assertThat(verification).isInstanceOf(PgpVerification.Verified.class);
            assertThat(((PgpVerification.Verified) verification).signerFingerprint()).isEqualTo(phone.fingerprint());
        }

        @Test
        void otherBytesAreABadSignature() {
            byte[] signature = PGP.signDetached("receipt".getBytes(StandardCharsets.UTF_8), phone);
            PgpVerification verification = PGP.verifyDetached("Receipt".getBytes(StandardCharsets.UTF_8), signature,
                    List.of(phone.certificate()));
            assertThat(((PgpVerification.Failed) verification).reason()).isEqualTo(PgpFailure.BAD_SIGNATURE);
        }

        @Test
        void anotherKeyIsAnUnknownSigner() {
            byte[] data = "receipt".getBytes(StandardCharsets.UTF_8);
            PgpVerification verification = PGP.verifyDetached(data, PGP.signDetached(data, otherServer),
                    List.of(phone.certificate()));
            assertThat(((PgpVerification.Failed) verification).reason()).isEqualTo(PgpFailure.UNKNOWN_SIGNER);
        }

        @Test
        void garbageIsMalformed() {
            PgpVerification verification = PGP.verifyDetached(new byte[] {1}, new byte[] {(byte) 0x88, 1, 2},
                    List.of(phone.certificate()));
            assertThat(((PgpVerification.Failed) verification).reason()).isEqualTo(PgpFailure.MALFORMED);
        }
    }

    @Nested
    class Chains {
        @Test
        void anIntactChainHasNoFindings() {
            Chain chain = chain(3);
            ReceiptChainCheck.Report report = check(chain.records(), chain.phoneReceipts());
            assertThat(report.findings()).isEmpty();
            assertThat(report.trustworthy()).isTrue();
            assertThat(report.receipts()).hasSize(3);
        }

        @Test
        void aTamperedStatementIsDetected() {
            Chain chain = chain(3);
            List<ReceiptRecord> records = new ArrayList<>(chain.records());
            ReceiptRecord original = records.get(1);
            String tampered = new String(original.statementBytes(), StandardCharsets.UTF_8).replace("Log in 2", "Log in X");
            records.set(1, new ReceiptRecord(original.transactionId(), original.seq(),
                    Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8)),
                    original.deviceSignature(), original.deviceCertificateFingerprint(), original.entry(),
                    original.serverSignature()));
            ReceiptChainCheck.Report report = check(records, null);
            assertThat(problems(report)).contains(Problem.TAMPERED_STATEMENT, Problem.BAD_DEVICE_SIGNATURE);
            assertThat(report.trustworthy()).isFalse();
        }

        @Test
        void aDroppedEntryIsDetected() {
            Chain chain = chain(3);
            List<ReceiptRecord> records = new ArrayList<>(chain.records());
            records.remove(1);
            ReceiptChainCheck.Report report = check(records, null);
            assertThat(problems(report)).containsExactly(Problem.MISSING_ENTRIES);
            assertThat(report.findings().get(0).message()).contains("receipt 2 is missing");
        }

        @Test
        void reorderedEntriesAreDetected() {
            Chain chain = chain(4);
            List<ReceiptRecord> records = new ArrayList<>(chain.records());
            records.set(1, chain.records().get(2));
            records.set(2, chain.records().get(1));
            assertThat(problems(check(records, null))).contains(Problem.OUT_OF_ORDER);
        }

        @Test
        void anEntryRewrittenWithoutTheServersKeyIsDetected() {
            Chain chain = chain(2);
            List<ReceiptRecord> records = new ArrayList<>(chain.records());
            ReceiptRecord second = records.get(1);
            records.set(1, record(2, second.transactionId(), ChainEntry.sha256Hex(records.get(0).entryBytes()),
                    second.statementBytes(), second.deviceSignatureBytes(), otherServer));
            assertThat(problems(check(records, null))).containsExactly(Problem.FORGED_SERVER_SIGNATURE);
        }

        @Test
        void aBrokenLinkIsDetected() {
            Chain chain = chain(2);
            List<ReceiptRecord> records = new ArrayList<>(chain.records());
            ReceiptRecord second = records.get(1);
            records.set(1, record(2, second.transactionId(), ChainEntry.GENESIS, second.statementBytes(),
                    second.deviceSignatureBytes(), server));
            assertThat(problems(check(records, null))).containsExactly(Problem.BROKEN_LINK);
        }

        @Test
        void anApprovalThePhoneDidNotSignIsReported() {
            Chain chain = chain(3);
            Map<UUID, SignedReceipt> own = new HashMap<>(chain.phoneReceipts());
            own.remove(chain.records().get(2).transactionId());
            ReceiptChainCheck.Report report = check(chain.records(), own);
            assertThat(problems(report)).containsExactly(Problem.NOT_SIGNED_BY_THIS_PHONE);
            assertThat(report.findings().get(0).message()).contains("the approval of \"Log in 3\" at Example Portal");
        }

        @Test
        void anUnsignedEntryIsReported() {
            UUID transaction = UUID.randomUUID();
            ReceiptStatement statement = new ReceiptStatement(1, transaction, "alice", DEVICE, "P", "login", "Hi", null,
                    null, AnswerDecision.CONFIRMED, null, Instant.now());
            ReceiptRecord unsigned = record(1, transaction, ChainEntry.GENESIS, ProtocolJson.write(statement), null, server);
            assertThat(problems(check(List.of(unsigned), null))).containsExactly(Problem.UNSIGNED_BY_DEVICE);
        }

        @Test
        void receiptsTheSamePhoneSignedBeforeItWasEnrolledAgainStillCountAsItsOwn() {
            Chain chain = chain(3);
            PgpKey newKey = PGP.generateKey("phone enrolled again");
            ReceiptChainCheck.Report report = new ReceiptChainCheck(PGP, server.certificate(),
                    List.of(newKey.certificate()), chain.phoneReceipts()).check(chain.records(), 0);
            assertThat(report.findings()).isEmpty();
            // Without its own copies the old signatures do not verify with the new key.
            assertThat(problems(new ReceiptChainCheck(PGP, server.certificate(), List.of(newKey.certificate()), null)
                    .check(chain.records(), 0))).containsOnly(Problem.BAD_DEVICE_SIGNATURE).hasSize(3);
        }

        @Test
        void aPhoneThatDroppedItsOldestReceiptsOnlyWarnsAboutEntriesOlderThanThoseItKeeps() {
            Chain chain = chain(4);
            Map<UUID, SignedReceipt> own = new HashMap<>(chain.phoneReceipts());
            own.remove(chain.records().get(0).transactionId());
            own.remove(chain.records().get(1).transactionId());
            ReceiptChainCheck.Report report = new ReceiptChainCheck(PGP, server.certificate(),
                    List.of(phone.certificate()), own, true).check(chain.records(), 0);
            assertThat(problems(report)).containsExactly(Problem.OLDER_THAN_PHONE_RECEIPTS,
                    Problem.OLDER_THAN_PHONE_RECEIPTS);
            assertThat(report.trustworthy()).isTrue();

            // A newer entry it does not hold is still one it did not sign.
            own.remove(chain.records().get(3).transactionId());
            ReceiptChainCheck.Report newer = new ReceiptChainCheck(PGP, server.certificate(),
                    List.of(phone.certificate()), own, true).check(chain.records(), 0);
            assertThat(problems(newer)).contains(Problem.NOT_SIGNED_BY_THIS_PHONE);
            assertThat(newer.trustworthy()).isFalse();
        }

        @Test
        void aPhoneReceiptMissingFromTheChainIsOnlyAWarning() {
            Chain chain = chain(2);
            ReceiptChainCheck.Report report = check(chain.records().subList(0, 1), chain.phoneReceipts());
            assertThat(problems(report)).containsExactly(Problem.PHONE_RECEIPT_NOT_IN_CHAIN);
            assertThat(report.trustworthy()).isTrue();
        }
    }
}
