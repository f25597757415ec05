package dev.qrauth.tokenserver.enrollment;

import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.client.ClientAuthentication;
import dev.qrauth.tokenserver.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The Onegini-compatible call that removes a user's server-side enrollment keys on a device. It
 * answers 204 whether or not anything was removed, also for a device id that is not a UUID, so it
 * tells no client which users are on which device; only bad client credentials are refused.
 */
@Path("/oauth/api/v4/users/{userId}/devices/{deviceId}/disableMobileAuthentication")
public class MobileAuthenticationResource {

    private final Enrollments enrollments;
    private final SecurityIdentity identity;

    MobileAuthenticationResource(Enrollments enrollments, SecurityIdentity identity) {
        this.enrollments = enrollments;
        this.identity = identity;
    }

    /** Client credentials in the url-encoded form (or the header), read by the client's mechanism. */
    @RolesAllowed(Roles.CLIENT)
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public void disableWithForm(@PathParam("userId") String userId, @PathParam("deviceId") String deviceId) {
        disable(ClientAuthentication.client(identity), userId, deviceId);
    }

    /**
     * Any other body, or none, as Onegini's portals send it: credentials in the header only, and
     * the body is never parsed (a broken multipart body must not become a server error).
     */
    @RolesAllowed(Roles.CLIENT)
    @POST
    public void disable(@PathParam("userId") String userId, @PathParam("deviceId") String deviceId) {
        disable(ClientAuthentication.client(identity), userId, deviceId);
    }

    private void disable(ApiClient client, String userId, String deviceId) {
        // A device id that is not one of ours (Onegini's are 64 hex digits) names no device here:
        // nothing to remove, and the same 204 as for any other.
        WireValues.canonicalUuid(deviceId).ifPresent(id -> enrollments.disable(client.clientId, userId, id));
    }
}
