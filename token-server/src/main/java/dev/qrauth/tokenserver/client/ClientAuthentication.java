package dev.qrauth.tokenserver.client;

import dev.qrauth.tokenserver.error.ClientAuthenticationConflictException;
import dev.qrauth.tokenserver.error.InvalidClientException;
import dev.qrauth.tokenserver.error.PortalApiException;
import dev.qrauth.tokenserver.security.CredentialsRefused;
import dev.qrauth.tokenserver.security.Roles;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The identity provider of the portal API ({@link ClientCredentialsMechanism}): an enabled
 * client's credentials give the role {@link Roles#CLIENT} and the client itself, as loaded for
 * the check, so the resource reads no row again ({@link #client(SecurityIdentity)}). Anything
 * else is refused with the portal API's own error, under the failure budgets of
 * {@link ApiClients#authenticate(String, String, String)}.
 */
@ApplicationScoped
public class ClientAuthentication implements IdentityProvider<ClientCredentialsRequest> {

    private static final String CLIENT = ApiClient.class.getName();

    private final ApiClients clients;

    ClientAuthentication(ApiClients clients) {
        this.clients = clients;
    }

    @Override
    public Class<ClientCredentialsRequest> getRequestType() {
        return ClientCredentialsRequest.class;
    }

    /** Checking may hash a secret and reads the database: never on the event loop. */
    @Override
    public Uni<SecurityIdentity> authenticate(ClientCredentialsRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            ApiClient client;
            try {
                client = clients.authenticate(request.authorization(), request.formClientId(),
                        request.formClientSecret());
            } catch (InvalidClientException | PortalApiException | ClientAuthenticationConflictException refused) {
                throw CredentialsRefused.by(refused);
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(client.clientId))
                    .addRole(Roles.CLIENT)
                    .addAttribute(CLIENT, client)
                    .build();
        });
    }

    /** The client an identity of {@link Roles#CLIENT} was given to. */
    public static ApiClient client(SecurityIdentity identity) {
        ApiClient client = identity.getAttribute(CLIENT);
        if (client == null) {
            throw new IllegalStateException("Not an API client's identity: the resource lacks @RolesAllowed(Roles.CLIENT)");
        }
        return client;
    }
}
