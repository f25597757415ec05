package dev.qrauth.portal.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GuessThrottleTest {

    private static final Instant NOW = Instant.parse("2026-12-03T15:00:00Z");

    @Test
    void tenAttemptsAreAllowedAtOnceThenTheNextWaits() {
        GuessThrottle throttle = new GuessThrottle();
        for (int i = 0; i < GuessThrottle.BURST; i++) {
            assertThat(throttle.acquire(NOW)).as("attempt %d", i + 1).isZero();
        }

        assertThat(throttle.acquire(NOW)).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void oneMoreAttemptIsAllowedForEachTenthOfAMinuteWaited() {
        GuessThrottle throttle = new GuessThrottle();
        for (int i = 0; i < GuessThrottle.BURST; i++) {
            throttle.acquire(NOW);
        }

        assertThat(throttle.acquire(NOW.plusSeconds(4))).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.acquire(NOW.plusSeconds(6))).isZero();
        assertThat(throttle.acquire(NOW.plusSeconds(6))).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void aRightPasswordGivesItsTryBack() {
        GuessThrottle throttle = new GuessThrottle();
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.acquire(NOW)).as("login %d", i + 1).isZero();
            throttle.succeeded();
        }
    }

    @Test
    void aQuietHourRestoresTheWholeBurstAndNoMore() {
        GuessThrottle throttle = new GuessThrottle();
        for (int i = 0; i < GuessThrottle.BURST; i++) {
            throttle.acquire(NOW);
        }
        Instant later = NOW.plus(Duration.ofHours(1));
        for (int i = 0; i < GuessThrottle.BURST; i++) {
            assertThat(throttle.acquire(later)).as("attempt %d", i + 1).isZero();
        }

        assertThat(throttle.acquire(later)).isPositive();
    }

    @Test
    void attemptsSentAllAtOnceGetOnlyTheTriesThereAre() throws Exception {
        GuessThrottle throttle = new GuessThrottle();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Duration>> attempts = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                attempts.add(pool.submit(() -> {
                    go.await();
                    return throttle.acquire(NOW);
                }));
            }
            go.countDown();
            int allowed = 0;
            for (Future<Duration> attempt : attempts) {
                if (attempt.get(30, TimeUnit.SECONDS).isZero()) {
                    allowed++;
                }
            }
            assertThat(allowed).isEqualTo(GuessThrottle.BURST);
        } finally {
            pool.shutdownNow();
        }
    }
}
