package dev.qrauth.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The class-data archive of a server jar that is started many times ({@link
 * ServerProcess.Builder#quickStart()}): the classes a start loaded, parsed and verified, mapped
 * into the next start's memory instead. It saves about a quarter of a token server's start CPU
 * ({@code docs/PERFORMANCE.md}, "The test suite's time").
 *
 * <p>A start with no usable archive writes one when its JVM exits after a stop
 * ({@code -XX:ArchiveClassesAtExit}), to a file of its own that {@link #publish} moves into place,
 * so starts at the same time never map a half-written archive; the archive of a failed start or
 * of a killed server is dropped. The archive lives in the user's cache ({@code ~/.cache/qrauth},
 * or {@code $XDG_CACHE_HOME/qrauth}), where only the user may write, named after the JVM's version
 * and the jar's real path, and is used while it is newer than the jar; archives of jars that are gone are removed
 * when a new archive is written. The JVM starts without an archive, silently, when it cannot use
 * it (another Java, a rebuilt library), which costs time, never correctness. The environment
 * variable {@code QRAUTH_SERVER_CDS=off} turns archives off.
 */
final class ServerClassArchive {

    /** No archive: the cache cannot be used. */
    private static final ServerClassArchive NONE = new ServerClassArchive(null, null, null, List.of());
    /** The archives' names begin with this, then the JVM's version, then the jar's path. */
    private static final String PREFIX = "server-";

    private final Path archive;
    private final Path pending;
    /** The jar's date and size when the start began: an archive of a jar rebuilt since is not kept. */
    private final Jar jar;
    private final List<String> jvmOptions;

    private record Jar(Path path, FileTime modified, long size) {

        static Jar of(Path path) throws IOException {
            return new Jar(path, Files.getLastModifiedTime(path), Files.size(path));
        }
    }

    private ServerClassArchive(Path archive, Path pending, Jar jar, List<String> jvmOptions) {
        this.archive = archive;
        this.pending = pending;
        this.jar = jar;
        this.jvmOptions = jvmOptions;
    }

    /** What a start of {@code jar} uses: the archive when there is a current one, else a new one to write. */
    static ServerClassArchive forStartOf(Path jar) {
        if ("off".equals(System.getenv("QRAUTH_SERVER_CDS"))) {
            return NONE;
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return forStartOf(jar, base.resolve("qrauth"));
    }

    /**
     * As {@link #forStartOf(Path)}, with the archives in {@code cache}, made (for its user alone) if
     * missing. A cache another user owns or may write to is not used: the classes of a server that
     * holds the master key come from nowhere anyone else can write.
     */
    static ServerClassArchive forStartOf(Path jar, Path cache) {
        try {
            if (!Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!ownedAndWritableByUsAlone(cache)) {
                return NONE;
            }
            Jar current = Jar.of(jar.toRealPath());
            // The JVM's version, as an archive fits only the JVM that wrote it; then the jar's path
            // with '/' as '+' and '%' as '_' (the JVM reads % in an archive's name as a pattern).
            String version = Runtime.version().toString().replaceAll("[^A-Za-z0-9.]", "_");
            Path archive = cache.resolve(PREFIX + version + current.path().toString().replace('/', '+').replace('%', '_') + ".jsa");
            if (Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)
                    && Files.getLastModifiedTime(archive, LinkOption.NOFOLLOW_LINKS).compareTo(current.modified()) > 0) {
                return new ServerClassArchive(archive, null, current,
                        List.of("-Xshare:auto", "-Xlog:cds*=off", "-XX:SharedArchiveFile=" + archive));
            }
            Path pending = cache.resolve(archive.getFileName() + "." + UUID.randomUUID() + ".partial");
            return new ServerClassArchive(archive, pending, current,
                    List.of("-Xshare:auto", "-Xlog:cds*=off", "-XX:ArchiveClassesAtExit=" + pending));
        } catch (IOException | UnsupportedOperationException e) {
            return NONE;
        }
    }

    private static boolean ownedAndWritableByUsAlone(Path cache) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(cache, LinkOption.NOFOLLOW_LINKS);
        return Files.getOwner(cache, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
                && !permissions.contains(PosixFilePermission.GROUP_WRITE)
                && !permissions.contains(PosixFilePermission.OTHERS_WRITE)
                && Files.isWritable(cache);
    }

    /** The JVM options of the start: none when no archive can be used or written. */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    /**
     * After a server that was ready exited: an archive it wrote when it was stopped (exit code 0,
     * or 143 for SIGTERM) becomes the jar's archive, unless the jar was rebuilt meanwhile. One of
     * a JVM killed in the middle (SIGKILL) may be cut short, and is deleted.
     */
    void publish(int exitCode) {
        if (pending == null) {
            return;
        }
        try {
            if ((exitCode == 0 || exitCode == 143) && Files.isRegularFile(pending, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(pending) > 0 && jar.equals(Jar.of(jar.path()))) {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE);
                removeLeftovers(archive);
            }
            Files.deleteIfExists(pending);
        } catch (IOException e) {
            // The next start writes one again.
        }
    }

    /** After a start that never became ready: what it wrote holds too few classes, and is deleted. */
    void discard() {
        if (pending != null) {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException e) {
                // Removed with the leftovers when a day old.
            }
        }
    }

    /**
     * The archives of jars that are gone (a deleted checkout, a test's temporary jar) and partial
     * archives older than a day (of a test run that was killed) go, so the cache does not grow
     * with every checkout. An archive whose jar's path held a '+' or '%' is taken for gone when
     * another jar's archive is written; it is written again at its jar's next start.
     */
    private static void removeLeftovers(Path published) throws IOException {
        FileTime dayAgo = FileTime.from(Instant.now().minus(Duration.ofDays(1)));
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(published.getParent(), PREFIX + "*")) {
            for (Path file : archives) {
                String name = file.getFileName().toString();
                int path = name.indexOf('+');
                if (file.equals(published) || path < 0) {
                    continue;
                }
                if (name.endsWith(".jsa")) {
                    Path jar = Path.of(name.substring(path, name.length() - ".jsa".length()).replace('+', '/'));
                    if (!Files.isRegularFile(jar)) {
                        Files.deleteIfExists(file);
                    }
                } else if (name.endsWith(".partial")
                        && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).compareTo(dayAgo) < 0) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
