package dev.qrauth.tokenserver.client;

/**
 * What a change to a client needs to know of its mobile-auth transactions. The transactions are
 * built on clients, so they provide this to the client package rather than the other way round.
 */
public interface OpenTransactions {

    /**
     * Cancels every open transaction of {@code clientId}, in the caller's database transaction,
     * each audited as cancelled by {@code actor} with {@code details}; no callback is sent.
     *
     * @return how many were cancelled
     */
    int cancelOpen(String clientId, String actor, String details);

    /** Whether {@code clientId} has transactions still open, in the caller's database transaction. */
    boolean hasOpen(String clientId);
}
