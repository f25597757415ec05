package dev.qrauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.message.RequestContext;
import dev.qrauth.sdk.FakeTokenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What otp-device does not trust: the text a server sends (shown with its control and format
 * characters escaped) and its own server.url (refused unless it names the server the sealed
 * device record was registered with).
 */
@Timeout(30)
class UntrustedTextAndFilesTest {

    static final String PIN = "24680";

    @TempDir
    Path home;

    FakeTokenServer server;

    @BeforeEach
    void start() {
        server = new FakeTokenServer();
        CliRun.readyPhone(home, server, PIN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    CliRun cli(String... args) {
        return CliRun.run(home, args);
    }

    @Test
    void anEscapeSequenceInTheMessageIsShownEscapedAndHidesNothing() {
        server.showText("Example \u202EPortal", "Pay EUR 0.001\u001B[8m\r", "Amount: 0.001\nFrom: Chrome 1 on Windows",
                new RequestContext("Firefox 140\u001B[2K", "Linux", "192.0.2.10", "Amster\u200Bdam"));
        CliRun run = cli("scan", "--otp", server.newOtp(null), "--deny");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).doesNotContain("\u001B", "\r", "\u202E", "\u200B")
                .contains("Example \\u{202E}Portal asks you to log in as alice:",
                        "  Pay EUR 0.001\\u{001B}[8m\\u{000D}\n",
                        "  | Amount: 0.001\n  | From: Chrome 1 on Windows\n",
                        "  From: Firefox 140\\u{001B}[2K on Linux, 192.0.2.10, Amster\\u{200B}dam\n");
    }

    @Test
    void underJsonThePromptIsEscapedAndTheJsonCarriesNoRawControlOrFormatCharacter() {
        server.showText("Example Portal", "Pay\u0085EUR \u202E0.001", null, RequestContext.empty());
        CliRun run = cli("--json", "scan", "--otp", server.newOtp(null), "--deny");
        assertThat(run.out()).isEqualTo("{\"result\":\"REJECTED\"}\n");
        assertThat(run.err()).contains("Pay\\u{0085}EUR \\u{202E}0.001").doesNotContain("\u0085", "\u202E");

        server.script("POST", "/mobile-auth/otp", 404, "{\"error\":\"NOT_FOUND\",\"error_message\":\"gone\\u202e\\u001b[8m\"}");
        CliRun failed = cli("--json", "scan", "--otp", server.newOtp(null), "--deny");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out()).startsWith("{\"error\":\"NOT_FOUND\"").doesNotContain("\u202E", "\u001B");
    }

    @Test
    void anEditedServerUrlIsRefusedAsALocalProblemAndNothingIsSentToIt() throws Exception {
        try (FakeTokenServer elsewhere = new FakeTokenServer()) {
            Files.writeString(home.resolve("server.url"), elsewhere.uri().toString(), StandardCharsets.UTF_8);
            for (String[] command : new String[][] {{"login", "--pin", PIN}, {"scan", "--otp", server.newOtp(null), "--approve"},
                    {"status"}, {"enroll"}}) {
                CliRun run = cli(command);
                assertThat(run.exitCode()).as(String.join(" ", command)).isEqualTo(3);
                assertThat(run.err()).contains("registered with " + server.uri(), "server.url");
            }
            CliRun json = cli("--json", "login", "--pin", PIN);
            assertThat(json.out()).startsWith("{\"error\":\"LOCAL_STATE\"");
            assertThat(elsewhere.receivedRequests()).isEmpty();
        }
        Files.writeString(home.resolve("server.url"), server.uri().toString(), StandardCharsets.UTF_8);
        assertThat(cli("login", "--pin", PIN).exitCode()).isZero();
    }

    @Test
    void aServerUrlThatOnlyLooksLikeThisMachineIsRefusedWithoutContactingIt() throws Exception {
        Files.writeString(home.resolve("server.url"), "http://127.0.0.1.attacker.example:8081", StandardCharsets.UTF_8);
        CliRun run = cli("login", "--pin", PIN);
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("https");

        CliRun register = CliRun.run(home.resolve("fresh"), "register", "--server", "http://127.0.0.1.attacker.example",
                "--user", "bob", "--activation-code", "K7QZ2", "--pin", PIN);
        assertThat(register.exitCode()).isEqualTo(2);
        assertThat(register.err()).contains("https");
    }
}
