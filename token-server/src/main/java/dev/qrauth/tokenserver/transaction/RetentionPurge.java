package dev.qrauth.tokenserver.transaction;

import dev.qrauth.tokenserver.BackgroundJob;
import dev.qrauth.tokenserver.TokenServerConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes finished transactions and finished callbacks older than
 * {@code tokenserver.retention.finished-age}, in bounded batches claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so tables do not grow without end and nodes purging at once
 * never wait on each other. Open transactions and callbacks still being delivered are never
 * touched; the audit trail is kept.
 *
 * <p>Devices that never got a user are deleted once older than
 * {@code tokenserver.retention.unused-device-age}: registration is anonymous, so such rows cost
 * an attacker nothing and would otherwise stay for ever. A device that once had a user stays,
 * even when all its users have left.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    private final EntityManager entities;
    private final Duration finishedAge;
    private final Duration unusedDeviceAge;
    private final int batchSize;

    RetentionPurge(EntityManager entities, TokenServerConfig config) {
        this.entities = entities;
        this.finishedAge = config.retention().finishedAge();
        this.unusedDeviceAge = config.retention().unusedDeviceAge();
        this.batchSize = config.retention().batchSize();
    }

    @BackgroundJob
    @Scheduled(every = "${tokenserver.retention.interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        long removed = purgeOlderThan(Instant.now().minus(finishedAge));
        if (removed > 0) {
            LOG.infof("retention: removed %d finished transactions and callbacks older than %s", removed, finishedAge);
        }
        long devices = purgeUnusedDevicesOlderThan(Instant.now().minus(unusedDeviceAge));
        if (devices > 0) {
            LOG.infof("retention: removed %d devices registered before %s ago that never got a user",
                    devices, unusedDeviceAge);
        }
    }

    /** Removes devices registered before {@code cutoff} that never got a user; returns how many. */
    public long purgeUnusedDevicesOlderThan(Instant cutoff) {
        long removed = 0;
        int batch;
        do {
            batch = purgeUnusedDevices(cutoff);
            removed += batch;
        } while (batch == batchSize);
        return removed;
    }

    /** Removes everything finished before {@code cutoff}, batch by batch; returns how many rows. */
    public long purgeOlderThan(Instant cutoff) {
        long removed = 0;
        int batch;
        do {
            batch = purgeTransactions(cutoff);
            removed += batch;
        } while (batch == batchSize);
        do {
            batch = purgeCallbacks(cutoff);
            removed += batch;
        } while (batch == batchSize);
        return removed;
    }

    @Transactional
    int purgeTransactions(Instant cutoff) {
        return entities.createNativeQuery("DELETE FROM mobile_auth_transaction WHERE transaction_id IN ("
                        + "SELECT transaction_id FROM mobile_auth_transaction WHERE status NOT IN ('PENDING', 'SCANNED') "
                        + "AND finished_at < ?1 LIMIT ?2 FOR UPDATE SKIP LOCKED)")
                .setParameter(1, cutoff).setParameter(2, batchSize)
                .executeUpdate();
    }

    @Transactional
    int purgeCallbacks(Instant cutoff) {
        return entities.createNativeQuery("DELETE FROM callback_outbox WHERE id IN ("
                        + "SELECT id FROM callback_outbox WHERE (delivered_at IS NOT NULL OR abandoned_at IS NOT NULL) "
                        + "AND created_at < ?1 LIMIT ?2 FOR UPDATE SKIP LOCKED)")
                .setParameter(1, cutoff).setParameter(2, batchSize)
                .executeUpdate();
    }

    @Transactional
    int purgeUnusedDevices(Instant cutoff) {
        // A user registration marks its device under the row lock, so a device being given a user
        // right now is skipped (SKIP LOCKED) or, once marked, no longer matches.
        return entities.createNativeQuery("DELETE FROM device WHERE device_id IN ("
                        + "SELECT device_id FROM device WHERE first_user_registered_at IS NULL "
                        + "AND created_at < ?1 LIMIT ?2 FOR UPDATE SKIP LOCKED)")
                .setParameter(1, cutoff).setParameter(2, batchSize)
                .executeUpdate();
    }
}
