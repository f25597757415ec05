package dev.qrauth.tokenserver.security;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code tokenserver.auth-failures.*}: how many failed authentications an id and a source address
 * may have per window before they are answered {@code 429} without any hashing (a group of
 * {@link dev.qrauth.tokenserver.TokenServerConfig}).
 */
public interface AuthFailureBudget {

    /** Failures per client id, device id or admin user name per window. */
    @WithDefault("5")
    int perId();

    /** Failures per source address (IPv6: per /64) per window, over all ids and APIs. */
    @WithDefault("20")
    int perAddress();

    /** The window over which a spent budget refills. */
    @WithDefault("PT1M")
    Duration window();

    /** At most this many ids and addresses are tracked at once (least recently used go first). */
    @WithDefault("100000")
    long maxTracked();
}
