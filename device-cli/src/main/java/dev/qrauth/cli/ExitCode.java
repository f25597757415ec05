package dev.qrauth.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The program's exit codes; the one table that {@code --help} and the README show. */
enum ExitCode {
    OK(0, "success"),
    FAILURE(1, "the SDK or the server reported an error (its code is printed)"),
    USAGE(2, "bad usage: unknown option, missing or invalid argument"),
    LOCAL_STATE(3, "local state problem: no profile, corrupt store, server.url changed");

    final int code;
    final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The table as picocli's exit-code help section takes it, in order. */
    static Map<String, String> helpSection() {
        Map<String, String> section = new LinkedHashMap<>();
        for (ExitCode exitCode : values()) {
            section.put(String.valueOf(exitCode.code), exitCode.meaning);
        }
        return section;
    }
}
