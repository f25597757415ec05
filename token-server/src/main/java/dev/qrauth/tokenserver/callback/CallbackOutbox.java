package dev.qrauth.tokenserver.callback;

import dev.qrauth.protocol.message.TransactionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Puts callbacks into the outbox in the caller's database transaction, so a callback exists if
 * and only if the state change it reports was committed. Once that transaction commits, the
 * delivery is started at once; the periodic poll covers retries and crashes.
 */
@ApplicationScoped
public class CallbackOutbox {

    private final EntityManager entities;
    private final TransactionSynchronizationRegistry transactions;
    private final CallbackDelivery delivery;

    CallbackOutbox(EntityManager entities, TransactionSynchronizationRegistry transactions, CallbackDelivery delivery) {
        this.entities = entities;
        this.transactions = transactions;
        this.delivery = delivery;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(UUID transactionId, String clientId, String callbackUri, TransactionStatus status) {
        enqueue(transactionId, clientId, callbackUri, status, false);
    }

    /** As {@link #enqueue(UUID, String, String, TransactionStatus)}, for a change made under duress when {@code duress}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(UUID transactionId, String clientId, String callbackUri, TransactionStatus status,
                        boolean duress) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // With a slot free on this node (and for this client), the row is written leased to this
        // node, which sends it as soon as the change commits: no claim afterwards. A node that dies
        // first leaves a lease that runs out, and the poll of any node retries the row.
        Instant leasedUntil = delivery.reserveSlot(clientId) ? CallbackDelivery.leaseFrom(now) : null;
        try {
            long id = insert(transactionId, clientId, callbackUri, status, now, leasedUntil, duress);
            if (leasedUntil != null) {
                startAfterCommit(new CallbackDelivery.Claimed(id, transactionId, clientId, callbackUri, status, now, 1,
                        leasedUntil, duress));
            }
        } catch (RuntimeException e) {
            if (leasedUntil != null) {
                delivery.releaseSlot(clientId);
            }
            throw e;
        }
    }

    private long insert(UUID transactionId, String clientId, String callbackUri, TransactionStatus status, Instant now,
                        Instant leasedUntil, boolean duress) {
        Number id = (Number) entities.createNativeQuery("INSERT INTO callback_outbox "
                        + "(transaction_id, client_id, callback_uri, status, created_at, next_attempt_at, attempts, duress) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id")
                .setParameter(1, transactionId)
                .setParameter(2, clientId)
                .setParameter(3, callbackUri)
                .setParameter(4, status.name())
                .setParameter(5, now)
                .setParameter(6, leasedUntil == null ? now : leasedUntil)
                .setParameter(7, leasedUntil == null ? 0 : 1)
                .setParameter(8, duress)
                .getSingleResult();
        return id.longValue();
    }

    /** {@code row} is sent under its reserved slot once the transaction commits; else the slot is freed. */
    private void startAfterCommit(CallbackDelivery.Claimed row) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    delivery.start(row);
                } else {
                    delivery.releaseSlot(row.clientId());
                }
            }
        });
    }
}
