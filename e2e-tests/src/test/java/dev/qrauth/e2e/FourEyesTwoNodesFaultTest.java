package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.testkit.CallbackInbox;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Four-eyes approval ({@code docs/PROTOCOL.md}, "Four-eyes approval") on two token-server nodes
 * sharing one PostgreSQL: every approver of every transaction answers at once, through either
 * node, one approver from two phones. No transaction is confirmed with fewer approvals than
 * required or lists an approver twice, and each is decided by exactly one answer.
 */
@Tag("faults")
class FourEyesTwoNodesFaultTest {

    static final int FLOWS = 40;
    static final int REQUIRED = 2;

    @Test
    void concurrentApprovalsOnTwoNodesCountDistinctApproversOnce() throws Exception {
        try (ExternalDatabase database = ExternalDatabase.start(); CallbackInbox inbox = CallbackInbox.start()) {
            String[] settings = database.serverProperties().toArray(String[]::new);
            try (TokenServerProcess first = TokenServerProcess.start(settings);
                 TokenServerProcess second = TokenServerProcess.start(settings)) {
                TokenServerProcess[] nodes = {first, second};
                FaultFlows.Client client = FaultFlows.client(first, inbox.uri());
                second.admin().createType(MobileAuthTypeView.otp("four-eyes", 120).withDefaultMessage("Approve the payment")
                        .withRequiredApprovals(REQUIRED, List.of()));

                // Three approvers, each registered on one node and answering on the other; the
                // first also has a second phone, on the other node again.
                List<String> users = new ArrayList<>();
                List<UserClient> phones = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String userId = "four-eyes-" + i + "-" + System.nanoTime();
                    users.add(userId);
                    phones.add(FaultFlows.phone(nodes[(i + 1) % 2].uri, userId,
                            nodes[i % 2].admin().createUser(userId).activationCode()));
                }
                phones.add(FaultFlows.phone(nodes[1].uri, users.get(0),
                        nodes[0].admin().issueActivationCode(users.get(0)).activationCode()));
                String approvers = String.join(",", users);

                ExecutorService workers = Executors.newFixedThreadPool(phones.size());
                List<String> transactions = new ArrayList<>();
                try {
                    for (int t = 0; t < FLOWS; t++) {
                        TokenServerProcess.Response started = nodes[t % 2].call("POST", "/oauth/api/v4/authenticate/user",
                                client.id(), client.secret(), "application/x-www-form-urlencoded",
                                "type=four-eyes&callback_uri=" + URLEncoder.encode(inbox.uri(), StandardCharsets.UTF_8)
                                        + "&approvers=" + URLEncoder.encode(approvers, StandardCharsets.UTF_8));
                        assertThat(started.status()).as("initiation %s", started.body()).isEqualTo(200);
                        String otp = started.string("otp");
                        transactions.add(started.string("transaction_id"));
                        List<Callable<String>> answers = new ArrayList<>();
                        for (UserClient phone : phones) {
                            answers.add(() -> Outcome.confirm(phone, otp));
                        }
                        List<String> told = new ArrayList<>();
                        for (Future<String> answer : workers.invokeAll(answers)) {
                            told.add(answer.get(60, TimeUnit.SECONDS));
                        }
                        // The first approval was counted, the second decided; every other phone
                        // was refused (the code already handled, or its nonce replaced by the
                        // same user's other phone).
                        Map<String, Long> byOutcome = told.stream()
                                .collect(Collectors.groupingBy(outcome -> outcome, Collectors.counting()));
                        assertThat(byOutcome).as("what the phones were told: %s", told)
                                .containsEntry("CONFIRMED", 1L).containsEntry("SCANNED", 1L);
                    }
                } finally {
                    workers.shutdownNow();
                }

                for (String transaction : transactions) {
                    assertThat(FaultFlows.status(nodes[0], client, transaction)).isEqualTo("CONFIRMED");
                    TokenServerProcess.Response result = nodes[1].call("GET",
                            "/oauth/api/v4/authenticate/transaction/" + transaction, client.id(), client.secret(), null, null);
                    @SuppressWarnings("unchecked")
                    List<String> listed = (List<String>) result.body().get("approvers");
                    assertThat(listed).as("approvers of %s", transaction).hasSize(REQUIRED).doesNotHaveDuplicates();
                    assertThat(users).containsAll(listed);
                    assertThat(inbox.await(transaction, "CONFIRMED", Duration.ofSeconds(60))).isPresent();
                }
                assertThat(database.count("SELECT count(*) FROM mobile_auth_transaction WHERE required_approvals > 1 "
                        + "AND (status <> 'CONFIRMED' OR cardinality(approved_by) <> required_approvals "
                        + "OR cardinality(approved_by) <> (SELECT count(DISTINCT u) FROM unnest(approved_by) u))"))
                        .isZero();
                assertThat(database.count("SELECT count(*) FROM callback_outbox WHERE status = 'CONFIRMED'"))
                        .isEqualTo(FLOWS);
                assertThat(database.count("SELECT count(*) FROM audit_event WHERE event_type = 'FOUR_EYES_APPROVAL'"))
                        .isEqualTo(FLOWS);
                Figures.record("four-eyes-two-nodes", "nodes=2 flows=" + FLOWS + " phones=" + phones.size()
                        + " required=" + REQUIRED);
            }
        }
    }
}
