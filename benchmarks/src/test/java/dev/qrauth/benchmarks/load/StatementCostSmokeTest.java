package dev.qrauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.protocol.json.ProtocolJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second of each statement through each client: every row of the report is there with its
 * figures, no statement failed, and the database and its directory are gone afterwards.
 */
class StatementCostSmokeTest {

    @Test
    void aShortRunMeasuresEveryClientAndKindAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("statement-cost.json");
        List<Path> before = experimentDirectories();

        long errors = StatementCost.execute(StatementCost.parse(new String[] {
                "--seconds", "1", "--warmup", "1", "--concurrency", "2", "--out", out.toString()}));

        assertThat(errors).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> report = ProtocolJson.read(Files.readAllBytes(out), Map.class);
        assertThat(report.get("postgres_version")).asString().startsWith("18");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) report.get("results");
        assertThat(results).extracting(r -> r.get("client") + " " + r.get("statement")).containsExactly(
                "jdbc insert", "jdbc update", "jdbc select",
                "jdbc-autocommit insert", "jdbc-autocommit update", "jdbc-autocommit select",
                "reactive insert", "reactive update", "reactive select");
        for (Map<String, Object> row : results) {
            for (String figure : List.of("statements_per_second", "client_cpu_us_per_statement",
                    "database_cpu_us_per_statement")) {
                assertThat(row.get(figure)).as(row.get("client") + " " + row.get("statement") + " " + figure)
                        .isInstanceOf(Number.class);
                assertThat(((Number) row.get(figure)).doubleValue()).isPositive();
            }
        }
        assertThat(experimentDirectories()).isEqualTo(before);
    }

    @Test
    void badOptionsAreRefused() {
        assertThatThrownBy(() -> StatementCost.parse(new String[] {"--seconds", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--seconds");
        assertThatThrownBy(() -> StatementCost.parse(new String[] {"--concurrency"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> StatementCost.parse(new String[] {"--rows", "5"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option");
    }

    private static List<Path> experimentDirectories() throws Exception {
        try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("qrauth-statement-cost")).sorted().toList();
        }
    }
}
