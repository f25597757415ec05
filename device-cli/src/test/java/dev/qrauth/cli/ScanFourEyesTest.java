package dev.qrauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.message.Approvals;
import dev.qrauth.sdk.FakeTokenServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code otp-device scan} of a four-eyes request: who approved before, and an approval that leaves others. */
@Timeout(30)
class ScanFourEyesTest {

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
    void theFirstApprovalSaysHowManyMoreAreNeeded() {
        CliRun approve = cli("scan", "--otp", server.newFourEyesOtp(new Approvals(3, List.of())), "--approve");
        assertThat(approve.exitCode()).as(approve.err()).isZero();
        assertThat(approve.out()).contains("Approved so far: no one (0 of 3 needed)",
                "Approved. 2 more approvals are needed before it goes through.");

        CliRun json = cli("--json", "scan", "--otp", server.newFourEyesOtp(new Approvals(2, List.of())), "--approve");
        assertThat(json.out()).isEqualTo("{\"result\":\"AWAITING_OTHER_APPROVERS\",\"required_approvals\":2,"
                + "\"approved_before\":[]}\n");
    }

    @Test
    void theLastApprovalShowsWhoApprovedBeforeAndConfirms() {
        CliRun approve = cli("scan", "--otp", server.newFourEyesOtp(new Approvals(2, List.of("bob"))), "--approve");
        assertThat(approve.exitCode()).as(approve.err()).isZero();
        assertThat(approve.out()).contains("Approved so far: bob (1 of 2 needed)", "Approved: the browser is being logged in.");

        CliRun json = cli("--json", "scan", "--otp", server.newFourEyesOtp(new Approvals(2, List.of("bob"))), "--approve");
        assertThat(json.out()).isEqualTo("{\"result\":\"CONFIRMED\",\"required_approvals\":2,"
                + "\"approved_before\":[\"bob\"]}\n");
    }

    @Test
    void anApproverNameIsShownEscaped() {
        CliRun approve = cli("scan", "--otp", server.newFourEyesOtp(new Approvals(2, List.of("bob\u202Eevil"))),
                "--deny");
        assertThat(approve.out()).contains("Approved so far: bob").doesNotContain("\u202E");
    }

    @Test
    void aRequestOnePhoneApprovesShowsNoApprovals() {
        CliRun approve = cli("scan", "--otp", server.newOtp(null), "--approve");
        assertThat(approve.out()).doesNotContain("Approved so far");
    }
}
