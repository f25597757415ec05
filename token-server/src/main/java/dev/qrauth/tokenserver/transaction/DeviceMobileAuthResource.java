package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.device.DeviceHeaders;
import dev.qrauth.protocol.device.OtpFetchRequest;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.device.Devices;
import dev.qrauth.tokenserver.device.MobileAuthSession;
import dev.qrauth.tokenserver.error.DeviceApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The device side of a mobile authentication: fetch (flow step 5) and answer (step 9). Each
 * request is one database transaction, authentication included, rather than one commit per step
 * ({@code docs/PERFORMANCE.md}, item 7).
 */
@Path("/device/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeviceMobileAuthResource {

    private final Devices devices;
    private final Transactions transactions;

    DeviceMobileAuthResource(Devices devices, Transactions transactions) {
        this.devices = devices;
        this.transactions = transactions;
    }

    @POST
    @Path("/users/{userId}/mobile-auth/otp")
    public SealedMessage fetch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                               @PathParam("userId") String userId, OtpFetchRequest request,
                               @Context HttpServerRequest http) {
        // The address the phone fetches from, compared with the browser's for the proximity
        // check. Behind a reverse proxy, quarkus.http.proxy.proxy-address-forwarding makes this
        // the client's address from the proxy's headers.
        String phoneAddress = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return inOneTransaction(() -> {
            MobileAuthSession session = devices.mobileAuthSession(authorization, accessToken, userId);
            if (request == null || request.otp() == null) {
                throw new DeviceApiException(DeviceErrorCode.INVALID_REQUEST, "otp is required");
            }
            return transactions.fetch(session, request.otp(), phoneAddress);
        });
    }

    @POST
    @Path("/users/{userId}/mobile-auth/transactions/{transactionId}/answer")
    public AnswerAccepted answer(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                                 @PathParam("userId") String userId,
                                 @PathParam("transactionId") String transactionId, SealedMessage sealed) {
        UUID id = WireValues.canonicalUuid(transactionId).orElse(null);
        return inOneTransaction(() -> {
            MobileAuthSession session = devices.mobileAuthSession(authorization, accessToken, userId);
            if (id == null) {
                throw new DeviceApiException(DeviceErrorCode.NOT_FOUND, "No such transaction");
            }
            if (sealed == null) {
                throw new DeviceApiException(DeviceErrorCode.INVALID_REQUEST, "A sealed answer is required");
            }
            return transactions.answer(session, id, sealed);
        });
    }

    /**
     * Runs {@code step} in one database transaction. A refusal it returns commits (a failed fetch
     * is counted, a refused answer audited) and is thrown only afterwards; one it throws rolls
     * back.
     */
    private static <T> T inOneTransaction(Supplier<Outcome<T>> step) {
        return QuarkusTransaction.joiningExisting().call(step::get).orThrow();
    }
}
