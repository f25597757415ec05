package dev.qrauth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The class-data-sharing archive {@code bin/otp-device} started this run with. The JVM ignores an
 * archive it cannot use (one written by another Java, or for another copy of the jar) without a
 * word, and such a run is several times slower than one from the archive. The launcher only
 * checks that the archive is newer than the jar, which costs no process; this class does the
 * rest: when the archive was not used, it removes it, so that the next run writes a fitting one.
 */
final class ClassArchive {

    /** The system property through which the launcher names the archive. */
    static final String PROPERTY = "otp-device.archive";

    private ClassArchive() {
    }

    /** Removes the named archive when the JVM runs without class sharing, that is without it. */
    static void removeIfUnused() {
        String archive = System.getProperty(PROPERTY);
        // The JVM says "sharing" in java.vm.info exactly when it runs from an archive; a static
        // archive that does not fit turns sharing off altogether.
        if (archive == null || archive.isEmpty() || System.getProperty("java.vm.info", "").contains("sharing")) {
            return;
        }
        try {
            Files.deleteIfExists(Path.of(archive));
        } catch (IOException | RuntimeException e) {
            // The next run tries again; this run's answer is what matters.
        }
    }
}
