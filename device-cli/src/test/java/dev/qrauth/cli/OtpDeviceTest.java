package dev.qrauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.FakeTokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real argument lines, in process, against an in-process fake token server. */
@Timeout(30)
class OtpDeviceTest {

    static final String PIN = "24680";

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

    CliRun cli(String... args) {
        return CliRun.run(home, args);
    }

    void ready() {
        CliRun.readyPhone(home, server, PIN);
    }

    /** A terminal that answers with the given lines and secrets, in order. */
    static Terminal typing(String... answers) {
        Deque<String> queue = new ArrayDeque<>(List.of(answers));
        return new Terminal() {
            @Override
            public boolean isInteractive() {
                return true;
            }

            @Override
            public String readLine(String prompt) {
                return queue.poll();
            }

            @Override
            public char[] readSecret(String prompt) {
                String next = queue.poll();
                return next == null ? null : next.toCharArray();
            }
        };
    }

    @Nested
    class Commands {
        @Test
        void scanShowsHowCloseThePhoneIsAndTheCodeForTheBrowser() {
            ready();
            CliRun human = cli("scan", "--otp",
                    server.newOtp(null, dev.qrauth.protocol.message.Proximity.OTHER_NETWORK, "042917"), "--approve");
            assertThat(human.exitCode()).isZero();
            assertThat(human.out()).contains("WARNING: This browser is in another network.")
                    .contains("Type this code in the browser: 042 917");

            CliRun near = cli("scan", "--otp", server.newOtp(null, dev.qrauth.protocol.message.Proximity.SAME_ADDRESS, null),
                    "--approve");
            assertThat(near.out()).contains("Network: Your phone and this browser are on the same network.")
                    .doesNotContain("WARNING");

            CliRun json = cli("--json", "scan", "--otp",
                    server.newOtp(null, dev.qrauth.protocol.message.Proximity.OTHER_COUNTRY, "042917"), "--approve");
            assertThat(json.out()).isEqualTo(
                    "{\"result\":\"AWAITING_REVERSE_CODE\",\"proximity\":\"other_country\",\"reverse_code\":\"042917\"}\n");
            assertThat(json.err()).contains("WARNING: This browser is in another country.");

            // An approval the server refuses says why, not that the user denied.
            assertThat(cli("scan", "--otp", server.newOtp(42), "--approve", "--number", "43").out())
                    .contains("Not accepted. The request was rejected: the number did not match the browser's.");
        }

        @Test
        void registerLoginEnrollAndApproveAsPeopleAndScriptsSeeIt() {
            CliRun register = cli("register", "--server", server.uri().toString(), "--user", "alice",
                    "--activation-code", "K7QZ2-M4XPA-9RTWC-HD3NB", "--pin", PIN);
            assertThat(register.exitCode()).isZero();
            assertThat(register.out()).contains("Registered alice");
            assertThat(cli("--json", "login", "--pin", PIN).out()).isEqualTo("{\"result\":{\"user_id\":\"alice\"}}\n");
            assertThat(cli("enroll").out()).contains("Enrolled alice");

            CliRun approve = cli("scan", "--otp", server.newOtp(null), "--approve");
            assertThat(approve.exitCode()).isZero();
            assertThat(approve.out()).contains("Example Portal asks you to log in as alice", "Log in to Example",
                    "From: Firefox 140 on Linux, 192.0.2.10, Amsterdam, Netherlands", "Approved");

            CliRun json = cli("--json", "scan", "--otp", server.newOtp(null), "--approve");
            assertThat(json.exitCode()).isZero();
            assertThat(json.out()).isEqualTo("{\"result\":\"CONFIRMED\"}\n");
            assertThat(json.err()).contains("Example Portal");
        }

        @Test
        void denyAndFraudAreDeliveredDecisions() {
            ready();
            CliRun deny = cli("--json", "scan", "--otp", server.newOtp(null), "--deny");
            assertThat(deny.exitCode()).isZero();
            assertThat(deny.out()).isEqualTo("{\"result\":\"REJECTED\"}\n");
            CliRun fraud = cli("--json", "scan", "--otp", server.newOtp(null), "--fraud");
            assertThat(fraud.out()).isEqualTo("{\"result\":\"REJECTED\"}\n");
        }

