package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.testkit.CallbackInbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code kill -9} of the token server under load, then a restart on the same database. */
@Tag("faults")
class CrashRecoveryFaultTest {

    static final int FLOWS = 500;
    static final int PHONES = 25;
    static final int KILL_AFTER_ANSWERS = 150;
    static final int TIME_TO_LIVE_SECONDS = 30;

    @Test
    void aKilledServerLosesNothingItCommittedAndEveryTransactionEndsOnce() throws Exception {
        try (ExternalDatabase database = ExternalDatabase.start(); CallbackInbox inbox = CallbackInbox.start()) {
            List<String> properties = new ArrayList<>(database.serverProperties());
            properties.add("tokenserver.initiation.rate=100000");
            properties.add("tokenserver.initiation.burst=100000");
            TokenServerProcess[] server = {TokenServerProcess.start(properties.toArray(String[]::new))};
            try {
                FaultFlows.Client client = FaultFlows.client(server[0], inbox.uri());
                FaultFlows.type(server[0], "crash", TIME_TO_LIVE_SECONDS);
                List<UserClient> phones = new ArrayList<>();
                for (int i = 0; i < PHONES; i++) {
                    phones.add(FaultFlows.phone(server[0]));
                }
                Queue<String[]> pending = new ConcurrentLinkedQueue<>();
                List<String> transactions = new ArrayList<>();
                for (int i = 0; i < FLOWS; i++) {
                    TokenServerProcess.Response started = FaultFlows.initiate(server[0], client, "crash", inbox.uri());
                    assertThat(started.status()).isEqualTo(200);
                    transactions.add(started.string("transaction_id"));
                    pending.add(new String[] {started.string("transaction_id"), started.string("otp"), i % 5 == 0 ? "deny" : "confirm"});
                }

                // Phones work through the 500 flows; at 150 answers the server is killed mid-flight.
                Map<String, String> phoneSaw = new ConcurrentHashMap<>();
                AtomicInteger answers = new AtomicInteger();
                CountDownLatch killed = new CountDownLatch(1);
                CountDownLatch restarted = new CountDownLatch(1);
                ExecutorService workers = Executors.newFixedThreadPool(PHONES);
                for (UserClient phone : phones) {
                    workers.submit(() -> {
                        String[] flow;
                        while ((flow = pending.poll()) != null) {
                            if (killed.getCount() == 0) {
                                restarted.await();
                            }
                            String outcome = "deny".equals(flow[2])
                                    ? Outcome.handle(phone, flow[1], (request, answer) -> answer.deny())
                                    : Outcome.confirm(phone, flow[1]);
                            phoneSaw.put(flow[0], outcome);
                            if (answers.incrementAndGet() == KILL_AFTER_ANSWERS) {
                                killed.countDown();
                            }
                        }
                        return null;
                    });
                }
                assertThat(killed.await(60, TimeUnit.SECONDS)).as("phones reached %d answers", KILL_AFTER_ANSWERS).isTrue();
                server[0].kill();
                int answeredBeforeKill = answers.get();
                Instant restartBegan = Instant.now();
                server[0] = server[0].restart();
                long restartMillis = Duration.between(restartBegan, Instant.now()).toMillis();
                restarted.countDown();
                workers.shutdown();
                assertThat(workers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();

                // Every transaction reaches a terminal state: answered ones kept, the rest expire.
                Map<String, String> finalStatus = new ConcurrentHashMap<>();
                Awaitility.await().atMost(Duration.ofSeconds(TIME_TO_LIVE_SECONDS + 60)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            for (String transaction : transactions) {
                                if (!finalStatus.containsKey(transaction)) {
                                    String status = FaultFlows.status(server[0], client, transaction);
                                    if (status != null && FaultFlows.TERMINAL.contains(status)) {
                                        finalStatus.put(transaction, status);
                                    }
                                }
                            }
                            assertThat(finalStatus).as("transactions in a terminal state").hasSize(FLOWS);
                        });

                // Nothing a phone was told is lost: a confirmation it saw is a confirmation on record.
                phoneSaw.forEach((transaction, outcome) -> {
                    if (outcome.equals("CONFIRMED")) {
                        assertThat(finalStatus.get(transaction)).as(transaction).isEqualTo("CONFIRMED");
                    } else if (outcome.equals("ACTION_CANCELLED")) {
                        assertThat(finalStatus.get(transaction)).as(transaction).isEqualTo("REJECTED");
                    }
                });

                // Every transaction's terminal callback arrives, and only that one terminal state.
                for (String transaction : transactions) {
                    assertThat(inbox.await(transaction, finalStatus.get(transaction), Duration.ofSeconds(60)))
                            .as("callback %s %s", transaction, finalStatus.get(transaction)).isPresent();
                }
                for (String transaction : transactions) {
                    assertThat(inbox.all(transaction).stream().map(FaultFlows::callbackStatus).collect(Collectors.toSet()))
                            .as(transaction).containsExactly(finalStatus.get(transaction));
                }
                assertThat(database.count("SELECT count(*) FROM mobile_auth_transaction WHERE status IN ('PENDING', 'SCANNED')"))
                        .isZero();
                // A callback received just before the kill, with its delivery not yet recorded, is
                // sent again once its lease runs out, and only then recorded.
                long unrecordedAtFirst = database.count("SELECT count(*) FROM callback_outbox WHERE delivered_at IS NULL");
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(database.count("SELECT count(*) FROM callback_outbox WHERE delivered_at IS NULL"))
                                .as("every callback recorded as delivered").isZero());

                Map<String, Long> byStatus = finalStatus.values().stream()
                        .collect(Collectors.groupingBy(status -> status, Collectors.counting()));
                Map<String, Long> phoneErrors = phoneSaw.values().stream()
                        .filter(outcome -> !outcome.equals("CONFIRMED") && !outcome.equals("ACTION_CANCELLED"))
                        .collect(Collectors.groupingBy(outcome -> outcome, Collectors.counting()));
                Figures.record("crash", "flows=" + FLOWS + " phones=" + PHONES + " answered_before_kill=" + answeredBeforeKill
                        + " outcomes=" + byStatus + " phone_errors=" + phoneErrors + " restart_ms=" + restartMillis
                        + " callbacks_received=" + inbox.all().size() + " duplicate_callbacks=" + (inbox.all().size() - FLOWS)
                        + " unrecorded_when_all_received=" + unrecordedAtFirst);
            } finally {
                server[0].close();
            }
        }
    }

    /**
     * The default deployment: the server's own embedded PostgreSQL. The database of a killed server
     * stops by itself (its watchdog; {@code ServerLifecycleTest}), or the restarted server stops
     * what is left; it starts again on the same data, and what was confirmed is still confirmed.
     */
    @Test
    void aKilledServerWithItsEmbeddedDatabaseRestartsOnItsData() throws Exception {
        try (CallbackInbox inbox = CallbackInbox.start()) {
            TokenServerProcess server = TokenServerProcess.start();
            try {
                FaultFlows.Client client = FaultFlows.client(server, inbox.uri());
                FaultFlows.type(server, "login", 120);
                UserClient phone = FaultFlows.phone(server);
                List<String> confirmed = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    TokenServerProcess.Response started = FaultFlows.initiate(server, client, "login", inbox.uri());
                    assertThat(Outcome.confirm(phone, started.string("otp"))).isEqualTo("CONFIRMED");
                    confirmed.add(started.string("transaction_id"));
                }
                ProcessHandle databaseBefore = server.embeddedDatabase().orElseThrow();

                server.kill();
                Instant restartBegan = Instant.now();
                server = server.restart();
                long restartMillis = Duration.between(restartBegan, Instant.now()).toMillis();

                assertThat(databaseBefore.isAlive()).as("the old PostgreSQL was stopped").isFalse();
                for (String transaction : confirmed) {
                    assertThat(FaultFlows.status(server, client, transaction)).isEqualTo("CONFIRMED");
                }
                TokenServerProcess.Response after = FaultFlows.initiate(server, client, "login", inbox.uri());
                assertThat(Outcome.confirm(phone, after.string("otp"))).isEqualTo("CONFIRMED");
                Figures.record("crash-embedded-database", "confirmed_before_kill=" + confirmed.size()
                        + " still_confirmed_after_restart=" + confirmed.size() + " restart_ms=" + restartMillis);
            } finally {
                server.close();
            }
        }
    }
}
