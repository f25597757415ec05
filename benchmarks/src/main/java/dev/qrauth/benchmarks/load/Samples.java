package dev.qrauth.benchmarks.load;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Latencies per step and errors per kind, recorded from many threads. */
final class Samples {

    private final Map<String, ConcurrentLinkedQueue<Long>> nanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final AtomicLong flows = new AtomicLong();

    void record(String step, long elapsedNanos) {
        nanos.computeIfAbsent(step, s -> new ConcurrentLinkedQueue<>()).add(elapsedNanos);
    }

    void flowDone() {
        flows.incrementAndGet();
    }

    void error(String kind) {
        errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    long flows() {
        return flows.get();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<String, AtomicLong> errors() {
        return errors;
    }

    /** The {@code p}-th percentile (0 to 100) of a step, in milliseconds; NaN without samples. */
    double percentileMillis(String step, double p) {
        ConcurrentLinkedQueue<Long> queue = nanos.get(step);
        if (queue == null || queue.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = queue.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1_000_000.0;
    }
}