        @Test
        void numberMatchingTakesTheNumberOrAsks() {
            ready();
            assertThat(cli("--json", "scan", "--otp", server.newOtp(42), "--approve", "--number", "42").out())
                    .isEqualTo("{\"result\":\"CONFIRMED\"}\n");
            assertThat(cli("--json", "scan", "--otp", server.newOtp(42), "--approve", "--number", "43").out())
                    .isEqualTo("{\"result\":\"REJECTED\"}\n");
            CliRun asked = CliRun.run(home, typing("y", "42"), "", "scan", "--otp", server.newOtp(42));
            assertThat(asked.exitCode()).isZero();
            assertThat(asked.out()).contains("Pick the number the browser shows", "Approved");
        }

        @ParameterizedTest
        @CsvSource(value = {"'', 'No answer sent: this request needs --number; the choices are 42, 43, 41.'",
                "50, 'No answer sent: --number 50 is not offered; this request needs --number; the choices are 42, 43, 41.'"},
                emptyValue = "")
        void approvingWithoutAnOfferedNumberAnswersNothingAndSaysTheChoices(String number, String message) {
            ready();
            List<String> args = new ArrayList<>(List.of("scan", "--approve", "--otp"));
            List<String> numberOption = number.isEmpty() ? List.of() : List.of("--number", number);

            List<String> human = new ArrayList<>(args);
            human.add(server.newOtp(42));
            human.addAll(numberOption);
            CliRun person = cli(human.toArray(String[]::new));
            List<String> script = new ArrayList<>(List.of("--json"));
            script.addAll(args);
            script.add(server.newOtp(42));
            script.addAll(numberOption);
            CliRun json = cli(script.toArray(String[]::new));

            assertThat(person.exitCode()).isEqualTo(2);
            assertThat(person.err()).contains(message);
            assertThat(json.exitCode()).isEqualTo(2);
            assertThat(json.out()).isEqualTo("{\"error\":\"USAGE\",\"message\":\"" + message
                    + "\",\"number_choices\":[42,43,41]}\n");
            // Both requests were fetched and neither answered: on the token server they stay open
            // (SCANNED) until the browser's code expires, instead of being denied.
            assertThat(server.receivedRequests()).filteredOn(r -> r.endsWith("/mobile-auth/otp")).hasSize(2);
            assertThat(server.receivedRequests()).noneMatch(r -> r.endsWith("/answer"));
        }

        @Test
        void aPersonWhoTypesANumberNotOfferedIsAskedAgain() {
            ready();
            CliRun asked = CliRun.run(home, typing("y", "50", "42"), "", "scan", "--otp", server.newOtp(42));
            assertThat(asked.exitCode()).as(asked.err()).isZero();
            assertThat(asked.out()).contains("Pick one of 42, 43, 41.", "Approved");
            CliRun gaveUp = CliRun.run(home, typing("y", "50"), "", "scan", "--otp", server.newOtp(42));
            assertThat(gaveUp.exitCode()).isEqualTo(2);
            assertThat(gaveUp.err()).contains("this request needs --number; the choices are 42, 43, 41");
            assertThat(server.receivedRequests()).filteredOn(r -> r.endsWith("/answer")).hasSize(1);
        }

        @Test
        void fraudSaysItWasReportedAndTheExpiryIsInSecondsFromNow() {
            ready();
            CliRun fraud = cli("scan", "--otp", server.newOtp(null), "--fraud");
            assertThat(fraud.exitCode()).isZero();
            assertThat(fraud.out()).contains("Denied and reported as not yours.");
            // The fake's requests expire 120 s after the fetch.
            assertThat(fraud.out()).containsPattern("\n  Expires in 1[01][0-9] s\n").doesNotContain("Z\n");
        }

        @Test
        void anEmptyOtpIsBadUsageAndSendsNothing() {
            ready();
            int before = server.receivedRequests().size();
            CliRun empty = cli("scan", "--otp", "", "--approve");
            CliRun blank = cli("--json", "scan", "--otp", "  ", "--approve");
            assertThat(empty.exitCode()).isEqualTo(2);
            assertThat(empty.err()).contains("--otp is empty");
            assertThat(blank.exitCode()).isEqualTo(2);
            assertThat(blank.out()).startsWith("{\"error\":\"USAGE\",\"message\":\"--otp is empty");
            assertThat(server.receivedRequests()).hasSize(before);
        }

