package dev.qrauth.tokenserver.transaction;

import dev.qrauth.tokenserver.BackgroundJob;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Expires due transactions every {@code tokenserver.sweep.interval}, in bounded batches. */
@ApplicationScoped
public class ExpirySweep {

    private final Transactions transactions;
    private final int batchSize;

    ExpirySweep(Transactions transactions, @ConfigProperty(name = "tokenserver.sweep.batch-size") int batchSize) {
        this.transactions = transactions;
        this.batchSize = batchSize;
    }

    @BackgroundJob
    @Scheduled(every = "${tokenserver.sweep.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        // A full batch means more may be due; keep going, a batch per transaction.
        while (transactions.expireDue(batchSize) == batchSize) {
            Thread.onSpinWait();
        }
    }
}
