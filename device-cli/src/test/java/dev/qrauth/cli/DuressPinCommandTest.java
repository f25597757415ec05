package dev.qrauth.cli;

import static dev.qrauth.cli.OtpDeviceTest.typing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.FakeTokenServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code register --duress-pin} and {@code duress-pin set|remove}: the duress PIN never on the command line. */
@Timeout(30)
class DuressPinCommandTest {

    static final String PIN = "24680";
    static final String DURESS_PIN = "86420";
    static final String CODE = "K7QZ2-M4XPA-9RTWC-HD3NB";
    static final Map<String, String> DURESS_ENVIRONMENT = Map.of("OTP_DEVICE_DURESS_PIN", DURESS_PIN);

    @TempDir
    Path home;

    FakeTokenServer server;

    @BeforeEach
    void start() {
        server = new FakeTokenServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    CliRun register(Terminal terminal, Map<String, String> environment, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("register", "--server", server.uri().toString(),
                "--user", "alice", "--activation-code", CODE));
        args.addAll(List.of(more));
        return CliRun.run(home, terminal, "", environment, args.toArray(String[]::new));
    }

    CliRun registered() {
        CliRun run = register(Terminal.none(), Map.of(), "--pin", PIN);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    @Test
    void registerTakesTheDuressPinFromTheEnvironment() {
        CliRun run = register(Terminal.none(), DURESS_ENVIRONMENT, "--pin", PIN, "--duress-pin");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(server.duressPinRequests()).containsExactly("register " + DURESS_PIN);
        assertThat(server.pins()).containsExactly(PIN);
        assertThat(run.out() + run.err()).doesNotContain(DURESS_PIN);
    }

    @Test
    void registerAsksAPersonForTheDuressPinTwiceAfterThePin() {
        CliRun run = register(typing(PIN, PIN, DURESS_PIN, DURESS_PIN), Map.of(), "--duress-pin");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(server.pins()).containsExactly(PIN);
        assertThat(server.duressPinRequests()).containsExactly("register " + DURESS_PIN);
        assertThat(run.out()).doesNotContain(DURESS_PIN);
    }

    @Test
    void twoDifferentDuressPinsAreBadUsageAndSendNothing() {
        CliRun run = register(typing(PIN, PIN, DURESS_PIN, "97531"), Map.of(), "--duress-pin");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("The two duress PINs differ");
        assertThat(server.activationCodes()).isEmpty();
    }

    @Test
    void withoutTheEnvironmentOrATerminalTheRefusalNamesTheVariableAndNothingIsSent() {
        CliRun run = register(Terminal.none(), Map.of(), "--pin", PIN, "--duress-pin");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("OTP_DEVICE_DURESS_PIN");
        assertThat(server.activationCodes()).isEmpty();
    }

    @Test
    void theDuressPinIsNeverAValueOnTheCommandLine() {
        CliRun run = register(Terminal.none(), Map.of(), "--pin", PIN, "--duress-pin=" + DURESS_PIN);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(server.activationCodes()).isEmpty();
    }

    @Test
    void withoutTheFlagNoDuressPinIsSentThoughTheEnvironmentHasOne() {
        CliRun run = register(Terminal.none(), DURESS_ENVIRONMENT, "--pin", PIN);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(server.duressPinRequests()).containsExactly("register none");
    }

    @Test
    void setLogsInFirstAndSendsTheDuressPinInTheSession() {
        registered();
        CliRun run = CliRun.run(home, Terminal.none(), "", DURESS_ENVIRONMENT, "--json", "duress-pin", "set",
                "--pin", PIN);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("{\"result\":{").contains("\"duress_pin\":\"set\"", "\"user_id\":\"alice\"")
                .doesNotContain(DURESS_PIN);
        assertThat(server.duressPinRequests()).hasSize(2);
        assertThat(server.duressPinRequests().get(1)).matches("set " + DURESS_PIN + " fake-token-.+");
    }

    @Test
    void setAsksAPersonForThePinThenTheDuressPinTwice() {
        registered();
        CliRun run = CliRun.run(home, typing(PIN, DURESS_PIN, DURESS_PIN), "", Map.of(), "duress-pin", "set");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("Set the duress PIN of alice." + System.lineSeparator());
        assertThat(server.pins()).containsExactly(PIN, PIN);
        assertThat(server.duressPinRequests().get(1)).startsWith("set " + DURESS_PIN + " ");
    }

    @Test
    void removeLogsInFirstAndRemovesIt() {
        registered();
        CliRun run = CliRun.run(home, Terminal.none(), "", Map.of(), "duress-pin", "remove", "--pin", PIN);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Removed the duress PIN of alice.");
        assertThat(server.duressPinRequests().get(1)).matches("remove fake-token-.+");
    }

    @Test
    void withoutASessionOrAWayToLogInNothingIsSent() {
        registered();
        int before = server.receivedRequests().size();
        CliRun run = CliRun.run(home, Terminal.none(), "", DURESS_ENVIRONMENT, "duress-pin", "set");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Log in first");
        assertThat(server.receivedRequests()).hasSize(before);
    }

    @Test
    void aDuressPinTheServerRefusesIsExitOneWithItsName() {
        registered();
        server.scriptError("PUT", "/duress-pin", 400, "PIN_NOT_ALLOWED");
        CliRun run = CliRun.run(home, Terminal.none(), "", DURESS_ENVIRONMENT, "duress-pin", "set", "--pin", PIN);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("PIN_NOT_ALLOWED");
    }

    @Test
    void duressPinWithoutSetOrRemoveIsBadUsage() {
        CliRun run = CliRun.run(home, "duress-pin");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("set or remove");
        assertThat(CliRun.run(home, "duress-pin", "change").exitCode()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"duress-pin", "duress-pin set", "duress-pin remove"})
    void everyDuressPinCommandHasHelpWithOneSentencePerOption(String command) {
        String[] words = command.split(" ");
        for (List<String> asked : List.of(concat(List.of(words), "--help"), concat(List.of(words), "-h"),
                concat(List.of("--json"), concat(List.of(words), "--help").toArray(String[]::new)))) {
            CliRun help = CliRun.run(home, asked.toArray(String[]::new));
            assertThat(help.exitCode()).as(String.join(" ", asked)).isZero();
            assertThat(help.err()).isEmpty();
            assertThat(help.out()).startsWith("Usage: otp-device " + command + " ");
            Map<String, String> options = OtpDeviceTest.UsageAndLocalState.optionDescriptions(help.out());
            assertThat(options).containsKeys("--help", "--home", "--json");
            options.forEach((option, description) -> assertThat(description).as(option)
                    .endsWith(".").doesNotContainPattern("\\.\\s+\\S"));
        }
    }

    @ParameterizedTest
    @CsvSource({"set", "remove"})
    void theHelpOfSetAndRemoveSaysWhereThePinComesFrom(String action) {
        String help = CliRun.run(home, "duress-pin", action, "--help").out().replaceAll("\\s+", " ");
        assertThat(help).contains("--pin-stdin", "For tests only",
                "--pin, --pin-stdin, the environment variable OTP_DEVICE_PIN, a prompt on the terminal");
        if (action.equals("set")) {
            assertThat(help).contains("OTP_DEVICE_DURESS_PIN").doesNotContain("--duress-pin");
        }
    }

    @Test
    void registersHelpShowsTheFlagWithoutAValue() {
        String help = CliRun.run(home, "register", "--help").out();
        assertThat(help).containsPattern("(?m)^ {6}--duress-pin +Also set a duress PIN")
                .doesNotContain("--duress-pin=");
        assertThat(help.replaceAll("\\s+", " ")).contains("OTP_DEVICE_DURESS_PIN");
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }
}