        @Test
        void afterRegisteringTheHintNamesTheCommandThatIsNeededAndItIsEnough() {
            CliRun register = cli("register", "--server", server.uri().toString(), "--user", "alice",
                    "--activation-code", "K7QZ2-M4XPA-9RTWC-HD3NB", "--pin", PIN);
            assertThat(register.out()).contains("Next: otp-device enroll").doesNotContain("otp-device login");

            // A person follows the hint on a terminal: enroll asks for the PIN, then scanning works.
            CliRun enroll = CliRun.run(home, typing(PIN), "", "enroll");
            assertThat(enroll.exitCode()).as(enroll.err()).isZero();
            assertThat(cli("scan", "--otp", server.newOtp(null), "--approve").out()).contains("Approved");
        }

        @Test
        void aPersonIsAskedAndCanSayNo() {
            ready();
            CliRun no = CliRun.run(home, typing("n"), "", "scan", "--otp", server.newOtp(null));
            assertThat(no.exitCode()).isZero();
            assertThat(no.out()).contains("Denied");
        }

        @Test
        void registerAsksForThePinTwiceOnATerminal() {
            CliRun run = CliRun.run(home, typing("13579", "13579"), "", "register", "--server", server.uri().toString(),
                    "--user", "bob", "--activation-code", "K7QZ2-M4XPA-9RTWC-HD3NB");
            assertThat(run.exitCode()).isZero();
            CliRun differ = CliRun.run(home, typing("13579", "97531"), "", "register", "--server",
                    server.uri().toString(), "--user", "carol", "--activation-code", "K7QZ2-M4XPA-9RTWC-HD3NB");
            assertThat(differ.exitCode()).isEqualTo(2);
            assertThat(differ.err()).contains("differ");
        }

        @Test
        void statusShowsTheProfilesAndScanReadsStandardInput() {
            ready();
            CliRun status = cli("--json", "status");
            assertThat(status.out()).contains("\"user_id\":\"alice\"", "\"enrolled\":true",
                    "\"server\":\"" + server.uri() + "\"", "\"device_id\":\"");
            CliRun stdin = CliRun.run(home, Terminal.none(), server.newOtp(null) + "\n", "--json", "scan", "--stdin", "--approve");
            assertThat(stdin.out()).isEqualTo("{\"result\":\"CONFIRMED\"}\n");
            assertThat(cli("logout").exitCode()).isZero();
            assertThat(cli("--json", "status").out()).contains("\"logged_in\":false");
        }

        @Test
        void deregisterRemovesTheProfile() {
            ready();
            assertThat(cli("deregister", "--pin", PIN).exitCode()).isZero();
            assertThat(cli("--json", "status").out()).isEqualTo("{\"result\":[]}\n");
        }
    }

    /** The activation code, a secret until used, need not be on the command line either. */
    @Nested
    class ActivationCode {
        static final String CODE = "K7QZ2-M4XPA-9RTWC-HD3NB";

        CliRun register(Terminal terminal, Map<String, String> environment) {
            return CliRun.run(home, terminal, "", environment, "register", "--server", server.uri().toString(),
                    "--user", "alice", "--pin", PIN);
        }

        @Test
        void aScriptGivesItInTheEnvironment() {
            CliRun run = register(Terminal.none(), Map.of("OTP_DEVICE_ACTIVATION_CODE", CODE));
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(server.activationCodes()).containsExactly(CODE);
        }

        @Test
        void aPersonIsAskedForItWithoutEcho() {
            CliRun run = register(typing(CODE), Map.of());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(server.activationCodes()).containsExactly(CODE);
            assertThat(run.out()).doesNotContain(CODE);
        }

        @Test
        void withoutAnyWayToGetItTheCommandIsBadUsageAndSendsNothing() {
            CliRun run = register(Terminal.none(), Map.of());
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("OTP_DEVICE_ACTIVATION_CODE");
            assertThat(server.activationCodes()).isEmpty();
        }
    }

    /** Where the PIN comes from: nothing a person or a script should use puts it on the command line. */
    @Nested
    class Pin {
        static final Map<String, String> NO_ENVIRONMENT = Map.of();

        CliRun register(Terminal terminal, String stdin, Map<String, String> environment, String... pinOptions) {
            List<String> args = new ArrayList<>(List.of("register", "--server", server.uri().toString(), "--user", "alice",
                    "--activation-code", "K7QZ2-M4XPA-9RTWC-HD3NB"));
            args.addAll(List.of(pinOptions));
            return CliRun.run(home, terminal, stdin, environment, args.toArray(String[]::new));
        }

