package dev.qrauth.tokenserver.callback;

import dev.qrauth.protocol.message.TransactionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
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
        Instant now = Instant.now();
        Number id = (Number) entities.createNativeQuery("INSERT INTO callback_outbox "
                        + "(transaction_id, client_id, callback_uri, status, created_at, next_attempt_at) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id")
                .setParameter(1, transactionId)
                .setParameter(2, clientId)
                .setParameter(3, callbackUri)
                .setParameter(4, status.name())
                .setParameter(5, now)
                .getSingleResult();
        long outboxId = id.longValue();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    delivery.deliverSoon(outboxId);
                }
            }
        });
    }
}
