package dev.qrauth.benchmarks.load;

import java.net.URI;
import java.nio.file.Path;

/**
 * What one load run does, as {@link LoadCommandLine} read and checked it.
 *
 * @param server a running token server to measure, or {@code null} to start one from {@code tokenServerJar}
 * @param adminPassword the admin password of {@code server}, from the environment; {@code null} without it
 * @param rate flows due per second (the open loop), or 0 for the closed loop at {@code concurrency}
 * @param devices virtual devices to register, already worked out when the command line left it to the driver
 * @param jmh this run's JMH figures for the crypto floor, or {@code null}
 * @param heap the {@code -Xmx} of a started token server
 */
record LoadOptions(URI server, String adminPassword, int durationSeconds, int warmupSeconds, int concurrency,
                   double rate, int devices, Path out, Path jmh, String heap, Path tokenServerJar, long oldRows) {

    boolean openLoop() {
        return rate > 0;
    }

    /** Without the admin password: options end up in logs and failure messages. */
    @Override
    public String toString() {
        return "LoadOptions[server=" + server + ", duration=" + durationSeconds + ", warmup=" + warmupSeconds
                + ", concurrency=" + concurrency + ", rate=" + rate + ", devices=" + devices + ", out=" + out
                + ", jmh=" + jmh + ", heap=" + heap + ", tokenServerJar=" + tokenServerJar + ", oldRows=" + oldRows + "]";
    }
}
