package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The portal reads time from the one Clock bean, so a test can move it instead of waiting. */
@QuarkusTest
@TestProfile(PortalClockTest.MovedClock.class)
class PortalClockTest {

    /** Ten minutes ahead of the system clock: further than a callback signature's tolerance. */
    static final Duration AHEAD = Duration.ofMinutes(10);

    public static final class MovedClock implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(AheadClock.class);
        }
    }

    @Alternative
    @Singleton
    public static class AheadClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the portal reads instants only");
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(AHEAD);
        }
    }

    @Test
    void aCallbackSignatureIsJudgedByThePortalsClock() {
        byte[] body = Callbacks.body(UUID.randomUUID(), "CONFIRMED");

        assertThat(Callbacks.send(body, Callbacks.signature(body, Instant.now())).statusCode()).isEqualTo(401);
        assertThat(Callbacks.send(body, Callbacks.signature(body, Instant.now().plus(AHEAD))).statusCode())
                .isEqualTo(204);
    }
}
