package dev.qrauth.testkit.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * When each phase of the demo's start ended, counted from the start of this process (so the
 * checks and the build of bin/Demo.java are included).
 */
final class StartTimings {

    private final Instant origin = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    private final List<String> marks = new ArrayList<>();

    /** Timings that go on from the phases {@code bin/Demo.java} ended before (in order). */
    StartTimings(Map<String, Instant> earlier) {
        earlier.forEach(this::mark);
    }

    synchronized void mark(String phase) {
        mark(phase, Instant.now());
    }

    private synchronized void mark(String phase, Instant at) {
        marks.add(phase + " at " + seconds(Duration.between(origin, at)));
    }

    @Override
    public synchronized String toString() {
        return seconds(Duration.between(origin, Instant.now())) + ": " + String.join(", ", marks);
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
