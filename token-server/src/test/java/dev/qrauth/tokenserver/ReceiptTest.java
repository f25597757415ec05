package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.DenyReason;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.pgp.PgpVerification;
import dev.qrauth.protocol.receipt.ChainEntry;
import dev.qrauth.protocol.receipt.ReceiptChainCheck;
import dev.qrauth.protocol.receipt.ReceiptPage;
import dev.qrauth.protocol.receipt.ReceiptRecord;
import dev.qrauth.protocol.receipt.ReceiptStatement;
import dev.qrauth.protocol.receipt.SignedReceipt;
import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.tokenserver.device.Devices;
import dev.qrauth.tokenserver.transaction.Outcome;
import dev.qrauth.tokenserver.transaction.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Verifiable receipts ({@code docs/PROTOCOL.md}, "Receipts"): every applied answer is chained and countersigned. */
@QuarkusTest
class ReceiptTest {

    static Response receipt(TestPortal portal, String transactionId) {
        return portal.client.auth().get("/oauth/api/v4/authenticate/transaction/{id}/receipt", transactionId);
    }

    static ReceiptRecord receiptOf(TestPortal portal, String transactionId) {
        Response response = receipt(portal, transactionId);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return ProtocolJson.read(response.asByteArray(), ReceiptRecord.class);
    }

    static ReceiptPage chain(TestDevice phone, Map<String, ?> query) {
        Response response = phone.registered.session(phone.accessToken).queryParams(query)
                .get("/device/api/v1/users/{u}/receipts", phone.userId());
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return ProtocolJson.read(response.asByteArray(), ReceiptPage.class);
    }

    /** A fetched login whose answer is yet to be sent. */
    record Fetched(String transactionId, MobileAuthMessage message) {
    }

    static Fetched fetched(TestPortal portal, TestDevice phone) {
        Response started = portal.initiate();
        return new Fetched(started.path("transaction_id"), phone.fetch(started.path("otp")));
    }

    static ReceiptChainCheck.Report check(TestDevice phone, List<ReceiptRecord> records) {
        return new ReceiptChainCheck(TestApi.PGP, phone.serverCertificate, List.of(phone.key.certificate()), null)
                .check(records, 0);
    }

    @Nested
    class Created {
        @Test
        void aConfirmationLeavesAReceiptSignedByThePhoneAndCountersignedByTheServer() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            String transactionId = portal.answeredBy(phone, true);

            ReceiptRecord record = receiptOf(portal, transactionId);
            ReceiptStatement statement = record.parsedStatement();
            assertThat(statement.decision()).isEqualTo(AnswerDecision.CONFIRMED);
            assertThat(statement.transactionId()).hasToString(transactionId);
            assertThat(statement.userId()).isEqualTo(phone.userId());
            assertThat(statement.deviceId()).isEqualTo(phone.deviceId());
            assertThat(record.deviceCertificateFingerprint()).isEqualTo(phone.key.fingerprint());
            assertThat(TestApi.PGP.verifyDetached(record.statementBytes(), record.deviceSignatureBytes(),
                    List.of(phone.key.certificate()))).isInstanceOf(PgpVerification.Verified.class);
            assertThat(TestApi.PGP.verifyDetached(record.entryBytes(), record.serverSignatureBytes(),
                    List.of(phone.serverCertificate))).isInstanceOf(PgpVerification.Verified.class);
            ChainEntry entry = record.parsedEntry();
            assertThat(entry.seq()).isEqualTo(1);
            assertThat(entry.previousHash()).isEqualTo(ChainEntry.GENESIS);
            assertThat(entry.statementSha256()).isEqualTo(ChainEntry.sha256Hex(record.statementBytes()));
        }

        @Test
        void aDenialLeavesAReceiptWithItsReason() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            Fetched fetched = fetched(portal, phone);
            phone.answerRaw(MobileAuthAnswer.deny(fetched.message(), DenyReason.FRAUD)).then().statusCode(200);

