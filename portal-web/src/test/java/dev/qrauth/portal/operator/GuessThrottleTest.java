package dev.qrauth.portal.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GuessThrottleTest {

    private static final Instant NOW = Instant.parse("2026-12-03T15:00:00Z");

    @Test
    void tenFailuresAreAllowedAtOnceThenTheNextAttemptWaits() {
        GuessThrottle throttle = new GuessThrottle();
        for (int i = 0; i < GuessThrottle.BURST; i++) {
            assertThat(throttle.waitBefore(NOW)).as("attempt %d", i + 1).isZero();
            throttle.failed(NOW);
        }

        assertThat(throttle.waitBefore(NOW)).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void oneMoreAttemptIsAllowedForEachTenthOfAMinuteWaited() {
        GuessThrottle throttle = new GuessThrottle();
        for (int i = 0; i < GuessThrottle.BURST; i++) {
            throttle.failed(NOW);
        }

        assertThat(throttle.waitBefore(NOW.plusSeconds(4))).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.waitBefore(NOW.plusSeconds(6))).isZero();
        throttle.failed(NOW.plusSeconds(6));
        assertThat(throttle.waitBefore(NOW.plusSeconds(6))).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void aQuietHourRestoresTheWholeBurstAndNoMore() {
        GuessThrottle throttle = new GuessThrottle();
        for (int i = 0; i < GuessThrottle.BURST; i++) {
            throttle.failed(NOW);
        }
        Instant later = NOW.plus(Duration.ofHours(1));
        for (int i = 0; i < GuessThrottle.BURST; i++) {
            assertThat(throttle.waitBefore(later)).as("attempt %d", i + 1).isZero();
            throttle.failed(later);
        }

        assertThat(throttle.waitBefore(later)).isPositive();
    }
}
