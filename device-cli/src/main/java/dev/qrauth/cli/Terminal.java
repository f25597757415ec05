package dev.qrauth.cli;

import java.io.Console;

/** The person at the keyboard, if there is one. Tests pass their own; scripts have none. */
interface Terminal {

    /** Whether someone can be asked. */
    boolean isInteractive();

    /** A line typed in answer to {@code prompt}, or null at end of input. */
    String readLine(String prompt);

    /** A secret typed without echo, or null at end of input. */
    char[] readSecret(String prompt);

    static Terminal system() {
        Console console = System.console();
        return console == null ? none() : new Terminal() {
            @Override
            public boolean isInteractive() {
                return true;
            }

            @Override
            public String readLine(String prompt) {
                return console.readLine("%s", prompt);
            }

            @Override
            public char[] readSecret(String prompt) {
                return console.readPassword("%s", prompt);
            }
        };
    }

    static Terminal none() {
        return new Terminal() {
            @Override
            public boolean isInteractive() {
                return false;
            }

            @Override
            public String readLine(String prompt) {
                return null;
            }

            @Override
            public char[] readSecret(String prompt) {
                return null;
            }
        };
    }
}
