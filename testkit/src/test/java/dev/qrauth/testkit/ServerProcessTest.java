package dev.qrauth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a start fails, told as a type, with the log where the server's name puts it. */
class ServerProcessTest {

    @TempDir
    Path work;

    @Test
    void aServerThatExitsAtStartIsReportedWithItsNamedLog() throws Exception {
        Path notAJar = Files.writeString(work.resolve("not-a-jar.jar"), "not a jar");

        assertThatThrownBy(() -> ServerProcess.builder(notAJar).name("portal").dataDirectory(work)
                .dataDirectoryProperty(null).start())
                .isInstanceOfSatisfying(ServerStartException.class,
                        e -> assertThat(e.reason()).isEqualTo(ServerStartException.Reason.EXITED));

        assertThat(work.resolve("portal.log")).isNotEmptyFile();
        assertThat(work.resolve("server.log")).doesNotExist();
    }

    @Test
    void aProgramThatTookThePortIsNeverAsked() throws Exception {
        try (ServerSocket intruder = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServerProcess.Builder server = ServerProcess.builder(staysAliveJar()).dataDirectory(work)
                    .port(intruder.getLocalPort()).startTimeout(Duration.ofSeconds(30));

            assertThatThrownBy(server::start).isInstanceOfSatisfying(ServerStartException.class, e -> {
                assertThat(e.reason()).isEqualTo(ServerStartException.Reason.PORT_TAKEN);
                assertThat(e.port()).isEqualTo(intruder.getLocalPort());
            });

            intruder.setSoTimeout(200);
            assertThatThrownBy(intruder::accept).as("nothing connected to the intruder")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aQuickStartThatNeverBecameReadyLeavesNoClassArchive() throws Exception {
        Path cache = work.resolve("cache");
        ServerProcess.Builder server = ServerProcess.builder(staysAliveJar()).dataDirectory(work).quickStart()
                .classArchiveCache(cache).startTimeout(Duration.ofSeconds(3));

        assertThatThrownBy(server::start).isInstanceOfSatisfying(ServerStartException.class,
                e -> assertThat(e.reason()).isEqualTo(ServerStartException.Reason.NOT_READY_IN_TIME));

        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).as("nothing of the stopped start kept").isEmpty();
        }
    }

    /** A jar that starts, stays and never listens, as a server still starting would. */
    private Path staysAliveJar() throws IOException {
        return MainClassJar.write(work.resolve("stays-alive.jar"), StaysAlive.class);
    }

    /** The pretended server: it waits for input that never comes, until it is stopped. */
    static final class StaysAlive {
        public static void main(String[] args) throws IOException {
            System.in.read();
        }
    }
}
