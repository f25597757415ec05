package dev.qrauth.tokenserver.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.audit.AuditEvent;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.authtype.MobileAuthTypes;
import dev.qrauth.tokenserver.authtype.MobileAuthTypes.TypeView;
import dev.qrauth.tokenserver.device.Devices;
import dev.qrauth.tokenserver.error.AdminApiException;
import dev.qrauth.tokenserver.user.UserView;
import dev.qrauth.tokenserver.user.Users;
import dev.qrauth.tokenserver.user.Users.IssuedCode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The admin API of {@code docs/PROTOCOL.md}: HTTP Basic with the admin's credentials. API clients
 * are in {@link ClientAdminResource}.
 */
@AdminApi
@Path("/admin/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final MobileAuthTypes types;
    private final Users users;
    private final Devices devices;
    private final AuditLog audit;

    AdminResource(MobileAuthTypes types, Users users, Devices devices, AuditLog audit) {
        this.types = types;
        this.users = users;
        this.devices = devices;
        this.audit = audit;
    }

    /** The body of the user-creation request. */
    public record NewUser(@JsonProperty("user_id") String userId) {
    }

    /** One audit event as listed. */
    public record AuditEntry(
            @JsonProperty("id") long id,
            @JsonProperty("occurred_at") Instant occurredAt,
            @JsonProperty("event_type") String eventType,
            @JsonProperty("actor") String actor,
            @JsonProperty("user_id") String userId,
            @JsonProperty("device_id") UUID deviceId,
            @JsonProperty("transaction_id") UUID transactionId,
            @JsonProperty("client_id") String clientId,
            @JsonProperty("details") String details) {

        static AuditEntry of(AuditEvent event) {
            return new AuditEntry(event.id, event.occurredAt, event.eventType, event.actor, event.userId,
                    event.deviceId, event.transactionId, event.clientId, event.details);
        }
    }

    /** The audit listing. */
    public record AuditPage(@JsonProperty("events") List<AuditEntry> events) {
    }

    @POST
    @Path("/mobile-auth-types")
    public Response createType(TypeView request) {
        return Response.status(Response.Status.CREATED).entity(types.create(required(request))).build();
    }

    @GET
    @Path("/mobile-auth-types")
    public List<TypeView> listTypes() {
        return types.list();
    }

    @DELETE
    @Path("/mobile-auth-types/{name}")
    public void deleteType(@PathParam("name") String name) {
        types.delete(name);
    }

    @POST
    @Path("/users")
    public Response createUser(NewUser request) {
        IssuedCode issued = users.create(required(request).userId());
        return Response.status(Response.Status.CREATED).entity(issuedView(issued)).build();
    }

    @POST
    @Path("/users/{userId}/activation-codes")
    public Response issueActivationCode(@PathParam("userId") String userId) {
        return Response.status(Response.Status.CREATED).entity(issuedView(users.issueCode(userId))).build();
    }

    @GET
    @Path("/users/{userId}")
    public UserView user(@PathParam("userId") String userId) {
        return users.view(userId);
    }

    @DELETE
    @Path("/devices/{deviceId}")
    public void deleteDevice(@PathParam("deviceId") String deviceId) {
        UUID id = uuid(deviceId);
        if (!devices.deregisterDevice(id, Subject.admin())) {
            throw AdminApiException.notFound("No such device");
        }
    }

    @DELETE
    @Path("/users/{userId}/devices/{deviceId}")
    public void removeUserFromDevice(@PathParam("userId") String userId, @PathParam("deviceId") String deviceId) {
        if (!devices.removeUser(uuid(deviceId), userId, Subject.admin())) {
            throw AdminApiException.notFound("That user is not registered on that device");
        }
    }

    @GET
    @Path("/audit")
    public AuditPage audit(@QueryParam("user_id") String userId, @QueryParam("device_id") String deviceId,
                           @QueryParam("transaction_id") String transactionId, @QueryParam("limit") String limit) {
        int max = 100;
        if (limit != null) {
            try {
                max = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > AuditLog.MAX_LIMIT) {
                throw AdminApiException.invalid("limit must be 1 to " + AuditLog.MAX_LIMIT);
            }
        }
        List<AuditEvent> events = audit.find(blankToNull(userId),
                deviceId == null ? null : uuid(deviceId),
                transactionId == null ? null : uuid(transactionId), max);
        return new AuditPage(events.stream().map(AuditEntry::of).toList());
    }

    private static IssuedView issuedView(IssuedCode issued) {
        return new IssuedView(issued.userId(), issued.activationCode(), issued.expiresAt());
    }

    /** An activation code as returned once. */
    public record IssuedView(
            @JsonProperty("user_id") String userId,
            @JsonProperty("activation_code") String activationCode,
            @JsonProperty("expires_at") Instant expiresAt) {
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw AdminApiException.invalid("A JSON body is required");
        }
        return body;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static UUID uuid(String value) {
        return WireValues.canonicalUuid(value)
                .orElseThrow(() -> AdminApiException.invalid("Not a UUID: expected the 36-character form"));
    }
}
