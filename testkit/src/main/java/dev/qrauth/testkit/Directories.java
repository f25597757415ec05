package dev.qrauth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removal of the directories a run makes for itself: a server's data, a phone's store, scratch
 * space. A tree is deleted depth first; symbolic links are removed, never followed.
 */
public final class Directories {

    private Directories() {
    }

    /**
     * Deletes {@code top} and everything under it; nothing happens when it does not exist.
     *
     * @throws IOException when something in the tree could not be deleted
     */
    public static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                // Gone meanwhile (a server removing its own files as it stops): nothing left to do.
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Deletes {@code top} like {@link #deleteTree}, for clean-up after a run, where a leftover in
     * the temporary directory is not worth failing for.
     *
     * @return null when all of it is gone, else why not
     */
    public static String deleteTreeQuietly(Path top) {
        try {
            deleteTree(top);
            return null;
        } catch (IOException | UncheckedIOException e) {
            return e.toString();
        }
    }
}
