package dev.qrauth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data archive of quick starts, with a small program standing in for a server. */
class ServerClassArchiveTest {

    private static final long DEADLINE_SECONDS = 120;

    @TempDir
    Path work;

    @Test
    void aStoppedStartWritesTheArchiveThatTheNextStartMaps() throws Exception {
        Path jar = programJar();
        Path cache = Files.createDirectories(work.resolve("cache"));

        writeArchive(jar, cache);
        assertThat(archives(cache)).as("one archive, nothing partial left").hasSize(1);

        Run reader = start(jar, ServerClassArchive.forStartOf(jar, cache), true);
        reader.stop();
        assertThat(reader.output).as("the program's class came from the archive")
                .containsPattern(Waits.class.getName().replace("$", "\\$") + " source: shared objects file");
    }

    @Test
    void theArchiveOfAKilledServerIsNotKept() throws Exception {
        Path jar = programJar();
        Path cache = Files.createDirectories(work.resolve("cache"));

        ServerClassArchive archive = ServerClassArchive.forStartOf(jar, cache);
        Run run = start(jar, archive, false);
        run.stop();
        assertThat(archives(cache)).as("the archive it wrote at its exit").hasSize(1);

        archive.publish(137);

        assertThat(archives(cache)).isEmpty();
        assertThat(ServerClassArchive.forStartOf(jar, cache).jvmOptions())
                .anyMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit="));
    }

    @Test
    void anArchiveOlderThanTheJarIsWrittenAgain() throws Exception {
        Path jar = programJar();
        Path cache = Files.createDirectories(work.resolve("cache"));
        writeArchive(jar, cache);
        assertThat(ServerClassArchive.forStartOf(jar, cache).jvmOptions())
                .anyMatch(option -> option.startsWith("-XX:SharedArchiveFile="));

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));

        assertThat(ServerClassArchive.forStartOf(jar, cache).jvmOptions())
                .anyMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit="))
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile="));
    }

    @Test
    void writingAnArchiveRemovesThoseOfJarsThatAreGoneAndOldPartialOnes() throws Exception {
        Path jar = programJar();
        Path cache = Files.createDirectories(work.resolve("cache"));
        Path gone = Files.writeString(cache.resolve("server-17.0.1" + work.resolve("gone.jar").toString().replace('/', '+') + ".jsa"), "x");
        Path oldPartial = Files.writeString(cache.resolve(gone.getFileName() + ".1.partial"), "x");
        Files.setLastModifiedTime(oldPartial, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path partialInProgress = Files.writeString(cache.resolve(gone.getFileName() + ".2.partial"), "x");
        Path otherProgram = Files.writeString(cache.resolve("otp-device+gone.jar-status.jsa"), "x");

        writeArchive(jar, cache);

        assertThat(gone).doesNotExist();
        assertThat(oldPartial).doesNotExist();
        assertThat(partialInProgress).as("another start may still be writing it").exists();
        assertThat(otherProgram).as("not a server's").exists();
        assertThat(ServerClassArchive.forStartOf(jar, cache).jvmOptions())
                .anyMatch(option -> option.startsWith("-XX:SharedArchiveFile="));
    }

    @Test
    void aCacheOthersMayWriteToIsNotUsed() throws Exception {
        Path jar = programJar();
        Path shared = Files.createDirectories(work.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(ServerClassArchive.forStartOf(jar, shared).jvmOptions()).isEmpty();
    }

    @Test
    void aCacheThatCannotBeWrittenMeansNoArchiveAndNoFailure() throws Exception {
        Path jar = programJar();
        Path notADirectory = Files.writeString(work.resolve("file"), "");

        assertThat(ServerClassArchive.forStartOf(jar, notADirectory.resolve("cache")).jvmOptions())
                .noneMatch(option -> option.contains("Archive"));
    }

    private static List<Path> archives(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.toList();
        }
    }

    private Run start(Path jar, ServerClassArchive archive, boolean logClassLoading) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(archive.jvmOptions());
        if (logClassLoading) {
            command.add("-Xlog:class+load=info");
        }
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Run run = new Run(process);
        // The program says it runs once its class is loaded, so a stop never comes before that.
        String line;
        StringBuilder output = new StringBuilder();
        var reader = process.inputReader(StandardCharsets.UTF_8);
        while ((line = reader.readLine()) != null) {
            output.append(line).append('\n');
            if (line.equals(Waits.READY)) {
                break;
            }
        }
        run.output = output.toString();
        assertThat(run.output).as("the program started").contains(Waits.READY);
        return run;
    }

    private Path programJar() throws IOException {
        Path jar = MainClassJar.write(work.resolve("program.jar"), Waits.class);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        return jar;
    }

    /** One start and stop of {@code jar} with an archive to write: the archive is in place afterwards. */
    private void writeArchive(Path jar, Path cache) throws Exception {
        ServerClassArchive archive = ServerClassArchive.forStartOf(jar, cache);
        Run writer = start(jar, archive, false);
        writer.stop();
        archive.publish(writer.exitCode);
    }

    private static final class Run {
        final Process process;
        /** What the program printed until it said it runs: its class loading, when logged, included. */
        String output;
        int exitCode = -1;

        Run(Process process) {
            this.process = process;
        }

        void stop() throws Exception {
            process.destroy();
            awaitExit();
        }

        private void awaitExit() throws Exception {
            assertThat(process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).as("the program exited").isTrue();
            exitCode = process.exitValue();
        }
    }

    /** The stand-in server: says it runs, then waits until it is stopped. */
    static final class Waits {
        static final String READY = "waiting";

        public static void main(String[] args) throws InterruptedException {
            System.out.println(READY);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
