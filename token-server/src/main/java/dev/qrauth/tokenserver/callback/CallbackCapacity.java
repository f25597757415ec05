package dev.qrauth.tokenserver.callback;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The callbacks this node has in flight: at most {@code total} at once, and at most
 * {@code perClient} of one client, so that one client's stalled receiver cannot take the slots
 * every other client's callbacks need. A slot is held from the moment a row is leased to this node
 * until its attempt has been recorded (or given up to its lease).
 */
final class CallbackCapacity {

    private final int total;
    private final int perClient;
    private final AtomicInteger used = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> byClient = new ConcurrentHashMap<>();

    CallbackCapacity(int total, int perClient) {
        if (total < 1 || perClient < 1) {
            throw new IllegalArgumentException("tokenserver.callback.max-in-flight and max-in-flight-per-client must be "
                    + "at least 1");
        }
        this.total = total;
        this.perClient = Math.min(perClient, total);
    }

    /** Takes a slot for one callback of {@code clientId}, if the node and the client have one free. */
    boolean tryTake(String clientId) {
        if (takeUpTo(1) == 0) {
            return false;
        }
        boolean[] taken = {false};
        byClient.compute(clientId, (id, count) -> {
            int current = count == null ? 0 : count;
            if (current >= perClient) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        if (!taken[0]) {
            used.decrementAndGet();
        }
        return taken[0];
    }

    /** Gives back the slot of one callback of {@code clientId}. */
    void give(String clientId) {
        byClient.computeIfPresent(clientId, (id, count) -> count <= 1 ? null : count - 1);
        used.decrementAndGet();
    }

    /** Takes up to {@code wanted} node slots, not yet any client's. */
    int takeUpTo(int wanted) {
        return takeLeaving(wanted, 0);
    }

    /**
     * Takes up to {@code wanted} node slots for a claim of due rows, leaving a quarter of the node's
     * slots free: a claim holds its slots while its query runs, and a callback written on the answer
     * path meanwhile must still find one, or it would wait for the next poll.
     */
    int takeForClaim(int wanted) {
        return takeLeaving(wanted, total / 4);
    }

    private int takeLeaving(int wanted, int reserve) {
        while (true) {
            int current = used.get();
            int granted = Math.min(wanted, total - reserve - current);
            if (granted <= 0) {
                return 0;
            }
            if (used.compareAndSet(current, current + granted)) {
                return granted;
            }
        }
    }

    /** Gives back node slots taken by {@link #takeUpTo} or {@link #takeForClaim} that no row needed. */
    void giveUnused(int slots) {
        used.addAndGet(-slots);
    }

    /**
     * Assigns a node slot taken by {@link #takeUpTo} to a claimed row of {@code clientId}. The claim
     * only took what {@link #clientsInFlight()} left room for, so this passes the client's limit
     * only by what the answer path reserved for the client in the meantime.
     */
    void assign(String clientId) {
        byClient.merge(clientId, 1, Integer::sum);
    }

    /**
     * Assigns a node slot taken by {@link #takeUpTo} to a row of {@code clientId} if the client
     * has room; false (the slot stays unassigned) when it is at its limit.
     */
    boolean tryAssign(String clientId) {
        boolean[] assigned = {false};
        byClient.compute(clientId, (id, count) -> {
            int current = count == null ? 0 : count;
            if (current >= perClient) {
                return count;
            }
            assigned[0] = true;
            return current + 1;
        });
        return assigned[0];
    }

    /** The clients with callbacks in flight, and how many each: what a claim must leave out. */
    Map<String, Integer> clientsInFlight() {
        return Map.copyOf(byClient);
    }

    int perClient() {
        return perClient;
    }
}
