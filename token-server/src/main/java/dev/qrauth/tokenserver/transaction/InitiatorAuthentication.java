package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.client.ApiClients;
import dev.qrauth.tokenserver.client.InitiatorCredentialsRequest;
import dev.qrauth.tokenserver.error.ClientAuthenticationConflictException;
import dev.qrauth.tokenserver.error.InvalidClientException;
import dev.qrauth.tokenserver.error.PortalApiException;
import dev.qrauth.tokenserver.security.CredentialsRefused;
import dev.qrauth.tokenserver.security.Roles;
import dev.qrauth.tokenserver.security.VerifiedSecrets;
import dev.qrauth.tokenserver.transaction.TransactionStore.ClientGrant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The identity provider of the two calls of a flow that a portal makes, initiation and the result
 * read ({@code client.ClientCredentialsMechanism}): an API client's credentials give the role
 * {@link Roles#INITIATOR} and the {@link Initiator} ({@link #initiator(SecurityIdentity)}).
 *
 * <p>Credentials verified before are taken from memory ({@link KnownCredentials}), on the event
 * loop and without a database round trip: the grant is not trusted on its own, every statement of
 * the hot path checks it again. Others are checked in full ({@link #verify}) on a worker thread,
 * with the refusals and failure budgets of {@link ApiClients#authenticate(String, String, String)}.
 */
@ApplicationScoped
class InitiatorAuthentication implements IdentityProvider<InitiatorCredentialsRequest> {

    private static final String INITIATOR = Initiator.class.getName();

    /** A full check's result: the client as loaded, and what was remembered of it (null if nothing). */
    record Verified(ApiClient client, ClientGrant grant) {
    }

    private final ApiClients clients;
    private final KnownCredentials known;
    private final VerifiedSecrets verifiedSecrets;

    InitiatorAuthentication(ApiClients clients, KnownCredentials known, VerifiedSecrets verifiedSecrets) {
        this.clients = clients;
        this.known = known;
        this.verifiedSecrets = verifiedSecrets;
    }

    @Override
    public Class<InitiatorCredentialsRequest> getRequestType() {
        return InitiatorCredentialsRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(InitiatorCredentialsRequest request, AuthenticationRequestContext context) {
        Optional<BasicCredentials> presented = credentials(request.authorization(), request.formClientId(),
                request.formClientSecret());
        ClientGrant remembered = presented.map(c -> known.client(c.username(), c.password())).orElse(null);
        if (remembered != null) {
            return Uni.createFrom().item(identity(new Initiator(request.authorization(), request.formClientId(),
                    request.formClientSecret(), remembered), remembered.clientId()));
        }
        Initiator initiator = new Initiator(request.authorization(), request.formClientId(), request.formClientSecret(),
                null);
        // Checking may hash a secret and reads the database: never on the event loop.
        return context.runBlocking(() -> {
            try {
                Verified verified = QuarkusTransaction.joiningExisting().call(() -> verify(initiator));
                return identity(new Initiator(initiator.authorization(), initiator.formClientId(),
                        initiator.formClientSecret(), verified.grant()), verified.client().clientId);
            } catch (InvalidClientException | PortalApiException | ClientAuthenticationConflictException refused) {
                throw CredentialsRefused.by(refused);
            }
        });
    }

    /**
     * The full check of a client's credentials, in the caller's database transaction; remembered
     * for the hot path when it succeeds. The provider and the full path of {@link HotPath} both
     * check with this, the latter in the transaction that does the work.
     *
     * @throws ClientAuthenticationConflictException when the request uses both ways at once
     * @throws InvalidClientException                for absent, unknown, wrong or disabled credentials
     * @throws PortalApiException                    RATE_LIMITED past a failure budget
     */
    Verified verify(Initiator presented) {
        ApiClient client = clients.authenticate(presented.authorization(), presented.formClientId(),
                presented.formClientSecret());
        Optional<BasicCredentials> credentials = credentials(presented.authorization(), presented.formClientId(),
                presented.formClientSecret());
        if (credentials.isEmpty()) {
            return new Verified(client, null);
        }
        // The hash the secret matched: the current one, or the previous one in its overlap.
        String matched = verifiedSecrets.remembered(credentials.get().password(), client.secretHash) ? client.secretHash
                : client.previousSecretHash;
        if (matched == null) {
            return new Verified(client, null);
        }
        ClientGrant grant = new ClientGrant(client.clientId, matched, client.callbackUris.clone());
        known.rememberClient(credentials.get().username(), credentials.get().password(), grant);
        return new Verified(client, grant);
    }

    /** The client's credentials when the request carries them one way only; else only the full check decides. */
    private static Optional<BasicCredentials> credentials(String authorization, String formClientId,
                                                          String formClientSecret) {
        boolean inForm = formClientId != null || formClientSecret != null;
        if (inForm && authorization != null) {
            return Optional.empty();
        }
        return inForm ? BasicCredentials.fromForm(formClientId, formClientSecret) : BasicCredentials.parse(authorization);
    }

    private static SecurityIdentity identity(Initiator initiator, String clientId) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(clientId))
                .addRole(Roles.INITIATOR)
                .addAttribute(INITIATOR, initiator)
                .build();
    }

    /** The client an identity of {@link Roles#INITIATOR} was given to. */
    static Initiator initiator(SecurityIdentity identity) {
        Initiator initiator = identity.getAttribute(INITIATOR);
        if (initiator == null) {
            throw new IllegalStateException("Not an initiator's identity: the resource lacks @RolesAllowed(Roles.INITIATOR)");
        }
        return initiator;
    }
}
