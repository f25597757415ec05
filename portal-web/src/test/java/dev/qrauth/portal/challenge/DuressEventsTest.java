package dev.qrauth.portal.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DuressEventsTest {

    private static DuressEvent event(int second) {
        return new DuressEvent(Instant.EPOCH.plusSeconds(second), Purpose.LOGIN, "alice", null, "127.0.0.1",
                UUID.randomUUID(), DuressEvent.Outcome.LOGGED_IN);
    }

    @Test
    void theNewestComeFirst() {
        DuressEvents events = new DuressEvents();
        DuressEvent first = event(1);
        DuressEvent second = event(2);
        events.record(first);
        events.record(second);

        assertThat(events.newestFirst()).containsExactly(second, first);
    }

    @Test
    void beyondItsCapacityTheOldestGo() {
        DuressEvents events = new DuressEvents(3);
        DuressEvent oldest = event(0);
        events.record(oldest);
        for (int i = 1; i <= 3; i++) {
            events.record(event(i));
        }

        assertThat(events.newestFirst()).hasSize(3).doesNotContain(oldest)
                .extracting(DuressEvent::at).containsExactly(
                        Instant.EPOCH.plusSeconds(3), Instant.EPOCH.plusSeconds(2), Instant.EPOCH.plusSeconds(1));
    }

    @Test
    void thePortalKeepsAThousand() {
        DuressEvents events = new DuressEvents();
        for (int i = 0; i < 1_001; i++) {
            events.record(event(i));
        }

        assertThat(events.newestFirst()).hasSize(1_000);
        assertThat(events.newestFirst().get(999).at()).isEqualTo(Instant.EPOCH.plusSeconds(1));
    }
}
