package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.device.OtpFetchRequest;
import dev.qrauth.protocol.device.ShortCodeFetchRequest;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.tokenserver.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * The device side of a mobile authentication: fetch (flow step 5) and answer (step 9), each one
 * statement on the hot path ({@link HotPath}); a fetch by short code always takes the full path.
 * The device user is authenticated by Quarkus Security ({@code device.DeviceCredentialsMechanism}
 * and {@link DeviceUserAuthentication}), most often from memory, which the hot path checks again
 * in its statement.
 */
@Path("/device/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeviceMobileAuthResource {

    private final HotPath hotPath;
    private final SecurityIdentity identity;

    DeviceMobileAuthResource(HotPath hotPath, SecurityIdentity identity) {
        this.hotPath = hotPath;
        this.identity = identity;
    }

    /** Flow step 5. The user acted for is the identity's ({@link DeviceUser#userId()}), read from this path. */
    @RolesAllowed(Roles.DEVICE_USER)
    @POST
    @Path("/users/{userId}/mobile-auth/otp")
    public Uni<SealedMessage> fetch(OtpFetchRequest request, @Context HttpServerRequest http) {
        // The address the phone fetches from, compared with the browser's for the proximity
        // check. Behind a reverse proxy, quarkus.http.proxy.proxy-address-forwarding makes this
        // the client's address from the proxy's headers.
        String phoneAddress = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return hotPath.fetch(DeviceUserAuthentication.deviceUser(identity), request == null ? null : request.otp(),
                phoneAddress);
    }

    /** Flow step 5 with the short code a person typed instead of scanning. */
    @RolesAllowed(Roles.DEVICE_USER)
    @POST
    @Path("/users/{userId}/mobile-auth/short-code")
    public Uni<SealedMessage> fetchByShortCode(ShortCodeFetchRequest request, @Context HttpServerRequest http) {
        String phoneAddress = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return hotPath.fetchByShortCode(DeviceUserAuthentication.deviceUser(identity),
                request == null ? null : request.shortCode(), phoneAddress);
    }

    @RolesAllowed(Roles.DEVICE_USER)
    @POST
    @Path("/users/{userId}/mobile-auth/transactions/{transactionId}/answer")
    public Uni<AnswerAccepted> answer(@PathParam("transactionId") String transactionId, SealedMessage sealed) {
        return hotPath.answer(DeviceUserAuthentication.deviceUser(identity), transactionId, sealed);
    }
}
