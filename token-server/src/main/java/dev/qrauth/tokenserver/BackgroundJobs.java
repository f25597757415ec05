package dev.qrauth.tokenserver;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The runs of the {@link BackgroundJob}s (sweeps, purges, callback claims, cluster heartbeats):
 * only while the server is up, from the end of its start to the beginning of its stop. When it
 * shuts down they are stopped before anything else: no run starts any more, and the ones under
 * way finish while the database, its connection pool and the other beans still work. Left to the
 * scheduler, which starts before the application and stops only when the beans are destroyed,
 * runs went on after the database's pool had closed, each logging an error; and a start that
 * failed (which Quarkus ends without a shutdown event) left them running into the destruction.
 */
@ApplicationScoped
public class BackgroundJobs {

    private static final Logger LOG = Logger.getLogger(BackgroundJobs.class);
    /** A run takes a few bounded batches; a run that takes longer than this is not waited for. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(20);

    private int running;
    private boolean started;
    private boolean stopping;

    /** After every other observer of the start: had one of them failed, the server would not have started. */
    synchronized void started(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
        started = true;
    }

    /** Whether a run may start; if so, {@link #finished()} must follow. */
    synchronized boolean tryStart() {
        if (!started || stopping) {
            return false;
        }
        running++;
        return true;
    }

    synchronized void finished() {
        running--;
        if (running == 0) {
            notifyAll();
        }
    }

    /** Before every other observer of the shutdown: no new run, and the runs under way end. */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        awaitStopped(LONGEST_WAIT);
    }

    /** Refuses new runs and waits up to {@code timeout} for the ones under way; whether they all ended. */
    synchronized boolean awaitStopped(Duration timeout) {
        stopping = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warnf("%d background job(s) still running after %d s; shutting down without them",
                            running, timeout.toSeconds());
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a {@link BackgroundJob} only while the server is not stopping, and counts it while it runs. */
    @BackgroundJob
    @Interceptor
    @Priority(Interceptor.Priority.PLATFORM_BEFORE)
    static class Gate {

        @Inject
        BackgroundJobs jobs;

        @AroundInvoke
        Object run(InvocationContext invocation) throws Exception {
            if (!jobs.tryStart()) {
                return null;
            }
            try {
                return invocation.proceed();
            } finally {
                jobs.finished();
            }
        }
    }
}
