package dev.qrauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.FakeTokenServer;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code otp-device scan --code}: the short code typed instead of the QR code, as people and scripts use it. */
@Timeout(30)
class ScanShortCodeTest {

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
    void aShortCodeIsApprovedLikeAScannedOtp() {
        String code = server.newShortCode(null);
        CliRun approve = cli("scan", "--code", code, "--approve");
        assertThat(approve.exitCode()).as(approve.err()).isZero();
        assertThat(approve.out()).contains("Example Portal asks you to log in as alice", "Log in to Example", "Approved");
        assertThat(server.shortCodesReceived()).containsExactly(code.replace("-", ""));

        CliRun json = cli("--json", "scan", "--code", server.newShortCode(42), "--approve", "--number", "42");
        assertThat(json.out()).isEqualTo("{\"result\":\"CONFIRMED\"}\n");
    }

    @Test
    void caseSpacesAndDashesDoNotMatter() {
        String code = server.newShortCode(null);
        String typed = code.toLowerCase(Locale.ROOT).replace("-", " ");
        CliRun approve = cli("--json", "scan", "--code", typed, "--approve");
        assertThat(approve.out()).isEqualTo("{\"result\":\"CONFIRMED\"}\n");
        // What travels is the canonical code, whatever was typed.
        assertThat(server.shortCodesReceived()).containsExactly(code.replace("-", ""));
    }

    @Test
    void aCodeUsedOnceOrMistypedIsRefused() {
        String code = server.newShortCode(null);
        assertThat(cli("scan", "--code", code, "--deny").exitCode()).isZero();
        CliRun again = cli("scan", "--code", code, "--approve");
        assertThat(again.exitCode()).isNotZero().isNotEqualTo(ExitCode.USAGE.code);
        assertThat(again.err()).isNotBlank();
    }

    @Test
    void somethingThatIsNotAShortCodeIsAUsageError() {
        for (String notACode : new String[] {"", "K7QM-4XRT-9B", "K7QM-4XRT-9BHN-3PW0", "K7QM-4XRT-9BHN-3PWZ-A"}) {
            CliRun refused = cli("scan", "--code", notACode, "--approve");
            assertThat(refused.exitCode()).as(notACode).isEqualTo(ExitCode.USAGE.code);
            assertThat(refused.err()).contains("--code is not a short code");
        }
        assertThat(server.shortCodesReceived()).isEmpty();
        assertThat(cli("scan", "--code", server.newShortCode(null), "--otp", "x", "--approve").exitCode())
                .isEqualTo(ExitCode.USAGE.code);
    }
}
