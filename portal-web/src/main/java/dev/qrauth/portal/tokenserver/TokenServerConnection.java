package dev.qrauth.portal.tokenserver;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.portalclient.PortalClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The portal's one {@link PortalClient}, set up from {@code portal.token-server.*} and the client
 * credentials. {@code portal.token-server.timeout} bounds connecting and each whole answer alike.
 */
@Singleton
class TokenServerConnection {

    @Produces
    @Singleton
    PortalClient portalClient(PortalConfig config) {
        Duration timeout = config.tokenServer().timeout();
        return PortalClient.builder(config.tokenServer().url(), config.clientId(), config.clientSecret())
                .connectTimeout(timeout)
                .requestTimeout(timeout)
                .build();
    }
}
