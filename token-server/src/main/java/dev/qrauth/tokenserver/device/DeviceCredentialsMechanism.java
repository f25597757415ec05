package dev.qrauth.tokenserver.device;

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
 * How a request to the device API ({@code /device/}) presents the device's credentials: HTTP
 * Basic with the device id and secret. Paths of the other APIs are left to their own mechanisms.
 * The device API answers a refusal with its own error and no challenge ({@code docs/PROTOCOL.md}).
 *
 * <p>The mobile-auth fetch and answer do not ask for the role: the hot path authenticates them
 * from memory in the statement that does the work ({@code transaction.HotPath}).
 */
@ApplicationScoped
class DeviceCredentialsMechanism implements HttpAuthenticationMechanism {

    static final String PATH = "/device/";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!isDevicePath(context)) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new DeviceCredentialsRequest(context.request().getHeader(HttpHeaders.AUTHORIZATION)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return isDevicePath(context) ? Uni.createFrom().item(new ChallengeData(401, null, null))
                : Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(DeviceCredentialsRequest.class);
    }

    private static boolean isDevicePath(RoutingContext context) {
        String path = context.normalizedPath();
        return path != null && path.startsWith(PATH);
    }
}
