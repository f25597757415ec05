package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.device.DeviceHeaders;
import dev.qrauth.protocol.device.OtpFetchRequest;
import dev.qrauth.protocol.device.ShortCodeFetchRequest;
import dev.qrauth.protocol.message.SealedMessage;
import io.vertx.core.http.HttpServerRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * The device side of a mobile authentication: fetch (flow step 5) and answer (step 9), each one
 * statement on the hot path ({@link HotPath}); a fetch by short code always takes the full path.
 */
@Path("/device/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeviceMobileAuthResource {

    private final HotPath hotPath;

    DeviceMobileAuthResource(HotPath hotPath) {
        this.hotPath = hotPath;
    }

    @POST
    @Path("/users/{userId}/mobile-auth/otp")
    public Uni<SealedMessage> fetch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                    @HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                                    @PathParam("userId") String userId, OtpFetchRequest request,
                                    @Context HttpServerRequest http) {
        // The address the phone fetches from, compared with the browser's for the proximity
        // check. Behind a reverse proxy, quarkus.http.proxy.proxy-address-forwarding makes this
        // the client's address from the proxy's headers.
        String phoneAddress = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return hotPath.fetch(authorization, accessToken, userId, request == null ? null : request.otp(), phoneAddress);
    }

    /** Flow step 5 with the short code a person typed instead of scanning. */
    @POST
    @Path("/users/{userId}/mobile-auth/short-code")
    public Uni<SealedMessage> fetchByShortCode(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                               @HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                                               @PathParam("userId") String userId, ShortCodeFetchRequest request,
                                               @Context HttpServerRequest http) {
        String phoneAddress = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return hotPath.fetchByShortCode(authorization, accessToken, userId,
                request == null ? null : request.shortCode(), phoneAddress);
    }

    @POST
    @Path("/users/{userId}/mobile-auth/transactions/{transactionId}/answer")
    public Uni<AnswerAccepted> answer(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                      @HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                                      @PathParam("userId") String userId,
                                      @PathParam("transactionId") String transactionId, SealedMessage sealed) {
        return hotPath.answer(authorization, accessToken, userId, transactionId, sealed);
    }
}
