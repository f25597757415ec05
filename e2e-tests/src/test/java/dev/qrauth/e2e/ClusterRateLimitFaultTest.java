package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.testkit.CallbackInbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The initiation rate limit of two token-server nodes on one PostgreSQL holds for the pair, and
 * passes whole to the survivor when one node dies (docs/SCALING.md).
 *
 * <p>Counting: over a window in which the client's buckets are pressed without pause, the nodes
 * can admit at most what their buckets held at the start (the burst, shared) plus what they
 * refilled during the window (the rate times the window, measured from before the first request
 * was sent to after the last answer came), and at least the refill during the part of the window
 * in which requests were certainly being taken (from the first answer to the last request sent),
 * less one token per node still in its bucket at the end. The tolerance is one token per node on
 * top of the ceiling, for the difference between the test's clock and the servers'.
 */
@Tag("faults")
class ClusterRateLimitFaultTest {

    static final double RATE = 10;
    static final int BURST = 10;
    static final Duration MEMBER_TIMEOUT = Duration.ofSeconds(3);
    static final int THREADS = 8;
    static final Pattern MEMBERS = Pattern.compile("(?m)^qrauth_cluster_members(?:\\{[^}]*})? ([0-9.eE+-]+)$");

    @Test
    void twoNodesAdmitTheConfiguredRateTogetherAndTheSurvivorAllOfItWhenOneDies() throws Exception {
        try (ExternalDatabase database = ExternalDatabase.start(); CallbackInbox inbox = CallbackInbox.start()) {
            List<String> properties = new ArrayList<>(database.serverProperties());
            properties.add("tokenserver.initiation.rate=" + RATE);
            properties.add("tokenserver.initiation.burst=" + BURST);
            properties.add("tokenserver.cluster.heartbeat-interval=PT0.5S");
            properties.add("tokenserver.cluster.member-timeout=" + MEMBER_TIMEOUT);
            String[] settings = properties.toArray(String[]::new);
            try (TokenServerProcess first = TokenServerProcess.start(settings);
                 TokenServerProcess second = TokenServerProcess.start(settings)) {
                FaultFlows.Client client = FaultFlows.client(first, inbox.uri());
                FaultFlows.type(second, "login", 120);
                awaitMembers(first, 2, Duration.ofSeconds(30));
                awaitMembers(second, 2, Duration.ofSeconds(30));

                Window both = press(List.of(first, second), client, inbox.uri(), Duration.ofSeconds(2));
                assertThat(both.refused()).as("pressed at least twice the cluster's limit: %s", both)
                        .isGreaterThanOrEqualTo(both.accepted());
                assertThat((double) both.accepted()).as("two nodes admit the cluster's rate, not twice it: %s", both)
                        .isLessThanOrEqualTo(BURST + RATE * both.outerSeconds() + 2)
                        .isGreaterThanOrEqualTo(RATE * both.innerSeconds() - 2);

                Instant killed = Instant.now();
                second.kill();
                awaitMembers(first, 1, MEMBER_TIMEOUT.plusSeconds(30));
                Duration detected = Duration.between(killed, Instant.now());

                Window alone = press(List.of(first), client, inbox.uri(), Duration.ofSeconds(3));
                double halfShareCeiling = BURST / 2.0 + RATE / 2 * alone.outerSeconds() + 1;
                assertThat(RATE * alone.innerSeconds() - 1).as("the window tells a whole share from half of one")
                        .isGreaterThan(halfShareCeiling);
                assertThat((double) alone.accepted()).as("the survivor takes the whole rate: %s", alone)
                        .isLessThanOrEqualTo(BURST + RATE * alone.outerSeconds() + 1)
                        .isGreaterThanOrEqualTo(RATE * alone.innerSeconds() - 1);

                Figures.record("cluster-rate-limit", String.format(java.util.Locale.ROOT,
                        "rate=%.0f/s burst=%d; two nodes: %s; one node died, the other counted it gone after %.1f s "
                                + "(member timeout %s); survivor alone: %s",
                        RATE, BURST, both, detected.toMillis() / 1000.0, MEMBER_TIMEOUT, alone));
            }
            assertThat(database.count("SELECT count(*) FROM cluster_member"))
                    .as("the dead node's row removed by the survivor, the survivor's by itself when it stopped").isZero();
        }
    }

    /** What a window of pressing admitted and refused, and its outer and inner lengths. */
    record Window(long accepted, long refused, double outerSeconds, double innerSeconds) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d admitted, %d refused in %.2f s (%.2f s inner)",
                    accepted, refused, outerSeconds, innerSeconds);
        }
    }

    /** Initiations from {@link #THREADS} threads spread over {@code nodes} in turn, without pause, for {@code length}. */
    static Window press(List<TokenServerProcess> nodes, FaultFlows.Client client, String callbackUri, Duration length)
            throws Exception {
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong firstAnswer = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastSent = new AtomicLong(Long.MIN_VALUE);
        AtomicLong turn = new AtomicLong();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                running.add(threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        TokenServerProcess node = nodes.get((int) (turn.getAndIncrement() % nodes.size()));
                        lastSent.accumulateAndGet(System.nanoTime(), Math::max);
                        int status = FaultFlows.initiate(node, client, "login", callbackUri).status();
                        firstAnswer.accumulateAndGet(System.nanoTime(), Math::min);
                        if (status == 200) {
                            accepted.incrementAndGet();
                        } else {
                            assertThat(status).as("an initiation is admitted or refused by the rate limit").isEqualTo(429);
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> thread : running) {
                thread.get();
            }
        } finally {
            threads.shutdownNow();
        }
        long finished = System.nanoTime();
        return new Window(accepted.get(), refused.get(), (finished - start) / 1e9, (lastSent.get() - firstAnswer.get()) / 1e9);
    }

    /** Waits until {@code node} reports {@code expected} members on {@code /q/metrics}. */
    static void awaitMembers(TokenServerProcess node, int expected, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest metrics = HttpRequest.newBuilder(node.uri.resolve("/q/metrics")).timeout(Duration.ofSeconds(5))
                .header("Authorization", new BasicCredentials("admin", node.adminPassword).header())
                .build();
        Instant deadline = Instant.now().plus(timeout);
        String last = "(no answer)";
        while (Instant.now().isBefore(deadline)) {
            try {
                Matcher members = MEMBERS.matcher(http.send(metrics, HttpResponse.BodyHandlers.ofString()).body());
                if (members.find()) {
                    last = members.group(1);
                    if (Double.parseDouble(last) == expected) {
                        return;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // The poll interval, cut short if the node dies.
            assertThat(node.awaitExit(Duration.ofMillis(100))).as("the node exited: %s", node.log()).isEmpty();
        }
        throw new AssertionError("The node reported " + last + " members instead of " + expected + " within " + timeout);
    }
}
