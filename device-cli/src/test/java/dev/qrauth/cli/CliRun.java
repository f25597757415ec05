package dev.qrauth.cli;

import dev.qrauth.sdk.FakeTokenServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One in-process run of the real argument line: exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Path home, Terminal terminal, String stdin, String... args) {
        return run(home, terminal, stdin, Map.of(), args);
    }

    static CliRun run(Path home, Terminal terminal, String stdin, Map<String, String> environment, String... args) {
        List<String> line = new ArrayList<>(List.of("--home", home.toString()));
        line.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        int code = OtpDevice.run(line.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true),
                in, terminal, environment);
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun run(Path home, String... args) {
        return run(home, Terminal.none(), "", args);
    }

    /** Makes the phone in {@code home} ready to scan: user alice registered on {@code server}, logged in with {@code pin} and enrolled. */
    static void readyPhone(Path home, FakeTokenServer server, String pin) {
        List<String[]> steps = List.of(
                new String[] {"register", "--server", server.uri().toString(), "--user", "alice",
                        "--activation-code", "K7QZ2-M4XPA-9RTWC-HD3NB", "--pin", pin},
                new String[] {"login", "--pin", pin},
                new String[] {"enroll"});
        for (String[] step : steps) {
            CliRun run = run(home, step);
            if (run.exitCode() != 0) {
                throw new AssertionError("otp-device " + step[0] + " exited with " + run.exitCode() + ": " + run.err());
            }
        }
    }
}
