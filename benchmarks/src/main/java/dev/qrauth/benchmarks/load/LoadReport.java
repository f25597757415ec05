package dev.qrauth.benchmarks.load;

import dev.qrauth.protocol.json.ProtocolJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one load run: a JSON file with the fields {@code docs/PERFORMANCE.md} names, in
 * that order, and the same figures as a table for people. CPU figures are per measured flow;
 * a figure that could not be measured is null.
 */
final class LoadReport {

    /** The timed steps of a flow, in their order within it; {@code flow} is the whole of it. */
    static final List<String> STEPS = List.of("initiate", "fetch", "answer", "answer_to_callback", "result", "flow");

    private final LoadOptions options;
    private final Samples samples;
    private final Timeline timeline;
    private final CpuSample.Window cpu;
    private final Double cryptoFloorMillis;
    private final long badCallbackSignatures;

    LoadReport(LoadOptions options, Samples samples, Timeline timeline, CpuSample.Window cpu, Double cryptoFloorMillis,
               long badCallbackSignatures) {
        this.options = options;
        this.samples = samples;
        this.timeline = timeline;
        this.cpu = cpu;
        this.cryptoFloorMillis = cryptoFloorMillis;
        this.badCallbackSignatures = badCallbackSignatures;
    }

    /** Writes the JSON file to {@code --out} and prints the table on {@code out}. */
    void write(PrintStream out) throws IOException {
        Map<String, Object> json = json();
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        Files.write(options.out(), ProtocolJson.write(json));
        print(json, out);
    }

    Map<String, Object> json() {
        double seconds = options.durationSeconds();
        long flows = samples.flows();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("flows_per_second", round(flows / seconds));
        json.put("flows", flows);
        json.put("errors", samples.errorCount());
        json.put("errors_by_kind", errorsByKind());
        for (String step : STEPS) {
            for (int p : new int[] {50, 95, 99}) {
                json.put(step + "_p" + p + "_ms", round(samples.percentileMillis(step, p)));
            }
        }
        json.put("server_cpu_ms_per_flow", perFlow(cpu.millis(CpuSample::server), flows));
        json.put("database_cpu_ms_per_flow", perFlow(cpu.millis(CpuSample::database), flows));
        // The driver's own share, and the whole machine's: on one machine all three share the cores.
        Long machineBusy = cpu.millis(CpuSample::machineBusy);
        Long machineSteal = cpu.millis(CpuSample::machineSteal);
        json.put("driver_cpu_ms_per_flow", perFlow(cpu.millis(CpuSample::driver), flows));
        json.put("machine_cpu_ms_per_flow", perFlow(machineBusy, flows));
        json.put("machine_busy_cores", machineBusy == null ? null : round(machineBusy / (seconds * 1000)));
        json.put("machine_steal_cores", machineSteal == null ? null : round(machineSteal / (seconds * 1000)));
        json.put("crypto_floor_ms_per_flow", cryptoFloorMillis == null ? null : round(cryptoFloorMillis));
        warmUpCurve(json);
        json.put("mode", options.openLoop() ? "open" : "closed");
        json.put("rate", options.openLoop() ? options.rate() : null);
        json.put("concurrency", options.openLoop() ? null : options.concurrency());
        json.put("duration_s", options.durationSeconds());
        json.put("warmup_s", options.warmupSeconds());
        json.put("devices", options.devices());
        json.put("server_heap", options.server() == null ? options.heap() : null);
        json.put("old_rows", options.oldRows());
        json.put("callback_bad_signatures", badCallbackSignatures);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        return json;
    }

    /**
     * The warm-up curve: flows per second in 5-s steps from the first flow on
     * ({@code timeline_flows_per_s}), the steady rate, and how long the server took to reach 90%
     * of it ({@code seconds_to_90_percent}). Run from a cold start with {@code --warmup 0} to
     * measure a cold server.
     */
    private void warmUpCurve(Map<String, Object> json) {
        json.put("timeline_flows_per_s", timeline.flowsPerSecondIn5sSteps().stream().map(LoadReport::round).toList());
        json.put("steady_flows_per_s", round(timeline.steadyFlowsPerSecond()));
        json.put("seconds_to_90_percent", timeline.secondsTo90Percent());
    }

    private void print(Map<String, Object> json, PrintStream out) {
        long flows = samples.flows();
        Map<?, ?> byKind = (Map<?, ?>) json.get("errors_by_kind");
        out.println();
        out.println(String.format(Locale.ROOT, "%d flows in %d s: %.1f flows/s, %d errors %s", flows,
                options.durationSeconds(), flows / (double) options.durationSeconds(), samples.errorCount(),
                byKind.isEmpty() ? "" : byKind));
        out.println(String.format(Locale.ROOT, "%-20s %9s %9s %9s", "step (ms)", "p50", "p95", "p99"));
        for (String step : STEPS) {
            out.println(String.format(Locale.ROOT, "%-20s %9.2f %9.2f %9.2f", step, samples.percentileMillis(step, 50),
                    samples.percentileMillis(step, 95), samples.percentileMillis(step, 99)));
        }
        out.println("token server CPU per flow: " + json.get("server_cpu_ms_per_flow") + " ms; database: "
                + json.get("database_cpu_ms_per_flow") + " ms; crypto floor: " + json.get("crypto_floor_ms_per_flow") + " ms");
        out.println("driver CPU per flow: " + json.get("driver_cpu_ms_per_flow") + " ms; whole machine: "
                + json.get("machine_cpu_ms_per_flow") + " ms per flow, " + json.get("machine_busy_cores") + " of "
                + json.get("cores") + " cores busy, " + json.get("machine_steal_cores")
                + " cores stolen by the hypervisor");
        out.println("warm-up: 90% of the steady " + json.get("steady_flows_per_s") + " flows/s reached after "
                + json.get("seconds_to_90_percent") + " s (flows per second in 5-s steps: "
                + json.get("timeline_flows_per_s") + ")");
        out.println("Written to " + options.out());
    }

    private Map<String, Long> errorsByKind() {
        Map<String, Long> byKind = new LinkedHashMap<>();
        samples.errors().forEach((kind, count) -> byKind.put(kind, count.get()));
        return byKind;
    }

    private static Double perFlow(Long millis, long flows) {
        return millis == null || flows == 0 ? null : round((double) millis / flows);
    }

    private static Double round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 100) / 100.0;
    }
}
