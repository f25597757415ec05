package dev.qrauth.portal.challenge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The newest duress events of this portal, in memory like its sessions: one node, and a restart
 * forgets them (the token server's audit trail keeps every {@code DURESS_ANSWER}). Bounded, so a
 * flood of them cannot use up the portal's memory: the oldest go first.
 */
@ApplicationScoped
public class DuressEvents {

    /** Events kept at most. */
    static final int CAPACITY = 1_000;

    private final int capacity;
    private final Deque<DuressEvent> newestFirst = new ArrayDeque<>();

    public DuressEvents() {
        this(CAPACITY);
    }

    DuressEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity < 1");
        }
        this.capacity = capacity;
    }

    synchronized void record(DuressEvent event) {
        newestFirst.addFirst(event);
        if (newestFirst.size() > capacity) {
            newestFirst.removeLast();
        }
    }

    /** The events kept, the newest first. */
    public synchronized List<DuressEvent> newestFirst() {
        return List.copyOf(newestFirst);
    }
}
