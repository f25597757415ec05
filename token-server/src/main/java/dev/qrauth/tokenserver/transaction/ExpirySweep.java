package dev.qrauth.tokenserver.transaction;

import dev.qrauth.tokenserver.BackgroundJob;
import dev.qrauth.tokenserver.TokenServerConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Expires due transactions every {@code tokenserver.sweep.interval}, in bounded batches. */
@ApplicationScoped
public class ExpirySweep {

    private final Transactions transactions;
    private final int batchSize;

    ExpirySweep(Transactions transactions, TokenServerConfig config) {
        this.transactions = transactions;
        this.batchSize = config.sweep().batchSize();
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
