package dev.qrauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.json.ProtocolJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second of each variant: every flow completed (the statements found their rows, the answers
 * verified, the bare endpoint answered over HTTP), every figure is there, and the database, its
 * directory and the endpoint's process are gone afterwards.
 */
class FlowFloorSmokeTest {

    @Test
    void aShortRunMeasuresEveryVariantAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("flow-floor.json");
        List<Path> before = experimentDirectories();

        long errors = FlowFloor.execute(FlowFloor.parse(new String[] {
                "--seconds", "1", "--warmup", "1", "--concurrency", "2", "--out", out.toString()}));

        assertThat(errors).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> report = ProtocolJson.read(Files.readAllBytes(out), Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) report.get("results");
        assertThat(results).extracting(r -> r.get("variant"))
                .containsExactly("state", "product", "product-over-http", "product-lean-audit");
        for (Map<String, Object> row : results) {
            assertThat(((Number) row.get("flows")).longValue()).as(row.get("variant") + " flows").isPositive();
            for (String figure : List.of("server_cpu_ms_per_flow", "database_cpu_ms_per_flow",
                    "server_plus_database_ms_per_flow")) {
                assertThat(row.get(figure)).as(row.get("variant") + " " + figure).isInstanceOf(Number.class);
                assertThat(((Number) row.get(figure)).doubleValue()).as(row.get("variant") + " " + figure).isPositive();
            }
        }
        assertThat(results.get(2).get("driver_cpu_ms_per_flow")).isInstanceOf(Number.class);
        assertThat(experimentDirectories()).isEqualTo(before);
        assertThat(ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("")
                .contains("FlowFloor$BareEndpoint"))).isEmpty();
    }

    private static List<Path> experimentDirectories() throws Exception {
        try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("qrauth-flow-floor")).sorted().toList();
        }
    }
}
