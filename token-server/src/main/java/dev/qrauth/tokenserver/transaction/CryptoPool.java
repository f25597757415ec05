package dev.qrauth.tokenserver.transaction;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads the hot path seals and opens messages on: one per core, so that OpenPGP never runs
 * on an event loop (where it would hold up every other request of that loop) and never while a
 * database connection is held.
 */
@ApplicationScoped
public class CryptoPool {

    private final ExecutorService threads;

    CryptoPool() {
        AtomicInteger count = new AtomicInteger();
        threads = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), runnable -> {
            Thread thread = new Thread(runnable, "crypto-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** {@code work} on one of the pool's threads. */
    <T> Uni<T> run(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(threads);
    }

    /** The pool as an executor, for work handed to another package (a receipt's countersignature). */
    java.util.concurrent.Executor executor() {
        return threads;
    }

    void stop(@Observes ShutdownEvent event) {
        threads.shutdown();
    }
}
