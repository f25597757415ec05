package dev.qrauth.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The run's clock and its warm-up curve: when the first flow started, when the measured window
 * opens and closes (in {@link System#nanoTime()}), and how many flows ended in each second since
 * the first one started, warm-up included.
 */
final class Timeline {

    private final long startNanos;
    private final long measureFromNanos;
    private final long measureUntilNanos;
    private final int durationSeconds;
    private final AtomicIntegerArray flowsPerSecond;

    /** A warm-up of {@code warmupSeconds} from {@code startNanos}, then a measured window of {@code durationSeconds}. */
    Timeline(long startNanos, int warmupSeconds, int durationSeconds) {
        this.startNanos = startNanos;
        this.measureFromNanos = startNanos + TimeUnit.SECONDS.toNanos(warmupSeconds);
        this.measureUntilNanos = measureFromNanos + TimeUnit.SECONDS.toNanos(durationSeconds);
        this.durationSeconds = durationSeconds;
        this.flowsPerSecond = new AtomicIntegerArray(warmupSeconds + durationSeconds + 1);
    }

    /** A warm-up of {@code warmupSeconds} from now, then a measured window of {@code durationSeconds}. */
    static Timeline startingNow(int warmupSeconds, int durationSeconds) {
        return new Timeline(System.nanoTime(), warmupSeconds, durationSeconds);
    }

    /** Whether a flow due at {@code nanos} counts in the figures: it is due within the measured window. */
    boolean measured(long nanos) {
        return nanos >= measureFromNanos;
    }

    /** Whether {@code nanos} is past the measured window, when no flow starts any more. */
    boolean over(long nanos) {
        return nanos >= measureUntilNanos;
    }

    /** Counts a flow that ended at {@code nanos} in its second. */
    void flowEnded(long nanos) {
        int second = (int) TimeUnit.NANOSECONDS.toSeconds(nanos - startNanos);
        if (second < flowsPerSecond.length()) {
            flowsPerSecond.incrementAndGet(second);
        }
    }

    /** Waits for the measured window to open: the flows run on other threads meanwhile. */
    void awaitMeasuredWindow() throws InterruptedException {
        sleepUntil(measureFromNanos);
    }

    /** Waits for the measured window to close. */
    void awaitEnd() throws InterruptedException {
        sleepUntil(measureUntilNanos);
    }

    /** Flows per second in 5-s steps from the first flow on, warm-up included. */
    List<Double> flowsPerSecondIn5sSteps() {
        List<Double> steps = new ArrayList<>();
        for (int from = 0; from + 5 <= seconds(); from += 5) {
            steps.add(sum(from, from + 5) / 5.0);
        }
        return steps;
    }

    /** The rate of the run's last 60 s, or of its measured window if that is shorter. */
    double steadyFlowsPerSecond() {
        int steadyWindow = Math.min(60, durationSeconds);
        return sum(seconds() - steadyWindow, seconds()) / (double) steadyWindow;
    }

    /**
     * How long the server took to reach 90% of its steady throughput: the start of the first 10-s
     * window whose rate is at least 90% of {@link #steadyFlowsPerSecond()}; null if none did.
     */
    Integer secondsTo90Percent() {
        double steady = steadyFlowsPerSecond();
        for (int from = 0; from + 10 <= seconds(); from++) {
            if (sum(from, from + 10) / 10.0 >= 0.9 * steady) {
                return from;
            }
        }
        return null;
    }

    private int seconds() {
        return flowsPerSecond.length() - 1;
    }

    private long sum(int fromSecond, int toSecond) {
        long total = 0;
        for (int i = Math.max(0, fromSecond); i < toSecond; i++) {
            total += flowsPerSecond.get(i);
        }
        return total;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
