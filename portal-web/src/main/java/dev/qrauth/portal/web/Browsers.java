package dev.qrauth.portal.web;

import dev.qrauth.portal.challenge.BrowserContext;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** What the phone is shown about the browser asking. */
public final class Browsers {

    private Browsers() {
    }

    /**
     * The browser's address and {@code User-Agent}. Behind a reverse proxy, enable
     * {@code quarkus.http.proxy.proxy-address-forwarding} and name the proxy in
     * {@code quarkus.http.proxy.trusted-proxies} so the address is the browser's, not the proxy's
     * ({@link ProxyForwarding} refuses the first without the second).
     */
    public static BrowserContext context(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        String address = remote == null ? null : remote.hostAddress();
        if (address != null && address.indexOf('%') >= 0) {
            // An IPv6 zone names a local interface; it means nothing to the phone.
            address = address.substring(0, address.indexOf('%'));
        }
        return new BrowserContext(address, request.getHeader("User-Agent"));
    }
}
