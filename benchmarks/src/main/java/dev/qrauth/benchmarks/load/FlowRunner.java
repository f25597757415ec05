package dev.qrauth.benchmarks.load;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs flows through the warm-up and the measured window of a {@link Timeline}, in a closed loop
 * (a number of flows at a time) or an open loop (flows due at a rate, whether or not the server
 * keeps up), and samples the CPU of everyone on the machine at the window's edges.
 */
final class FlowRunner {

    /** Flows of the open loop in progress at once; past it, a due flow is counted as not started. */
    private static final int MAX_OPEN_FLOWS = 2048;

    private final Flow flow;
    private final Timeline timeline;
    private final Samples samples;
    private final TokenServerUnderTest server;

    FlowRunner(Flow flow, Timeline timeline, Samples samples, TokenServerUnderTest server) {
        this.flow = flow;
        this.timeline = timeline;
        this.samples = samples;
        this.server = server;
    }

    /** {@code concurrency} flows at a time, each starting when the last one ended. */
    CpuSample.Window closedLoop(int concurrency) throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            workers.execute(() -> {
                while (!timeline.over(System.nanoTime())) {
                    flow.run(System.nanoTime());
                }
            });
        }
        CpuSample.Window cpu = measuredWindow();
        workers.shutdown();
        workers.awaitTermination(Flow.TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        return cpu;
    }

    /** A flow due every 1/{@code rate} s. */
    CpuSample.Window openLoop(double rate) throws InterruptedException {
        ThreadPoolExecutor flows = new ThreadPoolExecutor(0, MAX_OPEN_FLOWS, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long intervalNanos = (long) (1_000_000_000L / rate);
        long first = System.nanoTime();
        clock.scheduleAtFixedRate(new Runnable() {
            long n;

            @Override
            public void run() {
                // Latency counts from when the flow was due, so a stalled server cannot hide it.
                long due = first + n++ * intervalNanos;
                if (timeline.over(due)) {
                    return;
                }
                try {
                    flows.execute(() -> flow.run(due));
                } catch (RuntimeException rejected) {
                    if (timeline.measured(due)) {
                        samples.error("driver overloaded: flow not started");
                    }
                }
            }
        }, 0, intervalNanos, TimeUnit.NANOSECONDS);
        CpuSample.Window cpu = measuredWindow();
        clock.shutdownNow();
        flows.shutdown();
        flows.awaitTermination(Flow.TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        return cpu;
    }

    private CpuSample.Window measuredWindow() throws InterruptedException {
        timeline.awaitMeasuredWindow();
        CpuSample start = CpuSample.of(server);
        timeline.awaitEnd();
        return new CpuSample.Window(start, CpuSample.of(server));
    }
}
