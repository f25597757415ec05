package dev.qrauth.portal.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NewCodeLimiterTest {

    private static final Instant NOW = Instant.parse("2026-11-28T14:00:00Z");

    @Test
    void anAddressGetsItsBurstThenWaits() {
        NewCodeLimiter limiter = new NewCodeLimiter(3);
        for (int i = 0; i < 3; i++) {
            limiter.take("192.0.2.1", NOW);
        }

        assertThatThrownBy(() -> limiter.take("192.0.2.1", NOW))
                .isInstanceOfSatisfying(TooManyCodesException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(20)));
    }

    @Test
    void otherAddressesAreNotHeldUp() {
        NewCodeLimiter limiter = new NewCodeLimiter(1);
        limiter.take("192.0.2.1", NOW);

        limiter.take("192.0.2.2", NOW);
    }

    @Test
    void codesComeBackOverTime() {
        NewCodeLimiter limiter = new NewCodeLimiter(2);
        limiter.take("192.0.2.1", NOW);
        limiter.take("192.0.2.1", NOW);

        limiter.take("192.0.2.1", NOW.plusSeconds(30));
        assertThatThrownBy(() -> limiter.take("192.0.2.1", NOW.plusSeconds(30))).isInstanceOf(TooManyCodesException.class);
    }

    @Test
    void ipv6AddressesOfOneSlash64ShareABudget() {
        NewCodeLimiter limiter = new NewCodeLimiter(2);
        limiter.take("2001:db8:1:2::1", NOW);
        limiter.take("2001:db8:1:2:ffff:ffff:ffff:fffe", NOW);

        assertThatThrownBy(() -> limiter.take("2001:0db8:0001:0002:0:0:abcd:1", NOW)).isInstanceOf(TooManyCodesException.class);
        assertThatThrownBy(() -> limiter.take("2001:DB8:1:2::9", NOW)).isInstanceOf(TooManyCodesException.class);
    }

    @Test
    void ipv6AddressesOfDifferentSlash64sDoNot() {
        NewCodeLimiter limiter = new NewCodeLimiter(1);
        limiter.take("2001:db8:1:2::1", NOW);

        limiter.take("2001:db8:1:3::1", NOW);
        limiter.take("2001:db8:2:2::1", NOW);
        limiter.take("2001:db9:1:2::1", NOW);
    }

    @Test
    void ipv4AddressesKeepABudgetEach() {
        NewCodeLimiter limiter = new NewCodeLimiter(1);
        limiter.take("192.0.2.1", NOW);

        limiter.take("192.0.2.2", NOW);
        limiter.take("192.0.2.3", NOW);
        assertThatThrownBy(() -> limiter.take("192.0.2.1", NOW)).isInstanceOf(TooManyCodesException.class);
        // The same IPv4 address written as an IPv4-mapped IPv6 address is the same browser, and not
        // the whole ::ffff:0:0/96 block.
        assertThatThrownBy(() -> limiter.take("::ffff:192.0.2.1", NOW)).isInstanceOf(TooManyCodesException.class);
        limiter.take("::ffff:192.0.2.4", NOW);
    }

    @Test
    void bucketsAreNamedByAddressOrSlash64() {
        assertThat(NewCodeLimiter.bucketOf("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(NewCodeLimiter.bucketOf("2001:db8:1:2:3:4:5:6")).isEqualTo(NewCodeLimiter.bucketOf("2001:db8:1:2::"));
        assertThat(NewCodeLimiter.bucketOf("::1")).isNotEqualTo(NewCodeLimiter.bucketOf("127.0.0.1"));
        assertThat(NewCodeLimiter.bucketOf(null)).isEmpty();
        assertThat(NewCodeLimiter.bucketOf("not-an-address")).isEqualTo("not-an-address");
    }
}
