package dev.qrauth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {

    @TempDir
    Path temp;

    @Test
    void aTreeIsDeletedWithEverythingUnderIt() throws IOException {
        Path top = Files.createDirectories(temp.resolve("data/postgres/base"));
        Files.writeString(top.resolve("1"), "rows");
        Files.writeString(temp.resolve("data/server.log"), "log");

        Directories.deleteTree(temp.resolve("data"));

        assertThat(temp.resolve("data")).doesNotExist();
        assertThat(temp).exists();
    }

    @Test
    void aMissingDirectoryIsNothingToDo() throws IOException {
        Directories.deleteTree(temp.resolve("never-made"));

        assertThat(Directories.deleteTreeQuietly(temp.resolve("never-made"))).isNull();
    }

    @Test
    void aLinkInTheTreeIsRemovedButWhatItPointsToIsKept() throws IOException {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Path kept = Files.writeString(elsewhere.resolve("keep-me"), "not the run's");
        Path top = Files.createDirectories(temp.resolve("run"));
        Files.createSymbolicLink(top.resolve("link"), elsewhere);

        Directories.deleteTree(top);

        assertThat(top).doesNotExist();
        assertThat(kept).hasContent("not the run's");
    }
}
