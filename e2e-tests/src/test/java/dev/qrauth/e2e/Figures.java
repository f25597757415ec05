package dev.qrauth.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What a fault test measured, one line each in {@code target/fault-figures.txt}, for docs/RELIABILITY.md. */
final class Figures {

    static final Path FILE = Path.of("target", "fault-figures.txt");

    private Figures() {
    }

    static void record(String test, String figures) {
        String line = test + ": " + figures + System.lineSeparator();
        System.out.print(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
