package dev.qrauth.tokenserver.admin;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * How a request to the admin API ({@code /admin/}) presents the admin's credentials: HTTP Basic.
 * Paths of the other APIs are left to their own mechanisms. Authentication is lazy
 * ({@code quarkus.http.auth.proactive=false}): it runs only for a resource that asks for a role,
 * after the request has matched one, so an unknown path is still a 404 and no other API pays for it.
 */
@ApplicationScoped
class AdminCredentialsMechanism implements HttpAuthenticationMechanism {

    static final String PATH = "/admin/";
    static final String CHALLENGE = "Basic realm=\"qrauth admin API\"";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!isAdminPath(context)) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new AdminCredentialsRequest(context.request().getHeader(HttpHeaders.AUTHORIZATION)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return isAdminPath(context) ? Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE))
                : Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(AdminCredentialsRequest.class);
    }

    private static boolean isAdminPath(RoutingContext context) {
        String path = context.normalizedPath();
        return path != null && path.startsWith(PATH);
    }
}