        @Test
        void aScriptGivesThePinOnTheFirstLineOfStandardInput() {
            assertThat(register(Terminal.none(), "13579\nnot the PIN\n", NO_ENVIRONMENT, "--pin-stdin").exitCode()).isZero();
            CliRun login = CliRun.run(home, Terminal.none(), "13579\r\n", NO_ENVIRONMENT, "login", "--pin-stdin");

            assertThat(login.exitCode()).isZero();
            assertThat(server.pins()).containsExactly("13579", "13579");
        }

        @Test
        void aScriptGivesThePinInTheEnvironment() {
            Map<String, String> environment = Map.of("OTP_DEVICE_PIN", "13579");
            assertThat(register(Terminal.none(), "", environment).exitCode()).isZero();
            assertThat(CliRun.run(home, Terminal.none(), "", environment, "enroll").exitCode()).isZero();
            assertThat(cli("logout").exitCode()).isZero();

            CliRun scan = CliRun.run(home, Terminal.none(), "", environment, "--json", "scan", "--otp", server.newOtp(null), "--approve");

            assertThat(scan.out()).isEqualTo("{\"result\":\"CONFIRMED\"}\n");
            assertThat(server.pins()).containsExactly("13579", "13579", "13579");
        }

        @Test
        void theOptionComesFirstThenStandardInputThenTheEnvironmentThenThePrompt() {
            ready();
            Map<String, String> environment = Map.of("OTP_DEVICE_PIN", "33333");
            CliRun.run(home, typing("44444"), "22222\n", environment, "login", "--pin", "11111", "--pin-stdin");
            CliRun.run(home, typing("44444"), "22222\n", environment, "login", "--pin-stdin");
            CliRun.run(home, typing("44444"), "22222\n", environment, "login");
            CliRun.run(home, typing("44444"), "22222\n", NO_ENVIRONMENT, "login");

            assertThat(server.pins()).endsWith("11111", "22222", "33333", "44444");
        }

        @Test
        void aPersonIsAskedForThePinOnlyWhenNotLoggedIn() {
            ready();
            CliRun loggedIn = CliRun.run(home, typing(), "", "scan", "--otp", server.newOtp(null), "--approve");
            assertThat(loggedIn.exitCode()).as(loggedIn.err()).isZero();
            int pinsBefore = server.pins().size();
            assertThat(cli("logout").exitCode()).isZero();

            CliRun asked = CliRun.run(home, typing(PIN), "", "scan", "--otp", server.newOtp(null), "--approve");

            assertThat(asked.exitCode()).as(asked.err()).isZero();
            assertThat(asked.out()).contains("Approved");
            assertThat(server.pins()).hasSize(pinsBefore + 1).last().isEqualTo(PIN);
        }

        @Test
        void anEmptyStandardInputOrTwoReadersOfItAreBadUsage() {
            CliRun empty = register(Terminal.none(), "", NO_ENVIRONMENT, "--pin-stdin");
            assertThat(empty.exitCode()).isEqualTo(2);
            assertThat(empty.err()).contains("--pin-stdin");
            ready();
            CliRun both = CliRun.run(home, Terminal.none(), server.newOtp(null) + "\n", NO_ENVIRONMENT,
                    "scan", "--stdin", "--pin-stdin", "--approve");
            assertThat(both.exitCode()).isEqualTo(2);
            assertThat(both.err()).contains("OTP_DEVICE_PIN");
        }

        @Test
        void withoutATerminalTheRefusalNamesTheWaysThatKeepThePinOffTheCommandLine() {
            CliRun run = register(Terminal.none(), "", NO_ENVIRONMENT);
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("--pin-stdin", "OTP_DEVICE_PIN");
        }

        @ParameterizedTest
        @CsvSource({"register", "login", "enroll", "scan", "deregister"})
        void theHelpSaysPinIsForTestsAndInWhichOrderThePinIsTaken(String command) {
            CliRun help = cli(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out().replaceAll("\\s+", " ")).contains("--pin-stdin", "For tests only", "other users of this machine",
                    "--pin, --pin-stdin, the environment variable OTP_DEVICE_PIN, a prompt on the terminal");
        }
    }

