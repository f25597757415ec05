package dev.qrauth.tokenserver.receipt;

import dev.qrauth.protocol.device.DeviceHeaders;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.receipt.ReceiptPage;
import dev.qrauth.protocol.receipt.ReceiptRecord;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.client.ClientAuthentication;
import dev.qrauth.tokenserver.device.Device;
import dev.qrauth.tokenserver.device.DeviceAuthentication;
import dev.qrauth.tokenserver.device.Devices;
import dev.qrauth.tokenserver.error.DeviceApiException;
import dev.qrauth.tokenserver.error.PortalApiException;
import dev.qrauth.tokenserver.security.Roles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** The reads of receipts: {@code docs/PROTOCOL.md}, "GET .../transaction/{transaction_id}/receipt" and "GET .../receipts". */
public final class ReceiptResources {

    private ReceiptResources() {
    }

    /** The portal's read of its transaction's receipt, authenticated like its other calls. */
    @Path("/oauth/api/v4/authenticate")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Portal {

        private final ReceiptChain chain;
        private final SecurityIdentity identity;

        Portal(ReceiptChain chain, SecurityIdentity identity) {
            this.chain = chain;
            this.identity = identity;
        }

        @RolesAllowed(Roles.CLIENT)
        @GET
        @Path("/transaction/{transactionId}/receipt")
        public ReceiptRecord receipt(@PathParam("transactionId") String transactionId,
                                     @QueryParam("user_id") String userId) {
            ApiClient client = ClientAuthentication.client(identity);
            // Unknown, another client's and not yet answered alike: there is no receipt to give.
            UUID id = WireValues.canonicalUuid(transactionId).orElse(null);
            ReceiptRecord record = id == null ? null : chain.ofTransaction(client.clientId, id, userId);
            if (record == null) {
                throw new PortalApiException(PortalErrorCode.TRANSACTION_NOT_FOUND, "No receipt for this transaction");
            }
            return record;
        }
    }

    /** The phone's read of its user's chain, in the user's session. */
    @Path("/device/api/v1")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Phone {

        static final int DEFAULT_LIMIT = 100;

        private final ReceiptChain chain;
        private final Devices devices;
        private final SecurityIdentity identity;

        Phone(ReceiptChain chain, Devices devices, SecurityIdentity identity) {
            this.chain = chain;
            this.devices = devices;
            this.identity = identity;
        }

        @RolesAllowed(Roles.DEVICE)
        @GET
        @Path("/users/{userId}/receipts")
        public ReceiptPage receipts(@HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                                    @PathParam("userId") String userId,
                                    @QueryParam("after_seq") String afterSeq, @QueryParam("limit") String limit) {
            Device device = DeviceAuthentication.device(identity);
            QuarkusTransaction.joiningExisting().run(() -> devices.session(device, userId, accessToken));
            long after = number(afterSeq, 0, Long.MAX_VALUE, 0, "after_seq");
            int count = (int) number(limit, 1, ReceiptPage.MAX_LIMIT, DEFAULT_LIMIT, "limit");
            return chain.page(userId, after, count);
        }

        private static long number(String value, long min, long max, long absent, String name) {
            if (value == null) {
                return absent;
            }
            try {
                long parsed = Long.parseLong(value);
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // Answered below like a number out of range.
            }
            throw new DeviceApiException(DeviceErrorCode.INVALID_REQUEST,
                    name + " must be a whole number from " + min + " to " + max);
        }
    }
}
