package dev.qrauth.tokenserver.cluster;

import java.time.Duration;

/**
 * {@code tokenserver.cluster.*}: how often a node announces itself, and when the others count it gone
 * (a group of {@link dev.qrauth.tokenserver.TokenServerConfig}).
 */
public interface ClusterSettings {

    /** How often each node writes its heartbeat and counts the live members. */
    Duration heartbeatInterval();

    /** A node whose last heartbeat is older than this no longer counts (and its row is deleted). */
    Duration memberTimeout();
}
