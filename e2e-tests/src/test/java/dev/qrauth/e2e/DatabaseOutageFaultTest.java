package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.testkit.CallbackInbox;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** PostgreSQL stopped and started again under a running token server. */
@Tag("faults")
class DatabaseOutageFaultTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessFollowsTheDatabaseAndTheServerRecoversWithoutARestart() throws Exception {
        try (ExternalDatabase database = ExternalDatabase.start(); CallbackInbox inbox = CallbackInbox.start();
             TokenServerProcess server = TokenServerProcess.start(database.serverProperties().toArray(String[]::new))) {
            FaultFlows.Client client = FaultFlows.client(server, inbox.uri());
            FaultFlows.type(server, "login", 120);
            UserClient phone = FaultFlows.phone(server);
            List<String> confirmed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                TokenServerProcess.Response started = FaultFlows.initiate(server, client, "login", inbox.uri());
                assertThat(Outcome.confirm(phone, started.string("otp"))).isEqualTo("CONFIRMED");
                confirmed.add(started.string("transaction_id"));
            }
            // Open when the database goes: one scanned, several not yet.
            List<String[]> open = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                TokenServerProcess.Response started = FaultFlows.initiate(server, client, "login", inbox.uri());
                open.add(new String[] {started.string("transaction_id"), started.string("otp")});
            }
            assertThat(readiness(server)).isEqualTo(200);

            Instant stopped = Instant.now();
            database.stop();
            assertThat(awaitReadiness(server, 503, Duration.ofSeconds(30))).as("readiness went down").isTrue();
            long downDetectedMillis = Duration.between(stopped, Instant.now()).toMillis();
            TokenServerProcess.Response refused = FaultFlows.initiate(server, client, "login", inbox.uri());
            assertThat(refused.status()).as("initiation without a database").isEqualTo(503);
            assertThat(refused.body()).as("its error body").containsEntry("error_code", "9005");
            assertThat(Outcome.confirm(phone, open.get(0)[1])).as("a phone without the server's database")
                    .isIn("SERVER_NOT_REACHABLE", "NETWORK_CONNECTIVITY_FAILURE");
            int statusDuringOutage = refused.status();

            Instant restarted = Instant.now();
            database.startAgain();
            assertThat(awaitReadiness(server, 200, Duration.ofSeconds(60))).as("readiness came back").isTrue();
            long upDetectedMillis = Duration.between(restarted, Instant.now()).toMillis();

            // The same process serves again: the transactions left open can be answered, new ones too.
            String stillPending = FaultFlows.status(server, client, open.get(0)[0]);
            for (String[] transaction : open.subList(1, open.size())) {
                assertThat(Outcome.confirm(phone, transaction[1])).isEqualTo("CONFIRMED");
                confirmed.add(transaction[0]);
            }
            for (int i = 0; i < 5; i++) {
                TokenServerProcess.Response started = FaultFlows.initiate(server, client, "login", inbox.uri());
                assertThat(started.status()).isEqualTo(200);
                assertThat(Outcome.confirm(phone, started.string("otp"))).isEqualTo("CONFIRMED");
                confirmed.add(started.string("transaction_id"));
            }
            for (String transaction : confirmed) {
                assertThat(FaultFlows.status(server, client, transaction)).isEqualTo("CONFIRMED");
                assertThat(inbox.await(transaction, "CONFIRMED", Duration.ofSeconds(30))).as(transaction).isPresent();
            }
            // Nothing half-done: every finished transaction has its finish time and its callback, and
            // the one the phone failed on is still open (or was rightly expired), never answered twice.
            assertThat(database.count("SELECT count(*) FROM mobile_auth_transaction WHERE status IN "
                    + "('CONFIRMED', 'REJECTED', 'EXPIRED', 'CANCELLED') AND finished_at IS NULL")).isZero();
            assertThat(database.count("SELECT count(*) FROM mobile_auth_transaction t WHERE t.status IN "
                    + "('CONFIRMED', 'REJECTED', 'EXPIRED') AND NOT EXISTS (SELECT 1 FROM callback_outbox o "
                    + "WHERE o.transaction_id = t.transaction_id AND o.status = t.status)")).isZero();
            assertThat(database.count("SELECT count(*) FROM callback_outbox GROUP BY transaction_id, status "
                    + "ORDER BY count(*) DESC LIMIT 1")).isEqualTo(1);
            assertThat(stillPending).isIn("PENDING", "SCANNED");

            Figures.record("database-outage", "readiness_down_after_ms=" + downDetectedMillis
                    + " readiness_up_after_restart_ms=" + upDetectedMillis + " status_during_outage=" + statusDuringOutage
                    + " flows_confirmed=" + confirmed.size() + " server_restarts=0");
        }
    }

    private int readiness(TokenServerProcess server) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(server.uri.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    private boolean awaitReadiness(TokenServerProcess server, int status, Duration timeout) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> readiness(server) == status);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