    @Nested
    class Errors {
        @ParameterizedTest
        @CsvSource({
                "POST,/mobile-auth/otp,404,NOT_FOUND,10013",
                "POST,/mobile-auth/otp,409,ALREADY_HANDLED,9029",
                "POST,/mobile-auth/otp,403,USER_DISENROLLED,9020",
                "POST,/mobile-auth/otp,403,NOT_ENROLLED,9021",
                "POST,/mobile-auth/otp,401,USER_NOT_AUTHENTICATED,9010",
                "POST,/mobile-auth/otp,401,DEVICE_DEREGISTERED,9002",
                "POST,/mobile-auth/otp,403,USER_DEREGISTERED,9003",
                "POST,/answer,404,NOT_FOUND,10013",
                "POST,/mobile-auth/otp,500,SERVER_NOT_REACHABLE,9001"})
        void everyServerErrorOfAScanIsExitOneWithItsNameAndNumber(String method, String path, int status, String code,
                                                                  int number) {
            ready();
            server.scriptError(method, path, status, status == 500 ? "INTERNAL" : code);
            CliRun run = cli("--json", "scan", "--otp", server.newOtp(null), "--approve");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).startsWith("{\"error\":\"" + code + "\",\"message\":")
                    .endsWith(",\"code\":" + number + "}\n");
        }

        @Test
        void aWrongPinSaysHowManyAttemptsAreLeft() {
            ready();
            server.script("POST", "/session", 401, "{\"error\":\"INVALID_PIN\",\"error_message\":\"Wrong PIN\",\"remaining_attempts\":2}");
            CliRun person = cli("login", "--pin", "13579");
            server.script("POST", "/session", 401, "{\"error\":\"INVALID_PIN\",\"error_message\":\"Wrong PIN\",\"remaining_attempts\":1}");
            CliRun script = cli("--json", "scan", "--otp", server.newOtp(null), "--approve", "--pin", "13579");

            assertThat(person.exitCode()).isEqualTo(1);
            assertThat(person.err()).isEqualTo("INVALID_PIN: Wrong PIN, 2 attempts left\n");
            assertThat(script.exitCode()).isEqualTo(1);
            assertThat(script.out()).isEqualTo(
                    "{\"error\":\"INVALID_PIN\",\"message\":\"Wrong PIN, 1 attempt left\",\"code\":9009,\"remaining_attempts\":1}\n");
        }

        @Test
        void loginAndRegistrationErrorsAreExitOneWithTheirNames() {
            ready();
            server.script("POST", "/session", 401, "{\"error\":\"INVALID_PIN\",\"error_message\":\"Wrong PIN\",\"remaining_attempts\":2}");
            assertThat(cli("--json", "login", "--pin", "13579").out()).startsWith("{\"error\":\"INVALID_PIN\"");
            server.scriptError("POST", "/device/api/v1/users", 400, "INVALID_ACTIVATION_CODE");
            CliRun code = cli("--json", "register", "--server", server.uri().toString(), "--user", "bob",
                    "--activation-code", "WRONG", "--pin", PIN);
            assertThat(code.exitCode()).isEqualTo(1);
            assertThat(code.out()).startsWith("{\"error\":\"INVALID_ACTIVATION_CODE\"");
            server.scriptError("POST", "/device/api/v1/users", 400, "PIN_NOT_ALLOWED");
            assertThat(cli("--json", "register", "--server", server.uri().toString(), "--user", "bob",
                    "--activation-code", "X", "--pin", "12345").out()).startsWith("{\"error\":\"PIN_NOT_ALLOWED\"");
        }

        @Test
        void localRefusalsAreExitOneWithTheirNames() {
            assertThat(cli("register", "--server", server.uri().toString(), "--user", "alice",
                    "--activation-code", "K7QZ2", "--pin", PIN).exitCode()).isZero();
            CliRun notLoggedIn = cli("--json", "scan", "--otp", server.newOtp(null), "--approve");
            assertThat(notLoggedIn.exitCode()).isEqualTo(1);
            assertThat(notLoggedIn.out()).startsWith("{\"error\":\"USER_NOT_AUTHENTICATED\"")
                    .contains("\"code\":9010");
            cli("login", "--pin", PIN);
            assertThat(cli("--json", "scan", "--otp", server.newOtp(null), "--approve").out())
                    .startsWith("{\"error\":\"NOT_ENROLLED\"");
            assertThat(cli("--json", "scan", "--otp", "not an otp", "--approve").out())
                    .startsWith("{\"error\":\"NOT_HANDLEABLE\"");
            assertThat(cli("--json", "enroll", "--pin", PIN).exitCode()).isZero();
        }

