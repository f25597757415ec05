package dev.qrauth.tokenserver.callback;

import java.time.Duration;

/**
 * {@code tokenserver.callback.*}: how callbacks are delivered ({@code docs/PROTOCOL.md},
 * "Callbacks", "Delivery"). The values are in {@code application.properties}; the group is part of
 * {@link dev.qrauth.tokenserver.TokenServerConfig}.
 */
public interface CallbackSettings {

    /** How often due callbacks (retries, and rows no slot was free for) are claimed. */
    Duration pollInterval();

    /** How long a failing callback is retried before it is abandoned. */
    Duration maxAge();

    Duration connectTimeout();

    /** From the request sent to the answer read; with the connect timeout, the bound of an attempt. */
    Duration readTimeout();

    /** Whether a client without an allow-list may name private, loopback and this host's addresses. */
    boolean allowPrivateAddresses();

    /** Attempts this node runs at once, over all clients. */
    int maxInFlight();

    /** Attempts this node runs at once for one client, so that a stalled receiver holds no more. */
    int maxInFlightPerClient();

    /** The longest a finished attempt waits to be recorded with others in one statement. */
    Duration recordInterval();

    /**
     * How long a client's sender settings, read for a callback that was not claimed by the poll,
     * are used without reading them again. Changes through this node's admin API drop them at once.
     */
    Duration senderCacheTtl();
}
