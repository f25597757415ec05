package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpDecoding;
import dev.qrauth.protocol.otp.OtpPayload;
import dev.qrauth.tokenserver.transaction.Transactions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Four-eyes approval ({@code docs/PROTOCOL.md}, "Four-eyes approval"): a transaction confirmed
 * only once enough distinct users of its group confirmed, rejected at the first denial.
 */
@QuarkusTest
class FourEyesTest {

    private static final String TYPES = "/admin/api/v1/mobile-auth-types";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Transactions transactions;

    /** A four-eyes type requiring {@code required} approvals, with {@code group} (may be empty). */
    static String fourEyesType(int required, List<String> group) {
        String name = unique("four-eyes");
        admin().body(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 120, "default_message",
                        "Approve the payment", "required_approvals", required, "approvers", group))
                .post(TYPES).then().statusCode(201);
        return name;
    }

    static Response initiate(TestPortal portal, String type, String approvers) {
        Map<String, String> form = new HashMap<>(Map.of("type", type, "callback_uri", TestPortal.CALLBACK));
        if (approvers != null) {
            form.put("approvers", approvers);
        }
        return portal.initiateRaw(form);
    }

    /** A started four-eyes transaction (2 of {@code phones}) named by its id and OTP. */
    record Started(String transactionId, String otp) {
    }

    static Started start(TestPortal portal, int required, TestDevice... phones) {
        List<String> group = java.util.Arrays.stream(phones).map(TestDevice::userId).toList();
        Response response = initiate(portal, fourEyesType(required, List.of()), String.join(",", group))
                .then().statusCode(200).extract().response();
        return new Started(response.path("transaction_id"), response.path("otp"));
    }

    @Nested
    class TypeOptions {
        @ParameterizedTest
        @ValueSource(ints = {0, -1, 11, 1000})
        void requiredApprovalsOutOfRangeIsRefused(int value) {
            admin().body(Map.of("name", unique("fe"), "method", "OTP", "time_to_live_seconds", 60,
                            "required_approvals", value))
                    .post(TYPES).then().statusCode(400).body("error", equalTo("invalid_request"))
                    .body("error_message", equalTo("required_approvals must be 1 to 10"));
        }

        @Test
        void aBadApproverGroupIsRefused() {
            for (List<String> group : List.of(List.of("alice", "alice"), List.of("alice", "bob smith"),
                    List.of("alice", ""), List.of("alice", "a/b"))) {
                admin().body(Map.of("name", unique("fe"), "method", "OTP", "time_to_live_seconds", 60,
                                "required_approvals", 2, "approvers", group))
                        .post(TYPES).then().statusCode(400).body("error", equalTo("invalid_request"));
            }
            List<String> tooMany = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                tooMany.add("user" + i);
            }
            admin().body(Map.of("name", unique("fe"), "method", "OTP", "time_to_live_seconds", 60,
                            "required_approvals", 2, "approvers", tooMany))
                    .post(TYPES).then().statusCode(400).body("error_message",
                            equalTo("approvers may name at most 20 users"));
        }

        @Test
        void aGroupSmallerThanTheCountIsRefused() {
            admin().body(Map.of("name", unique("fe"), "method", "OTP", "time_to_live_seconds", 60,
                            "required_approvals", 3, "approvers", List.of("alice", "bob")))
                    .post(TYPES).then().statusCode(400)
                    .body("error_message", equalTo("approvers must name at least required_approvals (3) users"));
        }

        @Test
        void approversWithoutFourEyesAreRefused() {
            admin().body(Map.of("name", unique("fe"), "method", "OTP", "time_to_live_seconds", 60,
                            "approvers", List.of("alice", "bob")))
                    .post(TYPES).then().statusCode(400).body("error", equalTo("invalid_request"));
        }

        @Test
        void optionsAboutOnePhoneCannotBeCombined() {
            for (Map<String, Object> option : List.<Map<String, Object>>of(Map.of("number_matching", true),
                    Map.of("reverse_code", true), Map.of("proximity", "warn"), Map.of("rotation_seconds", 10))) {
                Map<String, Object> body = new HashMap<>(Map.of("name", unique("fe"), "method", "OTP",
                        "time_to_live_seconds", 60, "required_approvals", 2));
                body.putAll(option);
                admin().body(body).post(TYPES).then().statusCode(400).body("error_message", equalTo(
                        "required_approvals of 2 or more cannot be combined with number_matching, reverse_code, "
                                + "proximity or rotation_seconds"));
            }
            String name = fourEyesType(2, List.of());
            admin().body(Map.of("number_matching", true)).patch(TYPES + "/{n}", name).then().statusCode(400);
        }

        @Test
        void aFourEyesTypeIsShownAndCanBeTurnedBackToOnePhone() {
            String name = fourEyesType(2, List.of("alice", "bob", "carol"));
            admin().get(TYPES).then().statusCode(200)
                    .body("find { it.name == '" + name + "' }.required_approvals", equalTo(2))
                    .body("find { it.name == '" + name + "' }.approvers", equalTo(List.of("alice", "bob", "carol")));
            admin().body(Map.of("required_approvals", 1)).patch(TYPES + "/{n}", name).then().statusCode(400);
            admin().body(Map.of("required_approvals", 1, "approvers", List.of())).patch(TYPES + "/{n}", name)
                    .then().statusCode(200).body("required_approvals", equalTo(1)).body("approvers", equalTo(List.of()));
        }
    }

    @Nested
    class Initiation {
        @Test
        void approversOnATypeOnePhoneApprovesAreRefused() {
            TestPortal portal = TestPortal.create();
            initiate(portal, portal.loginType, "alice,bob").then().statusCode(400).body("error_code", equalTo("1003"))
                    .body("description", equalTo("approvers is only for a type with required_approvals of 2 or more"));
        }

        @Test
        void aFourEyesTypeWithoutAGroupIsRefused() {
            TestPortal portal = TestPortal.create();
            initiate(portal, fourEyesType(2, List.of()), null).then().statusCode(400).body("error_code", equalTo("1003"))
                    .body("description", equalTo("approvers is required: the type requires 2 approvals and names no "
                            + "approver group"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"alice", "alice,alice", "alice,,bob", "", " ", "alice,bob smith", "alice,a/b"})
        void aBadOrTooSmallGroupIsRefused(String approvers) {
            TestPortal portal = TestPortal.create();
            initiate(portal, fourEyesType(2, List.of("carol", "dave")), approvers)
                    .then().statusCode(400).body("error_code", equalTo("1003"));
        }

        @Test
        void expectedUserCannotBeCombined() {
            TestPortal portal = TestPortal.create();
            portal.initiateRaw(Map.of("type", fourEyesType(2, List.of("alice", "bob")), "callback_uri",
                            TestPortal.CALLBACK, "expected_user_id", "alice"))
                    .then().statusCode(400).body("error_code", equalTo("1003"));
        }

        @Test
        void theTypesGroupServesWhenTheInitiationNamesNone() {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            Response started = initiate(portal, fourEyesType(2, List.of(alice.userId(), bob.userId())), null)
                    .then().statusCode(200).extract().response();
            assertThat(alice.fetch(started.path("otp")).approvals().required()).isEqualTo(2);
        }
    }

    @Nested
    class Approving {
        @Test
        void twoConfirmationsConfirmAndListBothApprovers() throws Exception {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            TestDevice carol = TestDevice.enrolled();
            Started started = start(portal, 2, alice, bob, carol);

            MobileAuthMessage first = alice.fetch(started.otp());
            assertThat(first.approvals().required()).isEqualTo(2);
            assertThat(first.approvals().approvedBy()).isEmpty();
            alice.answerRaw(MobileAuthAnswer.confirm(first, null)).then().statusCode(200)
                    .body("status", equalTo("SCANNED"));
            portal.result(started.transactionId()).then().statusCode(200).body("status", equalTo("SCANNED"))
                    .body("is_authenticated", equalTo(false)).body("user_id", nullValue())
                    .body("required_approvals", equalTo(2)).body("approvers", equalTo(List.of(alice.userId())));

            MobileAuthMessage second = bob.fetch(started.otp());
            assertThat(second.approvals().approvedBy()).containsExactly(alice.userId());
            assertThat(second.userId()).isEqualTo(bob.userId());
            bob.answerRaw(MobileAuthAnswer.confirm(second, null)).then().statusCode(200)
                    .body("status", equalTo("CONFIRMED"));

            portal.result(started.transactionId()).then().statusCode(200).body("status", equalTo("CONFIRMED"))
                    .body("is_authenticated", equalTo(true)).body("user_id", equalTo(alice.userId()))
                    .body("approvers", equalTo(List.of(alice.userId(), bob.userId())));
            assertThat(callbacks(started.transactionId())).containsExactly("SCANNED", "CONFIRMED");
            // The third member has nothing left to approve.
            carol.fetchRaw(started.otp()).then().statusCode(409).body("error", equalTo("ALREADY_HANDLED"));
        }

        @Test
        void aConfirmationThenADenialRejects() throws Exception {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            Started started = start(portal, 2, alice, bob);
            alice.answerRaw(MobileAuthAnswer.confirm(alice.fetch(started.otp()), null)).then().statusCode(200);
            bob.answerRaw(MobileAuthAnswer.deny(bob.fetch(started.otp()), null)).then().statusCode(200)
                    .body("status", equalTo("REJECTED"));
            portal.result(started.transactionId()).then().body("status", equalTo("REJECTED"))
                    .body("is_authenticated", equalTo(false)).body("user_id", equalTo(bob.userId()))
                    .body("not_authenticated_reason.reason", equalTo("not_accepted"))
                    .body("approvers", equalTo(List.of(alice.userId())));
            assertThat(callbacks(started.transactionId())).containsExactly("SCANNED", "REJECTED");
        }

        @Test
        void aDenialFirstRejectsAndNoOneApprovesAfter() throws Exception {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            Started started = start(portal, 2, alice, bob);
            MobileAuthMessage bobs = bob.fetch(started.otp());
            alice.answerRaw(MobileAuthAnswer.deny(alice.fetch(started.otp()), null)).then().statusCode(200)
                    .body("status", equalTo("REJECTED"));
            // Fetched before the denial: the answer comes too late all the same.
            bob.answerRaw(MobileAuthAnswer.confirm(bobs, null)).then().statusCode(409)
                    .body("error", equalTo("ALREADY_HANDLED"));
            portal.result(started.transactionId()).then().body("status", equalTo("REJECTED"))
                    .body("approvers", equalTo(List.of()));
            assertThat(callbacks(started.transactionId())).containsExactly("REJECTED");
        }

        @Test
        void theSameUserCannotApproveTwice() {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            TestDevice carol = TestDevice.enrolled();
            Started started = start(portal, 2, alice, bob, carol);
            MobileAuthMessage message = alice.fetch(started.otp());
            alice.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200);

            alice.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(409)
                    .body("error", equalTo("ALREADY_HANDLED"));
            alice.fetchRaw(started.otp()).then().statusCode(409).body("error", equalTo("ALREADY_HANDLED"));
            portal.result(started.transactionId()).then().body("status", equalTo("SCANNED"))
                    .body("approvers", equalTo(List.of(alice.userId())));
        }

        @Test
        void aUserOutsideTheGroupIsToldWhatAnUnknownCodeTells() {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            TestDevice mallory = TestDevice.enrolled();
            Started started = start(portal, 2, alice, bob);
            OtpPayload payload = ((OtpDecoding.Accepted) OtpCodec.decode(started.otp())).payload();
            String wrongCode = OtpCodec.encode(new OtpPayload(payload.transactionId(),
                    dev.qrauth.protocol.otp.OtpCode.generate(new java.security.SecureRandom())));

            Response outsider = mallory.fetchRaw(started.otp());
            Response unknown = mallory.fetchRaw(wrongCode);
            assertThat(outsider.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(404);
            assertThat(outsider.jsonPath().getMap("")).isEqualTo(unknown.jsonPath().getMap(""));
            // Once a member scanned too.
            alice.fetch(started.otp());
            mallory.fetchRaw(started.otp()).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
            portal.result(started.transactionId()).then().body("status", equalTo("SCANNED"));
        }

        @Test
        void anAnswerAfterTheEndIsRefused() {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            TestDevice carol = TestDevice.enrolled();
            Started started = start(portal, 2, alice, bob, carol);
            MobileAuthMessage carols = carol.fetch(started.otp());
            alice.answerRaw(MobileAuthAnswer.confirm(alice.fetch(started.otp()), null)).then().statusCode(200);
            bob.answerRaw(MobileAuthAnswer.confirm(bob.fetch(started.otp()), null)).then().statusCode(200)
                    .body("status", equalTo("CONFIRMED"));

            carol.answerRaw(MobileAuthAnswer.confirm(carols, null)).then().statusCode(409)
                    .body("error", equalTo("ALREADY_HANDLED"));
            carol.answerRaw(MobileAuthAnswer.deny(carols, null)).then().statusCode(409);
            portal.result(started.transactionId()).then().body("status", equalTo("CONFIRMED"))
                    .body("approvers", equalTo(List.of(alice.userId(), bob.userId())));
        }

        @Test
        void anAnswerWithAnotherFetchsNonceIsRefused() {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            Started started = start(portal, 2, alice, bob);
            MobileAuthMessage stale = alice.fetch(started.otp());
            alice.fetch(started.otp());
            alice.answerRaw(MobileAuthAnswer.confirm(stale, null)).then().statusCode(422)
                    .body("error", equalTo("INVALID_ANSWER"));
            portal.result(started.transactionId()).then().body("approvers", equalTo(List.of()));
        }

        @Test
        void aForgedAnswerIsRefusedAndChangesNothing() {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            Started started = start(portal, 2, alice, bob);
            MobileAuthMessage message = alice.fetch(started.otp());
            MobileAuthAnswer answer = MobileAuthAnswer.confirm(message, null);

            alice.sendSealed(started.transactionId(), new dev.qrauth.protocol.message.SealedMessage(
                            answer.transactionId(), alice.seal(answer, TestApi.PGP.generateKey("forger"))))
                    .then().statusCode(422).body("error", equalTo("INVALID_ANSWER"));
            portal.result(started.transactionId()).then().body("approvers", equalTo(List.of()));
            alice.answerRaw(answer).then().statusCode(200).body("status", equalTo("SCANNED"));
        }

        @Test
        void aUserWhoDidNotFetchCannotAnswer() {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            Started started = start(portal, 2, alice, bob);
            MobileAuthMessage message = alice.fetch(started.otp());

            // Bob answers with what Alice's phone was sent (same transaction, not his fetch).
            bob.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(404)
                    .body("error", equalTo("NOT_FOUND"));
            portal.result(started.transactionId()).then().body("approvers", equalTo(List.of()));
        }

        /** An enrolled phone whose user has a duress PIN, acting in a session opened with it. */
        TestDevice phoneUnderDuress() {
            TestDevice phone = TestDevice.enrolled();
            phone.registered.session(phone.accessToken).body(Map.of("duress_pin", DuressPinTest.DURESS_PIN))
                    .put("/device/api/v1/users/{u}/duress-pin", phone.userId()).then().statusCode(204);
            return phone.withSession(phone.registered.login(DuressPinTest.DURESS_PIN));
        }

        @ParameterizedTest
        @ValueSource(strings = {"flag", "refuse"})
        void anApprovalUnderDuressIsFlaggedOrRefusedAsTheTypeSays(String policy) {
            TestPortal portal = TestPortal.create();
            TestDevice alice = phoneUnderDuress();
            TestDevice bob = TestDevice.enrolled();
            String type = unique("four-eyes");
            admin().body(Map.of("name", type, "method", "OTP", "time_to_live_seconds", 120, "default_message",
                            "Approve", "required_approvals", 2, "duress", policy))
                    .post(TYPES).then().statusCode(201);
            Response response = initiate(portal, type, alice.userId() + "," + bob.userId())
                    .then().statusCode(200).extract().response();
            String id = response.path("transaction_id");

            // The phone is told what an approval that leaves others to come is told, either way.
            alice.answerRaw(MobileAuthAnswer.confirm(alice.fetch(response.path("otp")), null)).then().statusCode(200)
                    .body("status", equalTo("SCANNED"));
            if (policy.equals("refuse")) {
                portal.result(id).then().body("status", equalTo("REJECTED")).body("duress", equalTo(true))
                        .body("approvers", equalTo(List.of()));
                return;
            }
            bob.answerRaw(MobileAuthAnswer.confirm(bob.fetch(response.path("otp")), null)).then().statusCode(200)
                    .body("status", equalTo("CONFIRMED"));
            portal.result(id).then().body("status", equalTo("CONFIRMED")).body("duress", equalTo(true))
                    .body("approvers", equalTo(List.of(alice.userId(), bob.userId())));
        }

        @Test
        void oneApprovalAndThenExpiryExpires() throws Exception {
            TestPortal portal = TestPortal.create();
            TestDevice alice = TestDevice.enrolled();
            TestDevice bob = TestDevice.enrolled();
            Started started = start(portal, 2, alice, bob);
            alice.answerRaw(MobileAuthAnswer.confirm(alice.fetch(started.otp()), null)).then().statusCode(200);
            MobileAuthMessage bobs = bob.fetch(started.otp());
            sql("UPDATE mobile_auth_transaction SET expires_at = now() - interval '1 second' WHERE transaction_id = ?",
                    started.transactionId());
            QuarkusTransaction.requiringNew().call(() -> transactions.expireDue(1000));

            bob.answerRaw(MobileAuthAnswer.confirm(bobs, null)).then().statusCode(404);
            portal.result(started.transactionId()).then().body("status", equalTo("EXPIRED"))
                    .body("is_authenticated", equalTo(false)).body("approvers", equalTo(List.of(alice.userId())));
        }
    }

    /**
     * Many four-eyes transactions (2 of 3), each answered at once by its three approvers, each
     * answer sent twice from two threads, while each approver also fetches again: none ends
     * confirmed with fewer than two distinct approvers, none lists a user twice, and each has
     * exactly one final callback.
     */
    @Test
    void concurrentApprovalsNeverConfirmShortOrTwice() throws Exception {
        TestPortal portal = TestPortal.create();
        TestDevice[] phones = {TestDevice.enrolled(), TestDevice.enrolled(), TestDevice.enrolled()};
        int count = 12;
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            List<String> ids = new ArrayList<>();
            for (int t = 0; t < count; t++) {
                Started started = start(portal, 2, phones);
                ids.add(started.transactionId());
                List<Callable<Integer>> attempts = new ArrayList<>();
                for (TestDevice phone : phones) {
                    MobileAuthMessage message = phone.fetch(started.otp());
                    MobileAuthAnswer answer = MobileAuthAnswer.confirm(message, null);
                    attempts.add(() -> phone.answerRaw(answer).statusCode());
                    attempts.add(() -> phone.answerRaw(answer).statusCode());
                    attempts.add(() -> phone.fetchRaw(started.otp()).statusCode());
                }
                List<Integer> accepted = new ArrayList<>();
                for (Future<Integer> result : pool.invokeAll(attempts)) {
                    accepted.add(result.get(30, TimeUnit.SECONDS));
                }
                assertThat(accepted).doesNotContain(500);
                Response raced = portal.result(started.transactionId());
                List<String> approvedInTheRace = raced.path("approvers");
                assertThat(approvedInTheRace).doesNotHaveDuplicates();
                if (!"CONFIRMED".equals(raced.path("status"))) {
                    // A fetch again may have replaced an approver's nonce before that approver's
                    // answer arrived: that answer was refused, and the transaction waits for
                    // another. Still open, with fewer than two approvals, it is finished one phone
                    // at a time by the members who have not approved.
                    assertThat((String) raced.path("status")).isEqualTo("SCANNED");
                    assertThat(approvedInTheRace).hasSizeLessThan(2);
                    for (TestDevice phone : phones) {
                        if (!approvedInTheRace.contains(phone.userId())
                                && !"CONFIRMED".equals(portal.result(started.transactionId()).path("status"))) {
                            MobileAuthMessage message = phone.fetch(started.otp());
                            phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200);
                        }
                    }
                }
            }
            for (String id : ids) {
                Response result = portal.result(id);
                assertThat((String) result.path("status")).as(id).isEqualTo("CONFIRMED");
                List<String> approvers = result.path("approvers");
                assertThat(approvers).doesNotHaveDuplicates().hasSize(2);
                assertThat(callbacks(id).stream().filter("CONFIRMED"::equals).count()).isEqualTo(1);
            }
            assertThat(count("SELECT count(*) FROM mobile_auth_transaction WHERE required_approvals > 1 AND "
                    + "(status = 'CONFIRMED' AND cardinality(approved_by) < required_approvals "
                    + "OR cardinality(approved_by) <> (SELECT count(DISTINCT u) FROM unnest(approved_by) u))")).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> callbacks(String transactionId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT status FROM callback_outbox "
                     + "WHERE transaction_id = ? ORDER BY id")) {
            query.setObject(1, UUID.fromString(transactionId));
            List<String> statuses = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    statuses.add(rows.getString(1));
                }
            }
            return statuses;
        }
    }

    private long count(String query) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(query);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void sql(String update, String transactionId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(update)) {
            statement.setObject(1, UUID.fromString(transactionId));
            statement.executeUpdate();
        }
    }
}
