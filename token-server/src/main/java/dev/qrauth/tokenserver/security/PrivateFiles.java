package dev.qrauth.tokenserver.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Directories and files that only the server's own user may read: the data directory, the
 * database password, a generated admin password, and where the PostgreSQL binaries are unpacked.
 * On a file system without POSIX permissions the checks are skipped (they cannot be expressed).
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /** Creates {@code dir} (and its parents) if needed, and makes it the owner's alone (0700). */
    public static Path createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            restrict(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the private directory " + dir, e);
        }
    }

    /** Takes every permission of the group and of others away from {@code path}. */
    public static void restrict(Path path) {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (permissions.removeAll(OTHERS)) {
                view.setPermissions(permissions);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restrict the permissions of " + path, e);
        }
    }

    /**
     * The secret kept in {@code file}; on first use a new random one (32 bytes, base64url) is
     * written there, readable by the owner only.
     */
    public static String readOrCreateSecret(Path file) {
        try {
            if (!Files.exists(file)) {
                try {
                    writeSecret(file, Secrets.token(32));
                } catch (FileAlreadyExistsException concurrentlyCreated) {
                    // another process won the race; its value is the one to use
                }
            }
            restrict(file);
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new IllegalStateException(file + " is empty; delete it only together with the data it protects");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the secret file " + file, e);
        }
    }

    /** Writes {@code secret} to a new file readable by the owner only; fails if the file exists. */
    public static void writeSecret(Path file, String secret) throws IOException {
        PosixFileAttributeView parent = Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class);
        if (parent == null) {
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            return;
        }
        // Created with its final permissions, so the secret is never readable by others, not even briefly.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    }

    /** Writes {@code secret} to {@code file}, readable by the owner only, replacing what was there. */
    public static void replaceSecret(Path file, String secret) {
        try {
            Path fresh = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(fresh);
            writeSecret(fresh, secret);
            Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the secret file " + file, e);
        }
    }

    /**
     * A directory for the PostgreSQL binaries under {@code parent}, which is created private to
     * this user. It is refused when it belongs to another user: whoever owns it could replace
     * the binaries the server runs.
     */
    public static Path postgresBinaries(Path parent) {
        createDirectory(parent);
        try {
            UserPrincipal owner = Files.getOwner(parent);
            Path probe = Files.createTempFile(parent, "owner", ".probe");
            UserPrincipal me;
            try {
                me = Files.getOwner(probe);
            } finally {
                Files.delete(probe);
            }
            if (!owner.equals(me)) {
                throw new IllegalStateException(parent + " belongs to " + owner.getName() + ", not to the user "
                        + "running the server; set tokenserver.postgres-binaries-dir to a directory of your own");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not check the owner of " + parent, e);
        }
        return createDirectory(parent.resolve("embedded-postgres"));
    }

    /** {@code $XDG_CACHE_HOME/qrauth}, or {@code ~/.cache/qrauth}: a directory of this user's. */
    public static Path defaultPostgresBinaries() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("qrauth");
    }

    /** Whether {@code path} is closed to the group and to others (always true without POSIX permissions). */
    public static boolean isPrivate(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        return view == null || view.readAttributes().permissions().stream().noneMatch(OTHERS::contains);
    }
}
