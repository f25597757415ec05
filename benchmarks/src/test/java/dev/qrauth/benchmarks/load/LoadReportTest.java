package dev.qrauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.json.ProtocolJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load report's JSON: the fields docs/PERFORMANCE.md names, in their order, and the CPU per flow. */
class LoadReportTest {

    private static final long START = 1_000_000_000_000L;

    @Test
    void theJsonHasEveryDocumentedFieldInOrderAndTheTableIsPrinted(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("nested").resolve("result.json");
        LoadOptions options = new LoadOptions(null, null, 2, 0, 4, 0, 8, out, null, "256m", Path.of("t.jar"), 0);
        Samples samples = new Samples();
        for (String step : LoadReport.STEPS) {
            samples.record(step, 3_000_000);
        }
        samples.flowDone();
        samples.flowDone();
        samples.error("initiate HTTP 503");
        CpuSample start = new CpuSample(OptionalLong.of(1000), OptionalLong.empty(), OptionalLong.of(10),
                OptionalLong.of(5000), OptionalLong.of(0));
        CpuSample end = new CpuSample(OptionalLong.of(1500), OptionalLong.empty(), OptionalLong.of(20),
                OptionalLong.of(7000), OptionalLong.of(400));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        LoadReport report = new LoadReport(options, samples, new Timeline(START, 0, 2), new CpuSample.Window(start, end),
                0.4161, 1);

        report.write(new PrintStream(printed, true, StandardCharsets.UTF_8));

        @SuppressWarnings("unchecked")
        Map<String, Object> json = ProtocolJson.read(Files.readAllBytes(out), Map.class);
        List<String> fields = new ArrayList<>(List.of("flows_per_second", "flows", "errors", "errors_by_kind"));
        for (String step : List.of("initiate", "fetch", "answer", "answer_to_callback", "result", "flow")) {
            fields.addAll(List.of(step + "_p50_ms", step + "_p95_ms", step + "_p99_ms"));
        }
        fields.addAll(List.of("server_cpu_ms_per_flow", "database_cpu_ms_per_flow", "driver_cpu_ms_per_flow",
                "machine_cpu_ms_per_flow", "machine_busy_cores", "machine_steal_cores", "crypto_floor_ms_per_flow",
                "timeline_flows_per_s", "steady_flows_per_s", "seconds_to_90_percent", "mode", "rate", "concurrency",
                "duration_s", "warmup_s", "devices", "server_heap", "old_rows", "callback_bad_signatures", "cores"));
        assertThat(report.json().keySet()).containsExactlyElementsOf(fields);
        assertThat(json.keySet()).containsExactlyInAnyOrderElementsOf(fields);
        assertThat(json).containsEntry("flows_per_second", 1.0).containsEntry("errors", 1)
                .containsEntry("errors_by_kind", Map.of("initiate HTTP 503", 1))
                .containsEntry("flow_p99_ms", 3.0)
                .containsEntry("server_cpu_ms_per_flow", 250.0)
                .containsEntry("database_cpu_ms_per_flow", null)
                .containsEntry("driver_cpu_ms_per_flow", 5.0)
                .containsEntry("machine_cpu_ms_per_flow", 1000.0)
                .containsEntry("machine_busy_cores", 1.0)
                .containsEntry("machine_steal_cores", 0.2)
                .containsEntry("crypto_floor_ms_per_flow", 0.42)
                .containsEntry("mode", "closed").containsEntry("rate", null).containsEntry("concurrency", 4)
                .containsEntry("server_heap", "256m").containsEntry("callback_bad_signatures", 1);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("2 flows in 2 s: 1.0 flows/s, 1 errors {initiate HTTP 503=1}")
                .contains("token server CPU per flow: 250.0 ms; database: null ms; crypto floor: 0.42 ms")
                .contains("Written to " + out);
    }
}
