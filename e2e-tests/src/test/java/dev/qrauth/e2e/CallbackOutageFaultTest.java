package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.testkit.CallbackInbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The portal's callback receiver down for 30 s: retried with backoff, all delivered afterwards, never elsewhere. */
@Tag("faults")
class CallbackOutageFaultTest {

    static final int FLOWS = 20;
    static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void callbacksWaitOutTheOutageAndNoneGoesToAnAddressOutsideTheAllowList() throws Exception {
        try (CallbackInbox portal = CallbackInbox.start(); CallbackInbox elsewhere = CallbackInbox.start();
             TokenServerProcess server = TokenServerProcess.start()) {
            FaultFlows.Client client = FaultFlows.client(server, portal.uri());
            FaultFlows.type(server, "login", 120);
            UserClient phone = FaultFlows.phone(server);

            portal.refuse(true);
            Instant outageBegan = Instant.now();
            List<String> transactions = new ArrayList<>();
            for (int i = 0; i < FLOWS; i++) {
                TokenServerProcess.Response started = FaultFlows.initiate(server, client, "login", portal.uri());
                assertThat(started.status()).isEqualTo(200);
                assertThat(Outcome.confirm(phone, started.string("otp"))).isEqualTo("CONFIRMED");
                transactions.add(started.string("transaction_id"));
            }
            // A portal that names a callback URI outside its allow-list is refused at once.
            TokenServerProcess.Response foreign = FaultFlows.initiate(server, client, "login", elsewhere.uri());
            assertThat(foreign.status()).isEqualTo(400);
            assertThat(foreign.string("error_message")).contains("allow-list");

            // The outage lasts its 30 s, and at least until the server has been seen retrying the
            // first callback three times (a loaded machine may retry later than planned).
            Instant outageEnds = outageBegan.plus(OUTAGE);
            String first = transactions.get(0);
            Awaitility.await("the outage's end").atMost(OUTAGE.plus(Duration.ofSeconds(90)))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> !Instant.now().isBefore(outageEnds) && refusedAttemptsOf(portal, first).size() >= 3);
            portal.refuse(false);
            Instant recovered = Instant.now();

            for (String transaction : transactions) {
                assertThat(portal.await(transaction, "CONFIRMED", Duration.ofSeconds(90))).as(transaction).isPresent();
            }
            Duration drained = Duration.between(recovered, Instant.now());
            assertThat(elsewhere.all()).isEmpty();
            assertThat(elsewhere.refused()).isEmpty();

            // Retries back off: for each callback the gaps between refused attempts grow.
            List<CallbackInbox.Refused> refused = portal.refused();
            List<Instant> times = refusedAttemptsOf(portal, first);
            int attemptsOfFirst = times.size();
            assertThat(times).as("attempts during the outage").hasSizeBetween(3, 10);
            Duration firstGap = Duration.between(times.get(0), times.get(1));
            Duration lastGap = Duration.between(times.get(times.size() - 2), times.get(times.size() - 1));
            assertThat(lastGap).isGreaterThan(firstGap);

            Figures.record("callback-outage", "flows=" + FLOWS + " outage_s=" + OUTAGE.toSeconds()
                    + " refused_attempts=" + refused.size() + " attempts_of_first_during_outage=" + attemptsOfFirst
                    + " first_gap_ms=" + firstGap.toMillis() + " last_gap_ms=" + lastGap.toMillis()
                    + " all_delivered_after_recovery_ms=" + drained.toMillis()
                    + " deliveries_outside_allow_list=" + elsewhere.all().size());
        }
    }

    /** When the portal refused the callbacks of {@code transaction}, earliest first. */
    private static List<Instant> refusedAttemptsOf(CallbackInbox portal, String transaction) {
        return portal.refused().stream().filter(r -> r.text().contains(transaction))
                .map(CallbackInbox.Refused::at).sorted(Comparator.naturalOrder()).toList();
    }
}
