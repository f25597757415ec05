package dev.qrauth.tokenserver;

import dev.qrauth.tokenserver.security.MasterKey;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * Refuses to start without the master key outside dev and test, starts the embedded PostgreSQL
 * when no external database is configured, then the server; stops the database after the server
 * has shut down, whether it was asked to stop or failed to start.
 *
 * <p>Shutdown runs in that order only because the server handles {@code SIGINT}, {@code SIGTERM}
 * and {@code SIGHUP} itself once it is running ({@link Running}): left to the JVM, such a signal
 * runs every shutdown hook at once, and the embedded PostgreSQL library's own hook stopped the
 * database while the scheduled jobs still used it.
 */
@QuarkusMain
public final class TokenServerMain {

    private TokenServerMain() {
    }

    public static void main(String... args) {
        if (!LaunchMode.current().isDevOrTest() && ConfigProvider.getConfig()
                .getOptionalValue("tokenserver.master-key", String.class).filter(key -> !key.isBlank()).isEmpty()) {
            // Said before anything starts, rather than as the cause of a failed boot. Logging is
            // not configured before Quarkus runs (a message logged now would be lost), so the
            // message goes to standard error as a process's refusal to start does.
            System.err.println(MasterKey.MISSING);
            System.exit(1);
        }
        EmbeddedDatabase database;
        try {
            database = EmbeddedDatabase.startIfNeeded();
        } catch (DataDirectoryInUseException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        // Called once Quarkus has stopped: after a stop that was asked for, and after a failed start
        // (as the default handler, so that Quarkus still reports why it failed).
        ApplicationLifecycleManager.setDefaultExitCodeHandler((Integer exitCode, Throwable failure) -> {
            database.close();
            System.exit(exitCode);
        });
        Quarkus.run(Running.class, args);
    }

    /**
     * The server once it has started, its port bound: it lets the scheduled jobs run and waits to
     * be asked to stop. A stop signal asks Quarkus to exit, which stops the application (its
     * scheduled jobs first, see {@link BackgroundJobs}) while the database still runs; then
     * {@link #main} stops the database and exits with the code the JVM gives a process ended by
     * that signal (128 + its number).
     *
     * <p>A signal that comes before this (while the database or Quarkus starts) is the JVM's
     * business as before; one that the process was started to ignore ({@code nohup}, a background
     * job of a shell) stays ignored.
     */
    public static final class Running implements QuarkusApplication {

        private static final Logger LOG = Logger.getLogger(Running.class);
        private static final String[] STOP_SIGNALS = {"INT", "TERM", "HUP"};

        private final AtomicInteger exitCode = new AtomicInteger();

        @Override
        public int run(String... args) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                for (String name : STOP_SIGNALS) {
                    handle(name);
                }
            }
            Arc.container().instance(BackgroundJobs.class).get().resume();
            Quarkus.waitForExit();
            return exitCode.get();
        }

        private void handle(String name) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    exitCode.compareAndSet(0, 128 + signal.getNumber());
                    Quarkus.asyncExit(exitCode.get());
                });
            } catch (IllegalArgumentException unavailable) {
                // -Xrs, or a platform without this signal: the JVM's shutdown hooks stop the server.
                LOG.debugf("Not handling SIG%s: %s", name, unavailable.getMessage());
            }
        }
    }
}
