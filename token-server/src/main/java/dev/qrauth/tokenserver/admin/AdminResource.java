package dev.qrauth.tokenserver.admin;

import dev.qrauth.protocol.admin.AuditPage;
import dev.qrauth.protocol.admin.Disenrolled;
import dev.qrauth.protocol.admin.IssuedActivationCode;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewUser;
import dev.qrauth.protocol.admin.UserList;
import dev.qrauth.protocol.admin.UserView;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.audit.AuditEvent;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.authtype.MobileAuthTypes;
import dev.qrauth.tokenserver.device.Devices;
import dev.qrauth.tokenserver.enrollment.Enrollments;
import dev.qrauth.tokenserver.error.AdminApiException;
import dev.qrauth.tokenserver.security.Roles;
import dev.qrauth.tokenserver.user.Users;
import dev.qrauth.tokenserver.user.Users.IssuedCode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The admin API of {@code docs/PROTOCOL.md}: HTTP Basic with the admin's credentials. API clients
 * are in {@link ClientAdminResource}.
 */
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Admin", description = "Users, mobile-auth types, devices and the audit trail")
@SecurityRequirement(name = "admin")
@Path("/admin/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final MobileAuthTypes types;
    private final Users users;
    private final Devices devices;
    private final AuditLog audit;
    private final Enrollments enrollments;

    private static final int DEFAULT_LIMIT = 100;

    AdminResource(MobileAuthTypes types, Users users, Devices devices, AuditLog audit, Enrollments enrollments) {
        this.types = types;
        this.users = users;
        this.devices = devices;
        this.audit = audit;
        this.enrollments = enrollments;
    }

    @POST
    @Path("/mobile-auth-types")
    public Response createType(MobileAuthTypeView request) {
        return Response.status(Response.Status.CREATED).entity(types.create(required(request))).build();
    }

    @GET
    @Path("/mobile-auth-types")
    public List<MobileAuthTypeView> listTypes() {
        return types.list();
    }

    @PATCH
    @Path("/mobile-auth-types/{name}")
    @Operation(summary = "Change a mobile-auth type", description = "Takes the members of the creation request, "
            + "each optional: a missing one is left as it is. name and method cannot change. Open transactions keep "
            + "what they were started with; new ones use the change.")
    public MobileAuthTypeView changeType(@PathParam("name") String name, MobileAuthTypeView request) {
        return types.change(name, required(request));
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
    @Operation(summary = "List audit events", description = "Newest first, filtered by every parameter given. "
            + "A response with next_cursor has more events: ask again with cursor=<next_cursor> and the same filters.")
    public AuditPage audit(@QueryParam("user_id") String userId, @QueryParam("device_id") String deviceId,
                           @QueryParam("transaction_id") String transactionId, @QueryParam("client_id") String clientId,
                           @Parameter(description = "An event type; repeat, or separate with commas, for several")
                           @QueryParam("type") List<String> types,
                           @Parameter(description = "Events at or after this instant (ISO-8601, e.g. 2026-01-31T12:00:00Z)")
                           @QueryParam("from") String from,
                           @Parameter(description = "Events before this instant (ISO-8601)")
                           @QueryParam("to") String to,
                           @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw AdminApiException.invalid("from must be before to");
        }
        AuditLog.Filter filter = new AuditLog.Filter(blankToNull(userId),
                blankToNull(deviceId) == null ? null : uuid(deviceId),
                blankToNull(transactionId) == null ? null : uuid(transactionId),
                blankToNull(clientId), auditTypes(types), fromInstant, toInstant);
        Long before = null;
        if (blankToNull(cursor) != null) {
            try {
                before = Long.parseLong(Cursors.decode(Cursors.AUDIT, cursor));
            } catch (NumberFormatException e) {
                throw Cursors.invalid();
            }
        }
        AuditLog.Page page = audit.find(filter, before, limit(limit));
        return new AuditPage(page.events().stream().map(AdminResource::entry).toList(),
                page.nextBefore() == null ? null : Cursors.encode(Cursors.AUDIT, page.nextBefore().toString()));
    }

    @GET
    @Path("/users")
    @Operation(summary = "List users", description = "In order of user id. q keeps the users whose id contains it. "
            + "A response with next_cursor has more users: ask again with cursor=<next_cursor> and the same q.")
    public UserList listUsers(@QueryParam("q") String search, @QueryParam("limit") String limit,
                              @QueryParam("cursor") String cursor) {
        String q = blankToNull(search);
        if (q != null && q.length() > 255) {
            throw AdminApiException.invalid("q must be at most 255 characters");
        }
        String after = blankToNull(cursor) == null ? null : Cursors.decode(Cursors.USERS, cursor);
        Users.UserPage page = users.list(q, after, limit(limit));
        return new UserList(page.users().stream()
                .map(user -> new UserList.Entry(user.userId(), user.createdAt(), user.devices())).toList(),
                page.nextAfter() == null ? null : Cursors.encode(Cursors.USERS, page.nextAfter()));
    }

    @DELETE
    @Path("/users/{userId}")
    @Operation(summary = "Delete a user", description = "Removes the user, its registrations on devices (so its "
            + "enrollments and sessions) and its unused activation codes. Its audit events stay. Its open "
            + "transactions can no longer be answered and end as EXPIRED.")
    public void deleteUser(@PathParam("userId") String userId) {
        users.delete(userId);
    }

    @POST
    @Path("/users/{userId}/disenroll")
    @Operation(summary = "Disenroll a user from mobile authentication", description = "On the device given by "
            + "device_id, or on all the user's devices. Each such device is answered USER_DISENROLLED on its next "
            + "mobile-auth request until the user enrolls again.")
    public Disenrolled disenroll(@PathParam("userId") String userId, @QueryParam("device_id") String deviceId) {
        UUID device = blankToNull(deviceId) == null ? null : uuid(deviceId);
        if (!users.exists(userId)) {
            throw AdminApiException.notFound("No such user");
        }
        return new Disenrolled(userId, enrollments.disableByAdmin(userId, device));
    }

    private static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        int max;
        try {
            max = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            max = -1;
        }
        if (max < 1 || max > AuditLog.MAX_LIMIT) {
            throw AdminApiException.invalid("limit must be 1 to " + AuditLog.MAX_LIMIT);
        }
        return max;
    }

    private static Set<String> auditTypes(List<String> given) {
        Set<String> names = new TreeSet<>();
        for (String value : given == null ? List.<String>of() : given) {
            for (String name : value.split(",", -1)) {
                if (name.isBlank()) {
                    continue;
                }
                try {
                    names.add(AuditType.valueOf(name.trim()).name());
                } catch (IllegalArgumentException e) {
                    throw AdminApiException.invalid("type must be an audit event type, such as USER_CREATED; "
                            + "docs/PROTOCOL.md lists them");
                }
            }
        }
        return names;
    }

    private static Instant instant(String name, String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw AdminApiException.invalid(name + " must be an ISO-8601 instant, such as 2026-01-31T12:00:00Z");
        }
    }

    private static IssuedActivationCode issuedView(IssuedCode issued) {
        return new IssuedActivationCode(issued.userId(), issued.activationCode(), issued.expiresAt());
    }

    private static AuditPage.Entry entry(AuditEvent event) {
        return new AuditPage.Entry(event.id, event.occurredAt, event.eventType, event.actor, event.userId,
                event.deviceId, event.transactionId, event.clientId, event.details);
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
