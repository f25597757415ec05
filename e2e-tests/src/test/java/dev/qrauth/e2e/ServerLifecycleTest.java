package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.testkit.CallbackInbox;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The token server's own lifecycle with its embedded PostgreSQL, on the real jar: a stop while its
 * scheduled jobs are busy, a start that fails after the database started, and {@code kill -9}.
 */
class ServerLifecycleTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Transactions left to expire, whose callbacks are refused and retried: work for every job. */
    private static final int TRANSACTIONS = 100;

    /**
     * Ctrl-C in a terminal sends SIGINT to the whole process group: the server and the watchdog of
     * its database. The jobs are busy: transactions expire and their callbacks are refused and
     * retried. The jobs stop first, then the database, and the log shows no error.
     */
    @Test
    void ctrlCWhileTheJobsAreBusyStopsEverythingWithoutAnError() throws Exception {
        try (CallbackInbox inbox = CallbackInbox.start()) {
            inbox.refuse(true);
            TokenServerProcess server = TokenServerProcess.startAsInATerminal("tokenserver.initiation.rate=1000",
                    "tokenserver.initiation.burst=1000");
            try {
                FaultFlows.Client client = FaultFlows.client(server, inbox.uri());
                FaultFlows.type(server, "short", 10);
                for (int i = 0; i < TRANSACTIONS; i++) {
                    assertThat(FaultFlows.initiate(server, client, "short", inbox.uri()).status()).isEqualTo(200);
                }
                // The sweep expired them, and the outbox's poll claimed refused callbacks again.
                until(server, () -> inbox.refused().stream().filter(r -> r.text().contains("\"EXPIRED\"")).count()
                        > TRANSACTIONS + 10, "callbacks of expired transactions retried");
                ProcessHandle database = server.embeddedDatabase().orElseThrow();

                List<ProcessHandle> group = Stream.concat(Stream.of(server.handle()), server.handle().descendants())
                        .toList();
                Signals.send("INT", group);

                assertThat(server.awaitExit(DEADLINE)).as(server.log()).hasValue(130);
                assertThat(database.onExit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
                group.forEach(process -> assertThat(process.isAlive()).as("%s still runs", process).isFalse());
                String log = server.fullLog();
                assertNoErrorAndNoStackTrace(log);
                // The application's own shutdown still reached the database: the node left the cluster's table.
                assertThat(log).doesNotContain("could not remove this node's row");
            } finally {
                server.close();
            }
        }
    }

    /**
     * SIGTERM (a service manager's stop) stops as cleanly; and a start that fails after the
     * database started (its port is taken) reports why, stops the database and nothing else.
     */
    @Test
    void aStopAndAFailedStartLeaveOnlyTheReasonInTheLog() throws Exception {
        TokenServerProcess server = TokenServerProcess.start();
        try {
            FaultFlows.type(server, "login", 120);
            server.close();
            assertThat(server.awaitExit(Duration.ZERO)).hasValue(143);
            assertNoErrorAndNoStackTrace(server.fullLog());

            try (ServerSocket taken = new ServerSocket(server.uri.getPort(), 1, InetAddress.getLoopbackAddress())) {
                // Waits for the server's own exit: its start, database and migrations included, can
                // take longer on a busy machine than the kit's patience with a taken port.
                TokenServerProcess again = server.restartWithoutWaiting();
                try {
                    OptionalInt exit = again.awaitExit(DEADLINE);
                    assertThat(exit).as("the server exited by itself").isPresent();
                    assertThat(exit.getAsInt()).as("its exit code").isNotZero();
                } finally {
                    again.close();
                }
            }
            String log = server.fullLog();
            assertThat(log).contains("Port " + server.uri.getPort() + " seems to be in use");
            assertThat(log.lines().filter(line -> line.contains(" ERROR ")))
                    .as(log).singleElement().asString().contains("seems to be in use");
            assertThat(log).doesNotContain("Error occurred while executing task");
            assertThat(server.dataDir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
            assertThat(processesNaming(server.dataDir.toString())).isEmpty();
        } finally {
            server.close();
        }
    }

    /** PostgreSQL does not watch its parent: the server's watchdog stops it when the server is killed. */
    @Test
    void theDatabaseOfAKilledServerStopsByItself() throws Exception {
        TokenServerProcess server = TokenServerProcess.start();
        try {
            ProcessHandle database = server.embeddedDatabase().orElseThrow();
            Instant killed = Instant.now();
            server.kill();

            try {
                database.onExit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("The PostgreSQL of the killed server still runs after " + DEADLINE, e);
            }
            assertThat(Duration.between(killed, Instant.now())).isLessThan(DEADLINE);
            assertThat(processesNaming(server.dataDir.toString())).isEmpty();
        } finally {
            server.close();
        }
    }

    private static void assertNoErrorAndNoStackTrace(String log) {
        assertThat(log.lines().filter(line -> line.contains(" ERROR "))).as(log).isEmpty();
        assertThat(log).as("stack traces").doesNotContain("\tat ").doesNotContain("Caused by:");
        assertThat(log).contains("stopped in");
    }

    /** The processes whose command line names {@code path} (a data directory); read from the process table. */
    private static List<ProcessHandle> processesNaming(String path) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().orElse("").contains(path)).toList();
    }

    /** Waits until {@code condition} holds, polling while the server runs. */
    private static void until(TokenServerProcess server, BooleanSupplier condition, String what)
            throws InterruptedException, ExecutionException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("%s within %s", what, DEADLINE).isBefore(deadline);
            try {
                server.handle().onExit().get(100, TimeUnit.MILLISECONDS); // the poll interval, cut short by an exit
                throw new AssertionError("The token server exited: " + server.log());
            } catch (TimeoutException stillRunning) {
                // poll again
            }
        }
    }
}
