package dev.qrauth.tokenserver.enrollment;

import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.client.ApiClients;
import dev.qrauth.tokenserver.error.PortalApiException;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.UUID;

/**
 * The Onegini-compatible call that removes a user's server-side enrollment keys on a device. It
 * answers 204 whether or not anything was removed, so it tells no client which users are on which
 * device; only a malformed device id is refused.
 */
@Path("/oauth/api/v4/users/{userId}/devices/{deviceId}/disableMobileAuthentication")
public class MobileAuthenticationResource {

    private final ApiClients clients;
    private final Enrollments enrollments;

    MobileAuthenticationResource(ApiClients clients, Enrollments enrollments) {
        this.clients = clients;
        this.enrollments = enrollments;
    }

    @POST
    public void disable(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                        @PathParam("userId") String userId, @PathParam("deviceId") String deviceId) {
        ApiClient client = clients.authenticate(authorization);
        UUID id = WireValues.canonicalUuid(deviceId)
                .orElseThrow(() -> new PortalApiException(PortalErrorCode.INVALID_PARAMETER, "deviceId is not a UUID"));
        enrollments.disable(client.clientId, userId, id);
    }
}
