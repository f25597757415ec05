package dev.qrauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.protocol.json.ProtocolJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few seconds of the load driver against a token server it starts from the built jar: complete
 * flows succeed, the report has the figures docs/PERFORMANCE.md names, and nothing is left running.
 */
class LoadDriverSmokeTest {

    private static final Path TOKEN_SERVER_JAR = Path.of("..", "token-server", "target", "quarkus-app", "quarkus-run.jar");

    @Test
    void shortClosedLoopRunsCompleteFlowsAndReportsEveryFigure(@TempDir Path dir) throws Exception {
        assertThat(TOKEN_SERVER_JAR).as("the token server is packaged before the benchmarks").isRegularFile();
        Path out = dir.resolve("result.json");
        Set<Long> before = loadRunProcesses();

        long failed = LoadDriver.execute(new String[] {"--duration", "3", "--warmup", "1", "--concurrency", "2",
                "--devices", "2", "--token-server-jar", TOKEN_SERVER_JAR.toString(), "--out", out.toString()});

        assertThat(failed).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> result = ProtocolJson.read(Files.readAllBytes(out), Map.class);
        assertThat(((Number) result.get("flows_per_second")).doubleValue()).isPositive();
        assertThat(((Number) result.get("errors")).longValue()).isZero();
        assertThat(((Number) result.get("callback_bad_signatures")).longValue()).isZero();
        for (String figure : List.of("initiate_p99_ms", "answer_to_callback_p99_ms", "flow_p50_ms",
                "server_cpu_ms_per_flow", "database_cpu_ms_per_flow", "driver_cpu_ms_per_flow",
                "machine_cpu_ms_per_flow", "machine_busy_cores")) {
            assertThat(result.get(figure)).as(figure).isInstanceOf(Number.class);
            assertThat(((Number) result.get(figure)).doubleValue()).as(figure).isPositive();
        }
        assertThat(result).containsKey("crypto_floor_ms_per_flow");

        // The started server and its PostgreSQL (no longer this JVM's descendant once the server
        // has exited) are stopped: no process of a load run is left that was not there before.
        Instant deadline = Instant.now().plusSeconds(15);
        Set<Long> left = loadRunProcesses();
        left.removeAll(before);
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            ProcessHandle.of(left.iterator().next()).ifPresent(p -> p.onExit().orTimeout(1, TimeUnit.SECONDS)
                    .exceptionally(timeout -> p).join());
            left = loadRunProcesses();
            left.removeAll(before);
        }
        assertThat(left).as("processes of the load run still running").isEmpty();
    }

    @Test
    void anAdminPasswordOnTheCommandLineIsRefused() {
        assertThatThrownBy(() -> LoadDriver.execute(new String[] {"--server", "http://127.0.0.1:9", "--admin-password", "p"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QRAUTH_ADMIN_PASSWORD");
    }

    /** Processes whose command line names a load run's data directory. */
    private static Set<Long> loadRunProcesses() {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().orElse("").contains("qrauth-load"))
                .map(ProcessHandle::pid).collect(Collectors.toCollection(HashSet::new));
    }
}