            ReceiptStatement statement = receiptOf(portal, fetched.transactionId()).parsedStatement();
            assertThat(statement.decision()).isEqualTo(AnswerDecision.DENIED);
            assertThat(statement.denyReason()).isEqualTo(DenyReason.FRAUD);
            assertThat(statement.text()).isEqualTo(fetched.message().message());
        }

        @Test
        void anAnswerWithoutAReceiptIsChainedAsUnsigned() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            Fetched fetched = fetched(portal, phone);
            phone.answerWithoutReceipt(MobileAuthAnswer.confirm(fetched.message(), null)).then().statusCode(200);

            ReceiptRecord record = receiptOf(portal, fetched.transactionId());
            assertThat(record.deviceSignature()).isNull();
            assertThat(record.parsedEntry().deviceSigned()).isFalse();
            assertThat(record.parsedStatement().text()).isEqualTo(fetched.message().message());
            assertThat(record.parsedStatement().portal()).isEqualTo(fetched.message().portalName());
            assertThat(check(phone, List.of(record)).findings()).extracting(ReceiptChainCheck.Finding::problem)
                    .containsExactly(ReceiptChainCheck.Problem.UNSIGNED_BY_DEVICE);
        }
    }

    @Nested
    class Refused {
        /** Sends {@code answer} with {@code receipt}; expects a refusal and the transaction untouched. */
        void refused(TestPortal portal, TestDevice phone, Fetched fetched, MobileAuthAnswer answer, SignedReceipt receipt) {
            phone.answerRaw(answer.withReceipt(receipt)).then().statusCode(422).body("error", equalTo("INVALID_ANSWER"));
            portal.result(fetched.transactionId()).then().body("status", equalTo("SCANNED"));
            receipt(portal, fetched.transactionId()).then().statusCode(404);
            // Nothing was written: the right answer still goes through.
            phone.answerRaw(MobileAuthAnswer.confirm(fetched.message(), null)).then().statusCode(200);
            assertThat(receiptOf(portal, fetched.transactionId()).parsedEntry().seq()).isEqualTo(1);
        }

        @Test
        void aReceiptSignedByAnotherKey() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            Fetched fetched = fetched(portal, phone);
            MobileAuthAnswer answer = MobileAuthAnswer.confirm(fetched.message(), null);
            byte[] statement = ProtocolJson.write(phone.statement(answer));
            SignedReceipt forged = SignedReceipt.of(statement,
                    TestApi.PGP.signDetached(statement, TestApi.PGP.generateKey("other")));
            refused(portal, phone, fetched, answer, forged);
        }

        @Test
        void aReceiptOfOtherText() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            Fetched fetched = fetched(portal, phone);
            MobileAuthAnswer answer = MobileAuthAnswer.confirm(fetched.message(), null);
            ReceiptStatement shown = phone.statement(answer);
            ReceiptStatement other = new ReceiptStatement(shown.version(), shown.transactionId(), shown.userId(),
                    shown.deviceId(), shown.portal(), shown.type(), "Transfer 1 EUR", shown.secureText(),
                    shown.context(), shown.decision(), shown.denyReason(), shown.answeredAt());
            refused(portal, phone, fetched, answer, phone.receipt(other));
        }

        @Test
        void aReceiptOfAnotherDecision() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            Fetched fetched = fetched(portal, phone);
            MobileAuthAnswer answer = MobileAuthAnswer.confirm(fetched.message(), null);
            ReceiptStatement denial = phone.statement(MobileAuthAnswer.deny(fetched.message(), null));
            refused(portal, phone, fetched, answer, phone.receipt(denial));
        }

        @Test
        void aReceiptOfAnotherTransaction() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            Fetched first = fetched(portal, phone);
            Fetched second = fetched(portal, phone);
            SignedReceipt ofFirst = phone.receipt(phone.statement(MobileAuthAnswer.confirm(first.message(), null)));
            refused(portal, phone, second, MobileAuthAnswer.confirm(second.message(), null), ofFirst);
        }

        @Test
        void aReceiptThatIsNoStatement() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            Fetched fetched = fetched(portal, phone);
            byte[] garbage = "{\"version\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            refused(portal, phone, fetched, MobileAuthAnswer.confirm(fetched.message(), null),
                    SignedReceipt.of(garbage, TestApi.PGP.signDetached(garbage, phone.key)));
        }
    }

    @Nested
    class PortalRead {
        @Test
        void noReceiptIsA3004() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            receipt(portal, UUID.randomUUID().toString()).then().statusCode(404).body("error_code", equalTo("3004"));
            receipt(portal, "not-a-uuid").then().statusCode(404).body("error_code", equalTo("3004"));
            String pending = portal.initiate().path("transaction_id");
            receipt(portal, pending).then().statusCode(404).body("error_code", equalTo("3004"));
            String answered = portal.answeredBy(phone, true);
            receipt(TestPortal.create(), answered).then().statusCode(404).body("error_code", equalTo("3004"));
        }

        @Test
        void aReadWithoutCredentialsIsRefused() {
            TestPortal portal = TestPortal.create();
            String answered = portal.answeredBy(TestDevice.enrolled(), true);
            io.restassured.RestAssured.given().get("/oauth/api/v4/authenticate/transaction/{id}/receipt", answered)
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
        }
    }

    @Nested
    class Chain {
        @Test
        void eachAnswerOfAUserContinuesItsChain() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            portal.answeredBy(phone, true);
            portal.answeredBy(phone, false);
            portal.answeredBy(phone, true);

            ReceiptPage page = chain(phone, Map.of());
            assertThat(page.receipts()).extracting(ReceiptRecord::seq).containsExactly(1L, 2L, 3L);
            assertThat(page.more()).isFalse();
            ReceiptChainCheck.Report report = check(phone, page.receipts());
            assertThat(report.findings()).isEmpty();

            ReceiptPage second = chain(phone, Map.of("after_seq", 1, "limit", 1));
            assertThat(second.receipts()).extracting(ReceiptRecord::seq).containsExactly(2L);
            assertThat(second.more()).isTrue();
        }

        @Test
        void concurrentAnswersOfOneUserMakeOneChainWithoutGaps() throws Exception {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            int count = 8;
            List<Fetched> fetched = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                fetched.add(fetched(portal, phone));
            }
            ExecutorService threads = Executors.newFixedThreadPool(count);
            try {
                List<Callable<Integer>> answers = new ArrayList<>();
                for (Fetched one : fetched) {
                    answers.add(() -> phone.answerRaw(MobileAuthAnswer.confirm(one.message(), null)).statusCode());
                }
                for (Future<Integer> status : threads.invokeAll(answers)) {
                    assertThat(status.get()).isEqualTo(200);
                }
            } finally {
                threads.shutdown();
            }
            ReceiptPage page = chain(phone, Map.of());
            List<Long> expected = new ArrayList<>();
            for (long seq = 1; seq <= count; seq++) {
                expected.add(seq);
            }
            assertThat(page.receipts()).extracting(ReceiptRecord::seq).containsExactlyElementsOf(expected);
            assertThat(check(phone, page.receipts()).findings()).isEmpty();
        }

        /**
         * The full path ({@code Transactions#answer}, which the hot path falls back on) checks
         * and appends as the hot path does, on the same chain: called directly, since a request
         * in a test always finds the hot path able to act.
         */
        @Test
        void theFullPathAppendsToTheSameChainAndRefusesTheSameReceipts() {
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            portal.answeredBy(phone, true);
            String authorization = new BasicCredentials(phone.registered.device().deviceId(),
                    phone.registered.device().secret()).header();

            Fetched wrongText = fetched(portal, phone);
            MobileAuthAnswer answer = MobileAuthAnswer.confirm(wrongText.message(), null);
            ReceiptStatement shown = phone.statement(answer);
            MobileAuthAnswer other = answer.withReceipt(phone.receipt(new ReceiptStatement(shown.version(),
                    shown.transactionId(), shown.userId(), shown.deviceId(), shown.portal(), shown.type(), "Other text",
                    shown.secureText(), shown.context(), shown.decision(), shown.denyReason(), shown.answeredAt())));
            Outcome<AnswerAccepted> refused = fullAnswer(phone, authorization, other);
            assertThat(refused).isInstanceOfSatisfying(Outcome.Refused.class, r -> {
                assertThat(r.error().error()).isEqualTo(DeviceErrorCode.INVALID_ANSWER);
                assertThat(r.error().errorMessage()).contains("other text");
            });

            Outcome<AnswerAccepted> accepted = fullAnswer(phone, authorization,
                    answer.withReceipt(phone.receipt(shown)));
            assertThat(accepted).isEqualTo(Outcome.accepted(new AnswerAccepted(TransactionStatus.CONFIRMED)));
            portal.answeredBy(phone, false);

            ReceiptPage page = chain(phone, Map.of());
            assertThat(page.receipts()).extracting(ReceiptRecord::seq).containsExactly(1L, 2L, 3L);
            assertThat(page.receipts().get(1).transactionId()).hasToString(wrongText.transactionId());
            assertThat(page.receipts().get(1).deviceCertificateFingerprint()).isEqualTo(phone.key.fingerprint());
            assertThat(check(phone, page.receipts()).findings()).isEmpty();
        }

        Outcome<AnswerAccepted> fullAnswer(TestDevice phone, String authorization, MobileAuthAnswer answer) {
            SealedMessage sealed = new SealedMessage(answer.transactionId(), phone.seal(answer, phone.key));
            return QuarkusTransaction.requiringNew().call(() -> transactions.answer(
                    devices.mobileAuthSession(authorization, phone.accessToken, phone.userId()),
                    answer.transactionId(), sealed));
        }

        @Test
        void badPagingIsRefused() {
            TestDevice phone = TestDevice.enrolled();
            for (Map<String, ?> query : List.<Map<String, ?>>of(Map.of("limit", 0), Map.of("limit", 501),
                    Map.of("limit", "ten"), Map.of("after_seq", -1), Map.of("after_seq", "1e3"))) {
                phone.registered.session(phone.accessToken).queryParams(query)
                        .get("/device/api/v1/users/{u}/receipts", phone.userId())
                        .then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
            }
        }

        @Test
        void anotherUsersChainIsNotReadable() {
            TestDevice phone = TestDevice.enrolled();
            TestDevice other = TestDevice.enrolled();
            // The other user is not registered on this phone's device.
            phone.registered.session(other.accessToken).get("/device/api/v1/users/{u}/receipts", other.userId())
                    .then().statusCode(403).body("error", equalTo("USER_DEREGISTERED"));
            phone.registered.session("not-a-token").get("/device/api/v1/users/{u}/receipts", phone.userId())
                    .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
        }
    }

    @Nested
    class FourEyes {
        @Test
        void eachApproverGetsAReceiptInTheirOwnChainAndThePortalCanReadEach() {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            FourEyesTest.Started started = FourEyesTest.start(portal, 2, alice, bob);
            MobileAuthMessage shownToAlice = alice.fetch(started.otp());
            alice.answerRaw(MobileAuthAnswer.confirm(shownToAlice, null)).then().statusCode(200)
                    .body("status", equalTo("SCANNED"));
            MobileAuthMessage shownToBob = bob.fetch(started.otp());
            bob.answerRaw(MobileAuthAnswer.confirm(shownToBob, null)).then().statusCode(200)
                    .body("status", equalTo("CONFIRMED"));

            UUID transactionId = UUID.fromString(started.transactionId());
            for (TestDevice phone : List.of(alice, bob)) {
                List<ReceiptRecord> own = chain(phone, Map.of()).receipts();
                assertThat(own).extracting(ReceiptRecord::transactionId).containsExactly(transactionId);
                assertThat(check(phone, own).findings()).isEmpty();
                assertThat(statementOf(own.get(0)).userId()).isEqualTo(phone.userId());
            }
            assertThat(statementOf(receiptOf(portal, started.transactionId())).userId())
                    .as("without user_id: the first answer's").isEqualTo(alice.userId());
            Response bobs = portal.client.auth().queryParam("user_id", bob.userId())
                    .get("/oauth/api/v4/authenticate/transaction/{id}/receipt", started.transactionId());
            assertThat(bobs.statusCode()).as(bobs.asString()).isEqualTo(200);
            assertThat(statementOf(ProtocolJson.read(bobs.asByteArray(), ReceiptRecord.class)).userId())
                    .isEqualTo(bob.userId());
            portal.client.auth().queryParam("user_id", "someone-else")
                    .get("/oauth/api/v4/authenticate/transaction/{id}/receipt", started.transactionId())
                    .then().statusCode(404);
        }

        private ReceiptStatement statementOf(ReceiptRecord record) {
            return ProtocolJson.read(java.util.Base64.getDecoder().decode(record.statement()), ReceiptStatement.class);
        }
    }

    @Inject
    Transactions transactions;

    @Inject
    Devices devices;
}