        @Test
        void noServerIsANetworkFailure() {
            String unreachable = server.uri().toString();
            server.close();
            CliRun run = cli("--json", "register", "--server", unreachable, "--user", "alice",
                    "--activation-code", "K7QZ2", "--pin", PIN);
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).startsWith("{\"error\":\"NETWORK_CONNECTIVITY_FAILURE\"");
        }

        @Test
        void stackTracesOnlyWithVerbose() {
            ready();
            server.scriptError("POST", "/mobile-auth/otp", 500, "INTERNAL");
            assertThat(cli("scan", "--otp", server.newOtp(null), "--approve").err()).doesNotContain("\tat ");
            server.scriptError("POST", "/mobile-auth/otp", 500, "INTERNAL");
            assertThat(cli("--verbose", "scan", "--otp", server.newOtp(null), "--approve").err()).contains("\tat ");
        }
    }

    @Nested
    class UsageAndLocalState {
        @Test
        void helpListsTheCommandsAndTheExitCodes() {
            CliRun help = cli("--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("register", "login", "logout", "enroll", "scan", "status", "duress-pin",
                    "deregister",
                    "Exit codes:").containsPattern("0\\s+success").containsPattern("1\\s+the SDK or the server")
                    .containsPattern("2\\s+bad usage").containsPattern("3\\s+local state problem");
        }

        static final List<String> COMMANDS = List.of("register", "login", "logout", "enroll", "scan", "status",
                "duress-pin", "history", "verify-chain", "deregister");

        @ParameterizedTest
        @CsvSource({"register", "login", "logout", "enroll", "scan", "status", "history", "verify-chain", "deregister"})
        void everyCommandHasHelpWithOneSentencePerOption(String command) {
            for (String[] asked : List.of(new String[] {command, "--help"}, new String[] {command, "-h"},
                    new String[] {"help", command}, new String[] {"--json", command, "--help"})) {
                CliRun help = cli(asked);
                assertThat(help.exitCode()).as(String.join(" ", asked)).isZero();
                assertThat(help.err()).isEmpty();
                assertThat(help.out()).startsWith("Usage: otp-device " + command + " ");
                Map<String, String> options = optionDescriptions(help.out());
                assertThat(options).containsKeys("--help", "--home", "--json");
                options.forEach((option, description) -> assertThat(description).as(option)
                        .endsWith(".").doesNotContainPattern("\\.\\s+\\S"));
            }
        }

        @Test
        void theHelpListsEveryCommandOnOneLine() {
            String help = cli("--help").out();
            List<String> lines = help.lines().toList();
            List<String> commands = lines.subList(lines.indexOf("Commands:") + 1, lines.size()).stream()
                    .takeWhile(line -> !line.isBlank()).toList();
            assertThat(commands).allMatch(line -> line.matches("  [a-z-]+ {2,}[A-Z].*\\."), "one line, one sentence");
            assertThat(commands).extracting(line -> line.trim().split(" ")[0])
                    .containsAll(COMMANDS).contains("help");
            assertThat(cli("help").out()).isEqualTo(help);
            assertThat(cli("-h").out()).isEqualTo(help);
        }

        @Test
        void theExamplesInTheHelpAreNotWrapped() {
            List<String> lines = cli("--help").out().lines().toList();
            assertThat(lines).filteredOn(line -> line.stripLeading().startsWith("otp-device "))
                    .hasSizeGreaterThanOrEqualTo(3).allMatch(line -> line.startsWith("  otp-device "));
            // A wrapped example or sentence would start a line with one of its options.
            assertThat(lines).noneMatch(line -> line.startsWith("-"));
        }

        /** Each option in a command's help, with its description joined from its lines. */
        static Map<String, String> optionDescriptions(String help) {
            Map<String, String> options = new java.util.LinkedHashMap<>();
            java.util.regex.Pattern row = java.util.regex.Pattern.compile("^  (?:-\\w, |    )(--[\\w-]+)(?:=\\S+)?(?: +(.*))?$");
            String current = null;
            for (String line : help.lines().toList()) {
                java.util.regex.Matcher matcher = row.matcher(line);
                if (matcher.matches()) {
                    current = matcher.group(1);
                    options.put(current, matcher.group(2) == null ? "" : matcher.group(2).trim());
                } else if (current != null && line.matches(" {8,}\\S.*")) {
                    options.merge(current, line.trim(), (before, more) -> (before + " " + more).trim());
                } else if (current != null) {
                    break;
                }
            }
            return options;
        }

        @Test
        void badUsageIsExitTwo() {
            assertThat(cli("--frobnicate").exitCode()).isEqualTo(2);
            assertThat(cli().exitCode()).isEqualTo(2);
            CliRun scan = cli("scan", "--approve");
            assertThat(scan.exitCode()).isEqualTo(2);
            assertThat(scan.err()).contains("Try 'otp-device scan --help'.");
            assertThat(cli("scan", "--otp", "x", "--image", "y.png", "--approve").exitCode()).isEqualTo(2);
            assertThat(cli("scan", "--otp", "x", "--approve", "--deny").exitCode()).isEqualTo(2);
            CliRun json = cli("--json", "register", "--server", "ftp://x", "--user", "a", "--activation-code", "c", "--pin", PIN);
            assertThat(json.exitCode()).isEqualTo(2);
            assertThat(json.out()).startsWith("{\"error\":\"USAGE\"").doesNotContain("\"code\"");
        }

        @Test
        void withoutATerminalNothingWaitsForAnAnswer() {
            ready();
            CliRun scan = cli("scan", "--otp", server.newOtp(null));
            assertThat(scan.exitCode()).isEqualTo(2);
            assertThat(scan.err()).contains("--approve");
            CliRun register = cli("register", "--server", server.uri().toString(), "--user", "bob", "--activation-code", "c");
            assertThat(register.exitCode()).isEqualTo(2);
            assertThat(register.err()).contains("--pin");
            CliRun login = cli("login");
            assertThat(login.exitCode()).isEqualTo(2);
        }

        @Test
        void aClosedStandardInputDoesNotHang() {
            ready();
            CliRun run = CliRun.run(home, Terminal.none(), "", "--json", "scan", "--stdin", "--approve");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).startsWith("{\"error\":\"NOT_HANDLEABLE\"");
        }

        @Test
        void noRegistrationOrProfileIsALocalStateProblem() {
            CliRun login = cli("--json", "login", "--pin", PIN);
            assertThat(login.exitCode()).isEqualTo(3);
            assertThat(login.out()).startsWith("{\"error\":\"LOCAL_STATE\"");
            ready();
            assertThat(cli("--profile", "nobody", "login", "--pin", PIN).exitCode()).isEqualTo(3);
        }

        @Test
        void aCorruptStoreIsALocalStateProblem() throws Exception {
            ready();
            Files.write(home.resolve("device"), new byte[] {1, 2, 3});
            CliRun run = cli("status");
            assertThat(run.exitCode()).isEqualTo(3);
            assertThat(run.err()).isEqualTo("the stored entry device is not in a known format" + System.lineSeparator());
            assertThat(run.out()).isEmpty();

            CliRun json = cli("--json", "login", "--pin", PIN);
            assertThat(json.exitCode()).isEqualTo(3);
            assertThat(json.out()).startsWith("{\"error\":\"LOCAL_STATE\",\"message\":"
                    + "\"the stored entry device is not in a known format\",\"code\":7004}");
        }

        @Test
        void aProfileSealedWithAnotherKeyIsALocalStateProblem() throws Exception {
            ready();
            Path profile;
            try (java.util.stream.Stream<Path> entries = Files.list(home)) {
                profile = entries.filter(p -> p.getFileName().toString().startsWith("profile-")).findFirst().orElseThrow();
            }
            byte[] sealed = Files.readAllBytes(profile);
            sealed[sealed.length - 1] ^= 1;
            Files.write(profile, sealed);
            for (String[] line : new String[][] {{"status"}, {"login", "--pin", PIN}, {"logout"}}) {
                CliRun run = cli(line);
                assertThat(run.exitCode()).as(String.join(" ", line)).isEqualTo(3);
                assertThat(run.err()).as(String.join(" ", line)).isEqualTo("the stored entry "
                        + profile.getFileName() + " does not decrypt with the storage key" + System.lineSeparator());
            }
        }
    }
}
