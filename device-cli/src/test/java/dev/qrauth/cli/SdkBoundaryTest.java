package dev.qrauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The command-line phone is an SDK user like any app: it uses the SDK's public packages only,
 * never {@code dev.qrauth.sdk.internal}, whose types may change in any release.
 */
class SdkBoundaryTest {

    private static final String INTERNAL = "dev.qrauth.sdk.internal";

    @Test
    void noSourceOfTheCliNamesTheSdksInternals() throws IOException {
        List<Path> sources = files(Path.of("src", "main", "java"), ".java");
        assertThat(sources).as("the CLI's sources").isNotEmpty();
        for (Path source : sources) {
            assertThat(Files.readString(source, StandardCharsets.UTF_8)).as(source.toString()).doesNotContain(INTERNAL);
        }
    }

    @Test
    void noCompiledClassOfTheCliRefersToTheSdksInternals() throws IOException {
        // A class refers to another through its constant pool, by internal name: also a type
        // used without an import, or reached through a fully qualified name.
        List<Path> classes = files(Path.of("target", "classes"), ".class");
        assertThat(classes).as("the CLI's compiled classes").isNotEmpty();
        String internal = INTERNAL.replace('.', '/');
        for (Path compiled : classes) {
            String constants = new String(Files.readAllBytes(compiled), StandardCharsets.ISO_8859_1);
            assertThat(constants).as(compiled.toString()).doesNotContain(internal);
        }
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }
}
