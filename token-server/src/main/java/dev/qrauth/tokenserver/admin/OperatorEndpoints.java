package dev.qrauth.tokenserver.admin;

import dev.qrauth.protocol.error.AdminError;
import dev.qrauth.tokenserver.security.CredentialVerifier.Verdict;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Metrics, the OpenAPI document, Swagger UI and anything else Quarkus serves under {@code /q/}
 * describe the server to whoever runs it, so they are served to the admin's credentials only (a
 * Prometheus scrape job sets {@code basic_auth}). Health stays open: load balancers and
 * readiness probes have no credentials, and it tells nothing beyond up or down.
 */
@ApplicationScoped
class OperatorEndpoints {

    private static final String OPERATOR_ROOT = "/q/";
    private static final String HEALTH = "/q/health";
    /** Before the routes, after Quarkus' own early filters. */
    private static final int PRIORITY = 100;

    @Inject
    AdminAuthentication admin;

    void register(@Observes Filters filters) {
        filters.register(this::guard, PRIORITY);
    }

    private void guard(RoutingContext context) {
        if (!guarded(context.normalizedPath())) {
            context.next();
            return;
        }
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        // Checking may hash a password and read the database: never on the event loop.
        context.vertx().executeBlocking(() -> admin.verdict(authorization), false).onComplete(checked -> {
            Verdict verdict = checked.succeeded() ? checked.result() : new Verdict.Refused();
            if (verdict instanceof Verdict.Accepted) {
                context.next();
                return;
            }
            HttpServerResponse response = context.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            if (verdict instanceof Verdict.Throttled throttled) {
                response.setStatusCode(429).putHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()))
                        .end(Json.encode(new AdminError("rate_limited", "Too many failed authentications; try again later")));
            } else {
                response.setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"qrauth admin API\"")
                        .end(Json.encode(new AdminError("unauthorized", "Admin credentials required")));
            }
        });
    }

    /** Everything under {@code /q/} but health. */
    static boolean guarded(String path) {
        return path != null && path.startsWith(OPERATOR_ROOT)
                && !(path.equals(HEALTH) || path.startsWith(HEALTH + "/"));
    }
}
