package dev.qrauth.sdk.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@link ProfileStore} in a directory: one file per entry, written to a temporary file, forced
 * to disk and renamed over the old one, so a crash never leaves a half-written entry.
 *
 * <p>The storage key is the file {@code storage.key} in the same directory, readable by its
 * owner only. What that protects, honestly: copies of the entries without the key file (a
 * backup or sync of some files, a file attached to a bug report) reveal nothing. Whoever can read
 * the whole directory as its owner can read everything; on a phone the key would live in the
 * platform's keystore instead, which a caller can emulate by passing its own key.
 */
public final class DirectoryStore implements ProfileStore {

    static final String KEY_FILE = "storage.key";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final Path directory;
    private final byte[] providedKey;

    /** A store in {@code directory} with its key in {@code storage.key} there. */
    public DirectoryStore(Path directory) {
        this(directory, null);
    }

    /** A store in {@code directory} sealed with {@code storageKey} (32 bytes) kept elsewhere. */
    public DirectoryStore(Path directory, byte[] storageKey) {
        this.directory = Objects.requireNonNull(directory, "directory == null");
        if (storageKey != null && storageKey.length != 32) {
            throw new IllegalArgumentException("storageKey must be 32 bytes");
        }
        this.providedKey = storageKey == null ? null : storageKey.clone();
    }

    public Path directory() {
        return directory;
    }

    @Override
    public Optional<byte[]> read(String name) {
        Path file = fileFor(name);
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void write(String name, byte[] content) {
        writeAtomically(fileFor(name), content);
    }

    @Override
    public void delete(String name) {
        try {
            Files.deleteIfExists(fileFor(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + name, e);
        }
    }

    @Override
    public List<String> names() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<String> names = new ArrayList<>();
            files.map(path -> path.getFileName().toString())
                    .filter(name -> !name.equals(KEY_FILE) && !name.endsWith(".tmp") && SAFE_NAME.matcher(name).matches())
                    .sorted()
                    .forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    @Override
    public byte[] storageKey() {
        if (providedKey != null) {
            return providedKey.clone();
        }
        Path keyFile = directory.resolve(KEY_FILE);
        try {
            if (!Files.exists(keyFile)) {
                if (!names().isEmpty()) {
                    // A new key would silently make every existing entry unreadable.
                    throw new IllegalStateException(keyFile + " is missing but " + directory
                            + " holds entries sealed with it; restore the key or remove the entries");
                }
                createDirectory();
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Path temporary = Files.createTempFile(directory, "key", ".tmp");
                restrict(temporary);
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.write(java.nio.ByteBuffer.wrap(key));
                    channel.force(true);
                }
                try {
                    // Two processes starting at once: the first key wins, the other reads it.
                    Files.createLink(keyFile, temporary);
                } catch (FileAlreadyExistsException e) {
                    // fall through to read the winner's key
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
            byte[] key = Files.readAllBytes(keyFile);
            if (key.length != 32) {
                throw new IllegalStateException(keyFile + " is not a storage key (32 bytes)");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + keyFile, e);
        }
    }

    private Path fileFor(String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches() || name.equals(KEY_FILE) || name.startsWith(".")) {
            throw new IllegalArgumentException("not an entry name: " + name);
        }
        return directory.resolve(name);
    }

    private void writeAtomically(Path target, byte[] content) {
        try {
            createDirectory();
            Path temporary = Files.createTempFile(directory, target.getFileName().toString(), ".tmp");
            try {
                restrict(temporary);
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    channel.write(java.nio.ByteBuffer.wrap(content));
                    channel.force(true);
                }
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("the file system cannot replace files atomically: " + directory, e);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            restrict(directory);
        }
    }

    private static void restrict(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the platform's own access control applies.
        }
    }
}
