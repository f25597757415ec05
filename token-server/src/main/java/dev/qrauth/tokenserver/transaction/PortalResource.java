package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.AvailableTypes;
import dev.qrauth.protocol.portal.TransactionFrame;
import dev.qrauth.protocol.portal.TransactionResult;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.client.ClientAuthentication;
import dev.qrauth.tokenserver.enrollment.Enrollments;
import dev.qrauth.tokenserver.error.PortalApiException;
import dev.qrauth.tokenserver.security.Roles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/**
 * The portal API, compatible with the Onegini Token Server v4 mobile-authentication API:
 * {@code docs/PROTOCOL.md}, "Portal API". The API client's credentials in an HTTP Basic header
 * or, on the calls that take a form, as {@code client_id} and {@code client_secret} in it: checked
 * by Quarkus Security ({@code client.ClientCredentialsMechanism}): for {@link Roles#CLIENT} with
 * the client's row, or on initiation and the result read for {@link Roles#INITIATOR}, most often
 * from memory ({@link InitiatorAuthentication}), which the hot path checks again in its statement.
 */
@Path("/oauth/api/v4/authenticate")
@Produces(MediaType.APPLICATION_JSON)
public class PortalResource {

    private final Transactions transactions;
    private final Enrollments enrollments;
    private final HotPath hotPath;
    private final SecurityIdentity identity;

    PortalResource(Transactions transactions, Enrollments enrollments, HotPath hotPath, SecurityIdentity identity) {
        this.hotPath = hotPath;
        this.transactions = transactions;
        this.enrollments = enrollments;
        this.identity = identity;
    }

    @RolesAllowed(Roles.INITIATOR)
    @POST
    @Path("/user")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<AuthenticationStarted> initiate(@FormParam("type") String type,
                                          @FormParam("callback_uri") String callbackUri,
                                          @FormParam("message") String message,
                                          @FormParam("secure_message") String secureMessage,
                                          @FormParam("language_code") String languageCode,
                                          @FormParam("ip_address") String ipAddress,
                                          @FormParam("user_agent") String userAgent,
                                          @FormParam("user_id") String userId,
                                          @FormParam("expected_user_id") String expectedUserId,
                                          @FormParam("approvers") String approvers) {
        InitiateRequest request = new InitiateRequest(type, callbackUri, message, secureMessage, languageCode,
                ipAddress, userAgent, userId, expectedUserId, approvers);
        return hotPath.initiate(InitiatorAuthentication.initiator(identity), request);
    }

    @RolesAllowed(Roles.INITIATOR)
    @GET
    @Path("/transaction/{transactionId}")
    public Uni<TransactionResult> result(@PathParam("transactionId") String transactionId) {
        return hotPath.result(InitiatorAuthentication.initiator(identity), transactionId);
    }

    @RolesAllowed(Roles.CLIENT)
    @DELETE
    @Path("/transaction/{transactionId}")
    public void cancel(@PathParam("transactionId") String transactionId) {
        ApiClient client = ClientAuthentication.client(identity);
        QuarkusTransaction.joiningExisting().run(() -> transactions.cancel(client, transactionId(transactionId)));
    }

    /** Availability for a user: every type it can answer, with its method; empty for an unknown user. */
    @RolesAllowed(Roles.CLIENT)
    @GET
    @Path("/user/{userId}/enabled")
    public AvailableTypes.ForUser enabled(@PathParam("userId") String userId) {
        ApiClient client = ClientAuthentication.client(identity);
        return QuarkusTransaction.joiningExisting().call(() -> {
            return new AvailableTypes.ForUser(enrollments.availableTypes(client.clientId, userId, null).stream()
                    .map(name -> new AvailableTypes.Type(name, AvailableTypes.METHOD_OTP)).toList());
        });
    }

    /** Availability for a user on one device: type names; empty for an unknown user or device. */
    @RolesAllowed(Roles.CLIENT)
    @GET
    @Path("/user/{userId}/device/{deviceId}/enabled")
    public AvailableTypes.ForDevice enabledOnDevice(@PathParam("userId") String userId,
                                                    @PathParam("deviceId") String deviceId) {
        ApiClient client = ClientAuthentication.client(identity);
        return QuarkusTransaction.joiningExisting().call(() -> {
            // A device id that is not one of ours (Onegini's are 64 hex digits) is simply unknown.
            List<String> names = WireValues.canonicalUuid(deviceId)
                    .map(id -> enrollments.availableTypes(client.clientId, userId, id))
                    .orElse(List.of());
            return new AvailableTypes.ForDevice(names);
        });
    }

    /**
     * The callback-URI check (our addition): whether an initiation by this client would accept
     * {@code callback_uri}, without starting anything. {@code 204}, or the initiation's {@code 1003}.
     */
    @RolesAllowed(Roles.CLIENT)
    @POST
    @Path("/callback-uri")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public void checkCallbackUri(@FormParam("callback_uri") String callbackUri) {
        transactions.checkCallbackUri(ClientAuthentication.client(identity), callbackUri);
    }

    /** Reverse code entry (our addition): the code the phone showed, as typed into the browser. */
    @RolesAllowed(Roles.CLIENT)
    @POST
    @Path("/transaction/{transactionId}/reverse-code")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TransactionResult reverseCode(@PathParam("transactionId") String transactionId,
                                         @FormParam("code") String code) {
        ApiClient client = ClientAuthentication.client(identity);
        return QuarkusTransaction.joiningExisting().call(
                () -> transactions.submitReverseCode(client, transactionId(transactionId), code));
    }

    /**
     * The current frame of a rotating code (our addition): {@code docs/PROTOCOL.md}, "GET
     * .../transaction/{transaction_id}/frame". A new frame is made when the current one is a
     * period old.
     */
    @RolesAllowed(Roles.CLIENT)
    @GET
    @Path("/transaction/{transactionId}/frame")
    public TransactionFrame frame(@PathParam("transactionId") String transactionId) {
        ApiClient client = ClientAuthentication.client(identity);
        return QuarkusTransaction.joiningExisting().call(
                () -> transactions.frame(client, transactionId(transactionId)));
    }

    static UUID transactionId(String value) {
        // A malformed id is answered like any unknown one.
        return WireValues.canonicalUuid(value)
                .orElseThrow(() -> new PortalApiException(PortalErrorCode.TRANSACTION_NOT_FOUND, null));
    }
}
