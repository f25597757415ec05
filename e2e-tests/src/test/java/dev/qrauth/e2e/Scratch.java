package dev.qrauth.e2e;

import dev.qrauth.testkit.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Temporary files and directories of the end-to-end tests (server data, browser profiles, phone
 * stores, logs), deleted when the test JVM ends, after every process using them was stopped.
 */
final class Scratch {

    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(Scratch::delete), "e2e-scratch-cleanup"));
    }

    private Scratch() {
    }

    static Path directory(String prefix) {
        try {
            return remember(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path file(String prefix, String suffix) {
        try {
            return remember(Files.createTempFile(prefix, suffix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code path} and everything under it now; what cannot be deleted is left. */
    static void delete(Path path) {
        // A leftover in the temporary directory is not worth failing a test for.
        Directories.deleteTreeQuietly(path);
    }

    private static Path remember(Path path) {
        CREATED.add(path);
        return path;
    }
}
