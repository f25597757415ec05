package dev.qrauth.tokenserver.security;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every answer of the token server, on every API and every status, tells caches not to keep it
 * ({@code Cache-Control: no-cache, no-store, must-revalidate} and, for HTTP/1.0 caches,
 * {@code Pragma: no-cache}), as Onegini's API does: answers carry OTPs, fresh client and device
 * secrets, activation codes and results. Set as the headers go out, so a refusal made before or
 * outside the REST layer carries them too.
 */
@ApplicationScoped
public class NoStoreHeaders {

    static final String CACHE_CONTROL = "no-cache, no-store, must-revalidate";

    /** The first route of all: before the body size limit ({@code BodySizeLimit}), whose refusals need the headers too. */
    public static final int ORDER = Integer.MIN_VALUE;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(context -> {
            context.addHeadersEndHandler(ignored -> {
                context.response().headers().set("Cache-Control", CACHE_CONTROL);
                context.response().headers().set("Pragma", "no-cache");
            });
            context.next();
        });
    }
}
