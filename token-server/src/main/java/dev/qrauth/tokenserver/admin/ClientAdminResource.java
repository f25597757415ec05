package dev.qrauth.tokenserver.admin;

import dev.qrauth.protocol.admin.ClientChange;
import dev.qrauth.protocol.admin.ClientView;
import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.protocol.admin.RotatedSecrets;
import dev.qrauth.protocol.admin.SecretRotation;
import dev.qrauth.tokenserver.callback.CallbackSenders;
import dev.qrauth.tokenserver.client.ApiClients;
import dev.qrauth.tokenserver.error.AdminApiException;
import dev.qrauth.tokenserver.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The admin API's API clients ({@code docs/PROTOCOL.md}, "Admin API"): create, list, read,
 * change, disable, rotate secrets, delete. HTTP Basic with the admin's credentials.
 */
@RolesAllowed(Roles.ADMIN)
@Path("/admin/api/v1/clients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "API clients", description = "The portals allowed to use the portal API")
@SecurityScheme(securitySchemeName = AdminApiDocumentation.SCHEME, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = AdminApiDocumentation.SCHEME_DESCRIPTION)
@SecurityRequirement(name = AdminApiDocumentation.SCHEME)
@APIResponse(responseCode = "401", description = "Missing or wrong admin credentials (error unauthorized)")
@APIResponse(responseCode = "429", description = "Too many failed authentications: see Retry-After (error rate_limited)")
public class ClientAdminResource {

    private static final CacheControl NO_STORE = noStore();

    private final ApiClients clients;
    private final CallbackSenders senders;

    ClientAdminResource(ApiClients clients, CallbackSenders senders) {
        this.clients = clients;
        this.senders = senders;
    }

    @POST
    @Operation(summary = "Create an API client",
            description = "Creates a client for a portal. The client_id, client_secret and callback_signing_secret "
                    + "are shown only in this answer.")
    @APIResponse(responseCode = "201", description = "Created; the secrets are shown once")
    @APIResponse(responseCode = "400", description = "A member is missing, unknown or invalid (error invalid_request)")
    @APIResponse(responseCode = "409", description = "A client with that name exists (error conflict)")
    public Response create(NewClient request) {
        if (request == null) {
            throw AdminApiException.invalid("A JSON body is required");
        }
        CreatedClient created = clients.create(request);
        return Response.status(Response.Status.CREATED).cacheControl(NO_STORE).entity(created).build();
    }

    @GET
    @Operation(summary = "List API clients", description = "Every client, ordered by name. Never a secret.")
    @APIResponse(responseCode = "200", description = "The clients")
    public List<ClientView> list() {
        return clients.list();
    }

    @GET
    @Path("/{client_id}")
    @Operation(summary = "Read an API client", description = "The client's settings. Never a secret.")
    @APIResponse(responseCode = "200", description = "The client")
    @APIResponse(responseCode = "404", description = "No such client (error not_found)")
    public ClientView read(@Parameter(description = "The client's id") @PathParam("client_id") String clientId) {
        return clients.view(clientId);
    }

    @PATCH
    @Path("/{client_id}")
    @Operation(summary = "Change, disable or enable an API client",
            description = "Takes the members of the creation request (name, display_name, callback_uris, "
                    + "callback_username with callback_password, callback_on_scan) and enabled, each optional; "
                    + "absent members are left as they are. Both callback credentials null removes them. "
                    + "\"enabled\": false refuses the client at once on every node (401 invalid_client on the portal "
                    + "API) and cancels its open transactions without callbacks; its undelivered callbacks are "
                    + "abandoned. Answers the client as changed.")
    @APIResponse(responseCode = "200", description = "The client as changed")
    @APIResponse(responseCode = "400", description = "No member, an unknown member or an invalid value; nothing "
            + "changed (error invalid_request)")
    @APIResponse(responseCode = "404", description = "No such client (error not_found)")
    @APIResponse(responseCode = "409", description = "Another client has that name; nothing changed (error conflict)")
    public ClientView update(@Parameter(description = "The client's id") @PathParam("client_id") String clientId,
                             ClientChange change) {
        ClientView changed = clients.update(clientId, change);
        // Committed: the next callback attempt of this client reads what it now is.
        senders.invalidate(clientId);
        return changed;
    }

    @POST
    @Path("/{client_id}/secrets")
    @Operation(summary = "Rotate an API client's secrets",
            description = "Issues a new client_secret and callback_signing_secret, shown only in this answer. For "
                    + "overlap_seconds (0 to 2592000; default tokenserver.client-secret.overlap, 24 hours) the "
                    + "replaced client secret still authenticates and callbacks carry a v1 signature with each "
                    + "signing secret. Secrets replaced by an earlier rotation stop at once. The body is optional.")
    @APIResponse(responseCode = "201", description = "The new secrets, shown once")
    @APIResponse(responseCode = "400", description = "An unknown member or overlap_seconds out of range "
            + "(error invalid_request)")
    @APIResponse(responseCode = "404", description = "No such client (error not_found)")
    public Response rotate(@Parameter(description = "The client's id") @PathParam("client_id") String clientId,
                           SecretRotation request) {
        RotatedSecrets rotated = clients.rotate(clientId, request);
        senders.invalidate(clientId);
        return Response.status(Response.Status.CREATED).cacheControl(NO_STORE).entity(rotated).build();
    }

    @DELETE
    @Path("/{client_id}")
    @Operation(summary = "Delete an API client",
            description = "Deletes the client with its finished transactions and their callbacks; the audit trail is "
                    + "kept. A client with open transactions is refused: disable it first, which cancels them.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such client (error not_found)")
    @APIResponse(responseCode = "409", description = "The client has open transactions (error conflict)")
    public void delete(@Parameter(description = "The client's id") @PathParam("client_id") String clientId) {
        clients.delete(clientId);
        senders.invalidate(clientId);
    }

    private static CacheControl noStore() {
        CacheControl control = new CacheControl();
        control.setNoTransform(false);
        control.setNoStore(true);
        return control;
    }
}
