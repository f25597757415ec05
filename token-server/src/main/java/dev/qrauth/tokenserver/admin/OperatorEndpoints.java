package dev.qrauth.tokenserver.admin;

import dev.qrauth.protocol.error.AdminError;
import dev.qrauth.tokenserver.error.AdminApiException;
import dev.qrauth.tokenserver.security.Roles;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
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
 *
 * <p>These are not REST resources, so no {@code @RolesAllowed} guards them: this filter asks
 * Quarkus Security for the admin's identity ({@link AdminAuthentication}) itself, before the
 * routes, whatever the path's spelling ({@code /q/./metrics} is {@code /q/metrics}).
 */
@ApplicationScoped
class OperatorEndpoints {

    private static final String OPERATOR_ROOT = "/q/";
    private static final String HEALTH = "/q/health";
    /** Before the routes, after Quarkus' own early filters. */
    private static final int PRIORITY = 100;

    @Inject
    IdentityProviderManager identities;

    void register(@Observes Filters filters) {
        filters.register(this::guard, PRIORITY);
    }

    private void guard(RoutingContext context) {
        if (!guarded(context.normalizedPath())) {
            context.next();
            return;
        }
        AdminCredentialsRequest credentials = new AdminCredentialsRequest(
                context.request().getHeader(HttpHeaders.AUTHORIZATION));
        // Checking may hash a password and read the database: never on the event loop.
        context.vertx().executeBlocking(() -> identities.authenticateBlocking(credentials), false).onComplete(checked -> {
            SecurityIdentity identity = checked.succeeded() ? checked.result() : null;
            if (identity != null && identity.hasRole(Roles.ADMIN)) {
                context.next();
                return;
            }
            HttpServerResponse response = context.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            long retryAfter = retryAfterSeconds(checked.cause());
            if (retryAfter > 0) {
                response.setStatusCode(429).putHeader("Retry-After", Long.toString(retryAfter))
                        .end(Json.encode(new AdminError("rate_limited", "Too many failed authentications; try again later")));
            } else {
                response.setStatusCode(401).putHeader("WWW-Authenticate", AdminCredentialsMechanism.CHALLENGE)
                        .end(Json.encode(new AdminError("unauthorized", "Admin credentials required")));
            }
        });
    }

    /** Seconds to wait when the failure is a spent budget of failed authentications; 0 for any other. */
    private static long retryAfterSeconds(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AdminApiException refusal && refusal.code() == AdminApiException.Code.RATE_LIMITED) {
                return refusal.retryAfterSeconds();
            }
        }
        return 0;
    }

    /** Everything under {@code /q/} but health. */
    static boolean guarded(String path) {
        return path != null && path.startsWith(OPERATOR_ROOT)
                && !(path.equals(HEALTH) || path.startsWith(HEALTH + "/"));
    }
}
