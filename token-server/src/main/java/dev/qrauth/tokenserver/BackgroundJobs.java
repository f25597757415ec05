package dev.qrauth.tokenserver;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
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
 * The scheduled {@link BackgroundJob}s (sweeps, purges, callback claims, cluster heartbeats) run
 * only while the server is up: from the end of its start to the beginning of its stop.
 *
 * <p>The scheduler starts halted ({@code quarkus.scheduler.start-mode}) and {@link #resume()}
 * lets it fire once the server has started, its port included ({@link TokenServerMain}): a start
 * that fails (a port in use, a wrong master key) never runs a job, where the jobs used to fire
 * into the half-destroyed application and log an error each. When the server shuts down they are
 * stopped before anything else: the scheduler fires no more, and the runs under way finish while
 * the database, its connection pool and the other beans still work.
 */
@ApplicationScoped
public class BackgroundJobs {

    private static final Logger LOG = Logger.getLogger(BackgroundJobs.class);
    /** A run takes a few bounded batches; a run that takes longer than this is not waited for. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(20);

    private final Scheduler scheduler;
    private int running;
    private boolean stopping;

    BackgroundJobs(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Lets the scheduler fire: the server has started. */
    void resume() {
        scheduler.resume();
    }

    /** Whether a run may start; if so, {@link #finished()} must follow. */
    synchronized boolean tryStart() {
        if (stopping) {
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
        scheduler.pause();
        refuseNewRunsAndAwait(LONGEST_WAIT);
    }

    /** Refuses new runs and waits up to {@code timeout} for the ones under way. */
    private synchronized void refuseNewRunsAndAwait(Duration timeout) {
        stopping = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warnf("%d background job(s) still running after %d s; shutting down without them",
                            running, timeout.toSeconds());
                    return;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs a {@link BackgroundJob} only while the server is not stopping (a run the scheduler
     * fired just before it was paused still comes), and counts it while it runs.
     */
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
