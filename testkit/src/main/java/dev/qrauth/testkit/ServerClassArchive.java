package dev.qrauth.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * or {@code $XDG_CACHE_HOME/qrauth}), where only the user may write, named after the jar's real
 * path, and is used while it is newer than the jar; archives of jars that are gone are removed
 * when a new archive is written. The JVM starts without an archive, silently, when it cannot use
 * it (another Java, a rebuilt library), which costs time, never correctness. The environment
 * variable {@code QRAUTH_SERVER_CDS=off} turns archives off.
 */
final class ServerClassArchive {

    /** No archive: the cache cannot be written. */
    private static final ServerClassArchive NONE = new ServerClassArchive(null, null, List.of());

    private final Path archive;
    private final Path pending;
    private final List<String> jvmOptions;

    private ServerClassArchive(Path archive, Path pending, List<String> jvmOptions) {
        this.archive = archive;
        this.pending = pending;
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

    /** As {@link #forStartOf(Path)}, with the archives in {@code cache}, made (for its user alone) if missing. */
    static ServerClassArchive forStartOf(Path jar, Path cache) {
        try {
            if (!Files.isDirectory(cache)) {
                Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path real = jar.toRealPath();
            // '/' as '+', and '%' as '_': the JVM reads % in an archive's name as a pattern.
            Path archive = cache.resolve("server" + real.toString().replace('/', '+').replace('%', '_') + ".jsa");
            FileTime built = Files.getLastModifiedTime(real);
            if (Files.isRegularFile(archive) && Files.getLastModifiedTime(archive).compareTo(built) > 0) {
                return new ServerClassArchive(archive, null,
                        List.of("-Xshare:auto", "-Xlog:cds*=off", "-XX:SharedArchiveFile=" + archive));
            }
            Path pending = cache.resolve(archive.getFileName() + "." + UUID.randomUUID() + ".partial");
            return new ServerClassArchive(archive, pending,
                    List.of("-Xshare:auto", "-Xlog:cds*=off", "-XX:ArchiveClassesAtExit=" + pending));
        } catch (IOException | UnsupportedOperationException e) {
            return NONE;
        }
    }

    /** The JVM options of the start: none when no archive can be used or written. */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    /**
     * After the server's JVM exited: an archive it wrote when it was stopped (exit code 0, or 143
     * for SIGTERM) becomes the jar's archive. One written at a failed start holds too few classes,
     * and one of a JVM killed in the middle (SIGKILL) may be cut short: those are deleted.
     */
    void publish(int exitCode) {
        if (pending == null) {
            return;
        }
        try {
            if ((exitCode == 0 || exitCode == 143) && Files.isRegularFile(pending) && Files.size(pending) > 0) {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE);
                removeLeftovers(archive.getParent());
            }
            Files.deleteIfExists(pending);
        } catch (IOException e) {
            // The next start writes one again.
        }
    }

    /**
     * The archives of jars that are gone (a deleted checkout, a test's temporary jar) and partial
     * archives older than a day (of a test run that was killed) go, so the cache does not grow
     * with every checkout. An archive whose jar's path held a '+' or '%' is taken for gone too;
     * it is written again at the next start.
     */
    private static void removeLeftovers(Path cache) throws IOException {
        FileTime dayAgo = FileTime.from(Instant.now().minus(Duration.ofDays(1)));
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(cache, "server+*")) {
            for (Path file : archives) {
                String name = file.getFileName().toString();
                if (name.endsWith(".jsa")) {
                    Path jar = Path.of(name.substring("server".length(), name.length() - ".jsa".length()).replace('+', '/'));
                    if (!Files.isRegularFile(jar)) {
                        Files.deleteIfExists(file);
                    }
                } else if (name.endsWith(".partial") && Files.getLastModifiedTime(file).compareTo(dayAgo) < 0) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
