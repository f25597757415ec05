package dev.qrauth.tokenserver.cluster;

/**
 * One node's part of a limit that holds for the whole cluster: a token bucket of
 * {@code ratePerSecond} and {@code burst} on each of {@code members} nodes.
 *
 * <p>The rate is divided exactly: a bucket refills in fractions of a token, so the nodes' rates
 * add up to the configured rate. The burst is rounded up, and is at least 1, because a bucket
 * that can never hold a whole token would refuse everything; the nodes' bursts then add up to at
 * most {@code members - 1} more than the configured burst, never less.
 */
public record ClusterShare(int members, double ratePerSecond, double burst) {

    public ClusterShare {
        if (members < 1 || !(ratePerSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("members and burst must be at least 1 and the rate positive; got "
                    + members + ", " + ratePerSecond + ", " + burst);
        }
    }

    /** The share of one node among {@code members} of a limit of {@code ratePerSecond}, bursts of {@code burst}. */
    public static ClusterShare of(double ratePerSecond, double burst, int members) {
        if (members < 1) {
            throw new IllegalArgumentException("a cluster has at least one member (this node); got " + members);
        }
        if (!(ratePerSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("the rate must be positive and the burst at least 1; got "
                    + ratePerSecond + " and " + burst);
        }
        return new ClusterShare(members, ratePerSecond / members, Math.max(1, Math.ceil(burst / members)));
    }
}
