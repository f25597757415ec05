package dev.qrauth.tokenserver.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {

    final AtomicLong nanos = new AtomicLong(1_000);
    final TokenBuckets buckets = new TokenBuckets(3, Duration.ofSeconds(60), 1_000, nanos::get);

    @Test
    void aKeySpendsItsCapacityThenWaitsForTheRefill() {
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isEqualTo(20);
        assertThat(buckets.take("b")).as("another key has its own budget").isZero();
        nanos.addAndGet(Duration.ofSeconds(19).toNanos());
        assertThat(buckets.waitFor("a")).isEqualTo(1);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(buckets.take("a")).isZero();
    }

    @Test
    void aTokenGivenBackCanBeTakenAgain() {
        for (int i = 0; i < 3; i++) {
            buckets.take("a");
        }
        buckets.giveBack("a");
        assertThat(buckets.waitFor("a")).isZero();
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isPositive();
    }

    @Test
    void anIdleKeyIsFullAgain() {
        for (int i = 0; i < 3; i++) {
            buckets.take("a");
        }
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take("a")).isZero();
        }
        assertThat(buckets.take("a")).isPositive();
    }

    @Test
    void aRateIsGivenPerSecondWithItsBurst() {
        TokenBuckets perSecond = TokenBuckets.perSecond(2, 4, 1_000, Duration.ZERO, nanos::get);
        for (int i = 0; i < 4; i++) {
            assertThat(perSecond.take("client")).isZero();
        }
        assertThat(perSecond.take("client")).isEqualTo(1);
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(perSecond.take("client")).as("half a second at 2 per second is one token").isZero();
        assertThat(perSecond.take("client")).isEqualTo(1);
    }

    @Test
    void aChangedLimitAppliesFromEachBucketsNextUse() {
        TokenBuckets perSecond = TokenBuckets.perSecond(10, 10, 1_000, Duration.ZERO, nanos::get);
        for (int i = 0; i < 4; i++) {
            perSecond.take("used");
        }

        perSecond.limit(1, 3);

        for (int i = 0; i < 3; i++) {
            assertThat(perSecond.take("used")).as("six tokens left, three above the new burst dropped").isZero();
            assertThat(perSecond.take("new-" + i)).isZero();
        }
        assertThat(perSecond.take("used")).isEqualTo(1);
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(perSecond.take("used")).as("refilled at the new rate, one per second").isEqualTo(1);
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(perSecond.take("used")).isZero();
    }

    @Test
    void aChangedLimitKeepsBucketsUntilTheyWouldBeFull() {
        TokenBuckets perSecond = TokenBuckets.perSecond(10, 10, 1_000, Duration.ZERO, nanos::get);
        perSecond.limit(1, 10);
        for (int i = 0; i < 10; i++) {
            perSecond.take("a");
        }
        // Under the first limit an idle bucket was dropped after one second; under this one it
        // takes ten to fill, so after five it still has only five tokens.
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        for (int i = 0; i < 5; i++) {
            assertThat(perSecond.take("a")).isZero();
        }
        assertThat(perSecond.take("a")).isPositive();
    }
}
