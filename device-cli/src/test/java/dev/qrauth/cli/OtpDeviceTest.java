package dev.qrauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OtpDeviceTest {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return OtpDevice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpListsTheExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: otp-device")
                .contains("Exit codes:")
                .containsPattern("0\\s+success")
                .containsPattern("1\\s+the SDK or the server reported an error")
                .containsPattern("2\\s+bad usage")
                .containsPattern("3\\s+local state problem");
    }

    @Test
    void anUnknownOptionIsBadUsage() {
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("--frobnicate").contains("otp-device --help");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void noCommandIsBadUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing a command");
    }
}
