package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.TransactionResult;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.client.ApiClients;
import dev.qrauth.tokenserver.error.PortalApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/**
 * The portal API, compatible with the Onegini Token Server v4 mobile-authentication API:
 * {@code docs/PROTOCOL.md}, "Portal API". HTTP Basic with the API client's credentials. Each
 * request is one database transaction, the client's authentication included.
 */
@Path("/oauth/api/v4/authenticate")
@Produces(MediaType.APPLICATION_JSON)
public class PortalResource {

    private final ApiClients clients;
    private final Transactions transactions;

    PortalResource(ApiClients clients, Transactions transactions) {
        this.clients = clients;
        this.transactions = transactions;
    }

    @POST
    @Path("/user")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public AuthenticationStarted initiate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                          @FormParam("type") String type,
                                          @FormParam("callback_uri") String callbackUri,
                                          @FormParam("message") String message,
                                          @FormParam("secure_message") String secureMessage,
                                          @FormParam("language_code") String languageCode,
                                          @FormParam("ip_address") String ipAddress,
                                          @FormParam("user_agent") String userAgent,
                                          @FormParam("user_id") String userId,
                                          @FormParam("expected_user_id") String expectedUserId) {
        InitiateRequest request = new InitiateRequest(type, callbackUri, message, secureMessage, languageCode,
                ipAddress, userAgent, userId, expectedUserId);
        return QuarkusTransaction.joiningExisting().call(
                () -> transactions.initiate(clients.authenticate(authorization), request));
    }

    @GET
    @Path("/transaction/{transactionId}")
    public TransactionResult result(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                    @PathParam("transactionId") String transactionId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            ApiClient client = clients.authenticate(authorization);
            return transactions.result(client, transactionId(transactionId));
        });
    }

    @DELETE
    @Path("/transaction/{transactionId}")
    public void cancel(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                       @PathParam("transactionId") String transactionId) {
        QuarkusTransaction.joiningExisting().run(() -> {
            ApiClient client = clients.authenticate(authorization);
            transactions.cancel(client, transactionId(transactionId));
        });
    }

    /** Reverse code entry (our addition): the code the phone showed, as typed into the browser. */
    @POST
    @Path("/transaction/{transactionId}/reverse-code")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TransactionResult reverseCode(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                         @PathParam("transactionId") String transactionId,
                                         @FormParam("code") String code) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            ApiClient client = clients.authenticate(authorization);
            return transactions.submitReverseCode(client, transactionId(transactionId), code);
        });
    }

    private static UUID transactionId(String value) {
        // A malformed id is answered like any unknown one.
        return WireValues.canonicalUuid(value)
                .orElseThrow(() -> new PortalApiException(PortalErrorCode.TRANSACTION_NOT_FOUND, null));
    }
}
