package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.testkit.CallbackInbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two token-server nodes on one PostgreSQL, the load spread across both. */
@Tag("faults")
class TwoNodesFaultTest {

    static final int ANSWERED_FLOWS = 200;
    static final int EXPIRING_FLOWS = 100;
    static final int PHONES = 10;

    @Test
    void eachTransactionEndsOnceAndEachCallbackIsSentByOneNode() throws Exception {
        try (ExternalDatabase database = ExternalDatabase.start(); CallbackInbox inbox = CallbackInbox.start()) {
            List<String> properties = new ArrayList<>(database.serverProperties());
            properties.add("tokenserver.initiation.rate=100000");
            properties.add("tokenserver.initiation.burst=100000");
            String[] settings = properties.toArray(String[]::new);
            try (TokenServerProcess first = TokenServerProcess.start(settings);
                 TokenServerProcess second = TokenServerProcess.start(settings)) {
                TokenServerProcess[] nodes = {first, second};
                FaultFlows.Client client = FaultFlows.client(first, inbox.uri());
                FaultFlows.type(second, "login", 120);
                FaultFlows.type(first, "short", 10);

                // Phones registered on one node, answering on the other.
                List<UserClient> phones = new ArrayList<>();
                for (int i = 0; i < PHONES; i++) {
                    String userId = "two-nodes-" + i + "-" + System.nanoTime();
                    String activationCode = nodes[i % 2].admin().createUser(userId).activationCode();
                    phones.add(FaultFlows.phone(nodes[(i + 1) % 2].uri, userId, activationCode));
                }

                List<String> expiring = new ArrayList<>();
                for (int i = 0; i < EXPIRING_FLOWS; i++) {
                    TokenServerProcess.Response started = FaultFlows.initiate(nodes[i % 2], client, "short", inbox.uri());
                    assertThat(started.status()).isEqualTo(200);
                    expiring.add(started.string("transaction_id"));
                }
                Map<String, String> answered = new ConcurrentHashMap<>();
                ExecutorService workers = Executors.newFixedThreadPool(PHONES);
                for (int p = 0; p < PHONES; p++) {
                    UserClient phone = phones.get(p);
                    int index = p;
                    workers.submit(() -> {
                        for (int i = index; i < ANSWERED_FLOWS; i += PHONES) {
                            TokenServerProcess.Response started = FaultFlows.initiate(nodes[i % 2], client, "login", inbox.uri());
                            String outcome = i % 4 == 0
                                    ? Outcome.handle(phone, started.string("otp"), (request, answer) -> answer.deny())
                                    : Outcome.confirm(phone, started.string("otp"));
                            answered.put(started.string("transaction_id"), outcome.equals("CONFIRMED") ? "CONFIRMED" : "REJECTED");
                        }
                        return null;
                    });
                }
                workers.shutdown();
                assertThat(workers.awaitTermination(180, TimeUnit.SECONDS)).isTrue();
                assertThat(answered).hasSize(ANSWERED_FLOWS);

                Map<String, String> expected = new ConcurrentHashMap<>(answered);
                expiring.forEach(transaction -> expected.put(transaction, "EXPIRED"));
                for (Map.Entry<String, String> transaction : expected.entrySet()) {
                    assertThat(inbox.await(transaction.getKey(), transaction.getValue(), Duration.ofSeconds(60)))
                            .as("callback %s", transaction).isPresent();
                }
                // Count only when no delivery can still be on its way. Each claim of an outbox row
                // by either node is one POST to the inbox, which is up all along: once every row
                // is finished and the inbox holds as many deliveries as the rows had claims, no
                // node holds a claim whose POST has not arrived, and no row can be claimed again.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        database.count("SELECT count(*) FROM callback_outbox WHERE delivered_at IS NULL "
                                + "AND abandoned_at IS NULL") == 0
                        && database.count("SELECT coalesce(sum(attempts), 0) FROM callback_outbox") == inbox.all().size());
                // Delivery is at least once: a POST that arrived but whose answer the sending node
                // did not see (a reset, a timeout on a loaded machine) is sent again. What must hold:
                // every callback of a transaction reports its one final state, each outbox row had
                // exactly one attempt that succeeded, and every extra delivery is such a failed attempt.
                Map<String, List<Object>> attempts = new HashMap<>();
                for (List<Object> row : database.query("SELECT o.transaction_id::text, o.attempts, "
                        + "count(*) FILTER (WHERE a.http_status BETWEEN 200 AND 299), "
                        + "string_agg(coalesce(a.http_status::text, a.error), ', ' ORDER BY a.id) "
                        + "FROM callback_outbox o LEFT JOIN callback_attempt a ON a.outbox_id = o.id "
                        + "GROUP BY o.id")) {
                    attempts.put((String) row.get(0), row);
                }
                int duplicates = 0;
                List<String> resent = new ArrayList<>();
                for (Map.Entry<String, String> transaction : expected.entrySet()) {
                    List<CallbackInbox.Delivery> deliveries = inbox.all(transaction.getKey());
                    List<Object> row = attempts.get(transaction.getKey());
                    assertThat(row).as("the outbox row of %s", transaction).isNotNull();
                    assertThat(deliveries).as("callbacks of %s (attempts: %s)", transaction, row.get(3))
                            .isNotEmpty().hasSize(((Number) row.get(1)).intValue())
                            .allSatisfy(delivery -> assertThat(FaultFlows.callbackStatus(delivery))
                                    .isEqualTo(transaction.getValue()));
                    assertThat(((Number) row.get(2)).intValue()).as("successful attempts for %s (attempts: %s)",
                            transaction, row.get(3)).isEqualTo(1);
                    if (deliveries.size() > 1) {
                        resent.add(String.valueOf(row.get(3)));
                    }
                    assertThat(FaultFlows.status(nodes[0], client, transaction.getKey())).isEqualTo(transaction.getValue());
                    assertThat(FaultFlows.status(nodes[1], client, transaction.getKey())).isEqualTo(transaction.getValue());
                    duplicates += deliveries.size() - 1;
                }
                assertThat(database.count("SELECT count(*) FROM callback_outbox WHERE status = 'EXPIRED'"))
                        .isEqualTo(EXPIRING_FLOWS);
                assertThat(database.count("SELECT count(*) FROM callback_outbox")).isEqualTo(expected.size());

                Map<String, Long> outcomes = expected.values().stream()
                        .collect(Collectors.groupingBy(status -> status, Collectors.counting()));
                Figures.record("two-nodes", "nodes=2 flows=" + expected.size() + " outcomes=" + outcomes
                        + " callbacks_received=" + inbox.all().size() + " duplicate_callbacks=" + duplicates
                        + " resent_after=" + resent
                        + " expired_callbacks_in_outbox=" + EXPIRING_FLOWS);
            }
        }
    }
}
