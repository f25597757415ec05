package dev.qrauth.portal.web;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start with forwarded client addresses taken from anyone. With
 * {@code quarkus.http.proxy.proxy-address-forwarding} on and no
 * {@code quarkus.http.proxy.trusted-proxies}, every client may send {@code X-Forwarded-For}:
 * the phone would show whatever address it names, and the limit on new codes per address
 * would count nothing.
 */
@Startup
@ApplicationScoped
public class ProxyForwarding {

    static final String FORWARDING_KEY = "quarkus.http.proxy.proxy-address-forwarding";
    static final String TRUSTED_PROXIES_KEY = "quarkus.http.proxy.trusted-proxies";

    ProxyForwarding(@ConfigProperty(name = FORWARDING_KEY, defaultValue = "false") boolean forwarding,
                    @ConfigProperty(name = TRUSTED_PROXIES_KEY) Optional<List<String>> trustedProxies) {
        check(forwarding, trustedProxies);
    }

    /** Throws, naming both keys, when forwarded addresses would be believed from every peer. */
    static void check(boolean forwarding, Optional<List<String>> trustedProxies) {
        boolean trustsSomeone = trustedProxies.map(list -> list.stream().anyMatch(p -> !p.isBlank())).orElse(false);
        if (forwarding && !trustsSomeone) {
            throw new IllegalStateException(FORWARDING_KEY + "=true needs " + TRUSTED_PROXIES_KEY
                    + ": without it any client can choose the address the phone shows and dodge the limit of new"
                    + " codes per address. Set " + TRUSTED_PROXIES_KEY + " to the address of your reverse proxy (such as"
                    + " 127.0.0.1 or 10.0.0.5/32), or turn forwarding off.");
        }
    }
}
