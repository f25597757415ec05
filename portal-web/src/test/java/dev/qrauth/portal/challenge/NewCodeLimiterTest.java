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
}
