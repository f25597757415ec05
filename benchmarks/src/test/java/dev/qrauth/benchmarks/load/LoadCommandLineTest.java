package dev.qrauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The load driver's command line as {@code benchmarks/load.sh} passes it on: the defaults
 * docs/PERFORMANCE.md gives, wrong values refused with exit code 2 before anything starts, and a
 * help that names every option. No server is started here.
 */
class LoadCommandLineTest {

    /** Every option the driver takes, as load.sh and docs/PERFORMANCE.md name them. */
    private static final Set<String> OPTIONS = Set.of("--server", "--admin-password", "--duration", "--warmup",
            "--concurrency", "--rate", "--devices", "--heap", "--old-rows", "--out", "--jmh", "--token-server-jar",
            "-h", "--help");

    private final List<LoadOptions> driven = new ArrayList<>();

    @Test
    void withoutOptionsTheDocumentedDefaultsApply() {
        LoadOptions options = LoadCommandLine.parse(new String[0], Map.of());

        assertThat(options).isEqualTo(new LoadOptions(null, null, 60, 10, 32, 0, 64,
                Path.of("benchmarks/target/load-result.json"), null, "256m",
                Path.of("token-server/target/quarkus-app/quarkus-run.jar"), 0));
        assertThat(options.openLoop()).isFalse();
    }

    @Test
    void withoutDevicesTheLoopDecidesHowMany() {
        assertThat(devices("--concurrency", "2")).isEqualTo(8);
        assertThat(devices("--concurrency", "10")).isEqualTo(20);
        assertThat(devices("--rate", "20")).isEqualTo(64);
        assertThat(devices("--rate", "401")).isEqualTo(101);
        assertThat(devices("--rate", "401", "--devices", "5")).isEqualTo(5);
    }

    @Test
    void everyOptionReachesTheDriver() {
        Run run = run(Map.of(LoadCommandLine.ADMIN_PASSWORD_VARIABLE, "from-the-environment"), 0,
                "--server", "http://127.0.0.1:8080", "--duration", "5", "--warmup", "0", "--concurrency", "3",
                "--rate", "12.5", "--devices", "7", "--heap", "1g", "--out", "r.json", "--jmh", "j.json",
                "--token-server-jar", "t.jar");

        assertThat(run.exitCode()).isZero();
        assertThat(driven).containsExactly(new LoadOptions(URI.create("http://127.0.0.1:8080"), "from-the-environment",
                5, 0, 3, 12.5, 7, Path.of("r.json"), Path.of("j.json"), "1g", Path.of("t.jar"), 0));
        assertThat(driven.get(0).openLoop()).isTrue();
        assertThat(driven.get(0).toString()).doesNotContain("from-the-environment");
    }

    @Test
    void failedFlowsMakeExitCodeOne() {
        assertThat(run(Map.of(), 3, "--duration", "1").exitCode()).isEqualTo(LoadCommandLine.FLOWS_FAILED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--duration abc", "--duration 0", "--duration 86401", "--duration", "--warmup -1",
            "--concurrency 0", "--concurrency 1.5", "--rate -5", "--rate NaN", "--rate Infinity", "--devices -1",
            "--heap lots", "--heap 0m", "--old-rows -1", "--server localhost:8080", "--server ftp://127.0.0.1/",
            "--frobnicate 1", "positional"})
    void aBadValueIsAUsageErrorThatNamesTheOption(String line) {
        Run run = run(Map.of(), 0, line.split(" "));

        assertThat(run.exitCode()).isEqualTo(LoadCommandLine.USAGE);
        assertThat(run.err()).contains(line.split(" ")[0]).contains("Try 'benchmarks/load.sh --help'.");
        assertThat(run.out()).isEmpty();
        assertThat(driven).as("nothing is started").isEmpty();
    }

    @Test
    void anAdminPasswordOnTheCommandLineIsRefusedWithoutRepeatingIt() {
        Run withValue = run(Map.of(), 0, "--server", "http://127.0.0.1:8080", "--admin-password", "s3cret-value");
        Run withoutValue = run(Map.of(), 0, "--admin-password");

        for (Run run : List.of(withValue, withoutValue)) {
            assertThat(run.exitCode()).isEqualTo(LoadCommandLine.USAGE);
            assertThat(run.err()).contains("QRAUTH_ADMIN_PASSWORD").doesNotContain("s3cret-value");
        }
        assertThat(driven).isEmpty();
    }

    @Test
    void aRunningServerNeedsTheAdminPasswordInTheEnvironment() {
        Run run = run(Map.of(), 0, "--server", "http://127.0.0.1:8080");

        assertThat(run.exitCode()).isEqualTo(LoadCommandLine.USAGE);
        assertThat(run.err()).contains("--server needs the admin password in QRAUTH_ADMIN_PASSWORD");
        assertThat(driven).isEmpty();
    }

    @Test
    void oldRowsAreRefusedForARunningServerBeforeAnythingStarts() {
        Run run = run(Map.of(LoadCommandLine.ADMIN_PASSWORD_VARIABLE, "p"), 0,
                "--server", "http://127.0.0.1:8080", "--old-rows", "10");

        assertThat(run.exitCode()).isEqualTo(LoadCommandLine.USAGE);
        assertThat(run.err()).contains("--old-rows needs the token server this driver starts");
        assertThat(driven).isEmpty();
    }

    @Test
    void helpListsEveryOptionInOneSentenceAndRunsNothing() {
        Run run = run(Map.of(), 0, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(driven).isEmpty();
        assertThat(run.err()).isEmpty();
        for (String option : OPTIONS) {
            assertThat(run.out()).as(option).contains(option);
        }
        List<OptionSpec> specified = new CommandLine(new LoadCommandLine()).getCommandSpec().options();
        assertThat(specified.stream().flatMap(o -> Set.of(o.names()).stream()).collect(Collectors.toSet()))
                .as("options documented in load.sh and docs/PERFORMANCE.md").isEqualTo(OPTIONS);
        for (OptionSpec option : specified) {
            assertThat(option.description()).as(option.longestName()).hasSize(1);
            String sentence = option.description()[0];
            assertThat(sentence).as(option.longestName()).endsWith(".").doesNotContain(". ");
            assertThat(run.out()).as(option.longestName()).contains(sentence.substring(0, 20));
        }
        assertThat(run.out()).contains("(default: 60)", "(default: 10)", "(default: 32)", "(default: 256m)",
                "(default: benchmarks/target/load-result.json)");
    }

    private int devices(String... args) {
        return LoadCommandLine.parse(args, Map.of()).devices();
    }

    private Run run(Map<String, String> environment, long failedFlows, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            int code = LoadCommandLine.run(args, new PrintWriter(out, true), new PrintWriter(err, true), environment,
                    options -> {
                        driven.add(options);
                        return failedFlows;
                    });
            return new Run(code, out.toString(), err.toString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private record Run(int exitCode, String out, String err) {
    }
}
