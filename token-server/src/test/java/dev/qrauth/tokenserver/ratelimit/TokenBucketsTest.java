package dev.qrauth.tokenserver.security;

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
    void sourceAddressesCountIpv6ByItsSlash64() {
        assertThat(SourceAddress.keyOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))
                .isEqualTo(SourceAddress.keyOf("2001:db8:1:2::1")).endsWith("/64");
        assertThat(SourceAddress.keyOf("2001:db8:1:3::1")).isNotEqualTo(SourceAddress.keyOf("2001:db8:1:2::1"));
        assertThat(SourceAddress.keyOf("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(SourceAddress.keyOf("192.0.2.7")).isEqualTo("192.0.2.7");
    }
}
