package dev.qrauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The run's clock and the warm-up curve of the report, on a clock given by the test. */
class TimelineTest {

    private static final long START = 1_000_000_000_000L;

    @Test
    void flowsDueFromTheEndOfTheWarmUpAreMeasuredUntilTheWindowCloses() {
        Timeline timeline = new Timeline(START, 10, 20);

        assertThat(timeline.measured(at(9.999))).isFalse();
        assertThat(timeline.measured(at(10))).isTrue();
        assertThat(timeline.over(at(29.999))).isFalse();
        assertThat(timeline.over(at(30))).isTrue();
    }

    @Test
    void theCurveShowsWhenNinetyPercentOfTheSteadyRateWasFirstReached() {
        Timeline timeline = new Timeline(START, 10, 20);
        // 1 flow a second for the first 10 s, then 10 a second.
        for (int second = 0; second < 30; second++) {
            for (int i = 0; i < (second < 10 ? 1 : 10); i++) {
                timeline.flowEnded(at(second + 0.5));
            }
        }
        timeline.flowEnded(at(31.5)); // after the run: not counted

        assertThat(timeline.flowsPerSecondIn5sSteps()).containsExactly(1.0, 1.0, 10.0, 10.0, 10.0, 10.0);
        assertThat(timeline.steadyFlowsPerSecond()).isEqualTo(10.0);
        // The 10-s window from second 9 has 1 + 9 * 10 = 91 flows: 9.1 a second.
        assertThat(timeline.secondsTo90Percent()).isEqualTo(9);
    }

    @Test
    void aRunShorterThanTenSecondsHasNoTimeTo90Percent() {
        Timeline timeline = new Timeline(START, 0, 5);
        timeline.flowEnded(at(1));

        assertThat(timeline.secondsTo90Percent()).isNull();
        assertThat(timeline.steadyFlowsPerSecond()).isEqualTo(0.2);
    }

    private static long at(double seconds) {
        return START + (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }
}
