package dev.qrauth.tokenserver.device;

import dev.qrauth.protocol.device.AccessTokenResponse;
import dev.qrauth.protocol.device.DeviceCredentials;
import dev.qrauth.protocol.device.DeviceHeaders;
import dev.qrauth.protocol.device.DeviceRegistrationRequest;
import dev.qrauth.protocol.device.DuressPinRequest;
import dev.qrauth.protocol.device.EnrollmentStatus;
import dev.qrauth.protocol.device.PinLoginRequest;
import dev.qrauth.protocol.device.UserRegistrationRequest;
import dev.qrauth.protocol.device.UserRegistrationResponse;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.message.EnrollmentRequest;
import dev.qrauth.protocol.message.EnrollmentResponse;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.error.DeviceApiException;
import dev.qrauth.tokenserver.security.Roles;
import dev.qrauth.tokenserver.user.Users;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The device API of {@code docs/PROTOCOL.md}: device registration, users on the device, PIN
 * login and mobile-auth enrollment. Device credentials go in {@code Authorization: Basic}, checked
 * by Quarkus Security ({@link DeviceCredentialsMechanism}) on every endpoint that asks for
 * {@link Roles#DEVICE}; session endpoints also take {@code X-Access-Token}.
 */
@Path("/device/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeviceResource {

    private static final int MAX_SECRET_FIELD = 256;

    private final Devices devices;
    private final MobileAuthEnrollment enrollments;
    private final SecurityIdentity identity;

    DeviceResource(Devices devices, MobileAuthEnrollment enrollments, SecurityIdentity identity) {
        this.devices = devices;
        this.enrollments = enrollments;
        this.identity = identity;
    }

    @POST
    @Path("/devices")
    public Response registerDevice(DeviceRegistrationRequest request) {
        if (request == null || !DeviceRegistrationRequest.isValidName(request.name())) {
            throw invalid("name must be 1 to " + DeviceRegistrationRequest.MAX_NAME_LENGTH
                    + " characters without control or format characters");
        }
        Devices.DeviceCredentials credentials = devices.registerDevice(request.name());
        return Response.status(Response.Status.CREATED)
                .entity(new DeviceCredentials(credentials.deviceId(), credentials.deviceSecret()))
                .build();
    }

    @RolesAllowed(Roles.DEVICE)
    @DELETE
    @Path("/devices/self")
    public void deregisterDevice() {
        Device device = DeviceAuthentication.device(identity);
        devices.deregisterDevice(device.deviceId, Subject.device(device.deviceId));
    }

    @RolesAllowed(Roles.DEVICE)
    @POST
    @Path("/users")
    public Response registerUser(UserRegistrationRequest request) {
        Device device = DeviceAuthentication.device(identity);
        if (request == null || !Users.isValidUserId(request.userId())) {
            throw invalid(Users.INVALID_USER_ID);
        }
        if (request.activationCode() == null || request.activationCode().length() > MAX_SECRET_FIELD
                || request.pin() == null || request.pin().length() > MAX_SECRET_FIELD) {
            throw invalid("activation_code and pin are required");
        }
        if (request.duressPin() != null && request.duressPin().length() > MAX_SECRET_FIELD) {
            throw invalid("duress_pin must be at most " + MAX_SECRET_FIELD + " characters");
        }
        devices.registerUser(device, request.userId(), request.activationCode().trim().toUpperCase(), request.pin(),
                request.duressPin());
        return Response.status(Response.Status.CREATED).entity(new UserRegistrationResponse(request.userId())).build();
    }

    @RolesAllowed(Roles.DEVICE)
    @DELETE
    @Path("/users/{userId}")
    public void leaveDevice(@HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                            @PathParam("userId") String userId) {
        Device device = DeviceAuthentication.device(identity);
        devices.session(device, userId, accessToken);
        devices.removeUser(device.deviceId, userId, Subject.device(device.deviceId));
    }

    /** Sets or replaces the duress PIN; under a duress session it answers the same and changes nothing. */
    @RolesAllowed(Roles.DEVICE)
    @PUT
    @Path("/users/{userId}/duress-pin")
    public void setDuressPin(@HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                             @PathParam("userId") String userId, DuressPinRequest request) {
        Device device = DeviceAuthentication.device(identity);
        devices.session(device, userId, accessToken);
        if (request == null || request.duressPin() == null || request.duressPin().length() > MAX_SECRET_FIELD) {
            throw invalid("duress_pin is required");
        }
        devices.setDuressPin(device, userId, accessToken, request.duressPin());
    }

    /** Removes the duress PIN; under a duress session it answers the same and changes nothing. */
    @RolesAllowed(Roles.DEVICE)
    @DELETE
    @Path("/users/{userId}/duress-pin")
    public void removeDuressPin(@HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                                @PathParam("userId") String userId) {
        Device device = DeviceAuthentication.device(identity);
        devices.removeDuressPin(device, userId, accessToken);
    }

    @RolesAllowed(Roles.DEVICE)
    @POST
    @Path("/users/{userId}/session")
    public AccessTokenResponse login(@PathParam("userId") String userId, PinLoginRequest request) {
        Device device = DeviceAuthentication.device(identity);
        if (request == null || request.pin() == null || request.pin().length() > MAX_SECRET_FIELD) {
            throw invalid("pin is required");
        }
        Devices.Login login = devices.login(device, userId, request.pin());
        if (login instanceof Devices.Login.Refused refused) {
            throw new DeviceApiException(refused.error());
        }
        Devices.Login.Success success = (Devices.Login.Success) login;
        return new AccessTokenResponse(success.accessToken(), AccessTokenResponse.BEARER,
                success.expiresIn().toSeconds());
    }

    @RolesAllowed(Roles.DEVICE)
    @DELETE
    @Path("/users/{userId}/session")
    public void logout(@HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                       @PathParam("userId") String userId) {
        Device device = DeviceAuthentication.device(identity);
        Registration registration = devices.session(device, userId, accessToken);
        devices.logout(registration, accessToken);
    }

    @RolesAllowed(Roles.DEVICE)
    @PUT
    @Path("/users/{userId}/mobile-auth/enrollment")
    public EnrollmentResponse enroll(@HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                                     @PathParam("userId") String userId, EnrollmentRequest request) {
        Device device = DeviceAuthentication.device(identity);
        Registration registration = devices.session(device, userId, accessToken);
        if (request == null) {
            throw invalid("device_certificate is required");
        }
        return enrollments.enroll(registration.id, request);
    }

    @RolesAllowed(Roles.DEVICE)
    @GET
    @Path("/users/{userId}/mobile-auth/enrollment")
    public EnrollmentStatus enrollment(@HeaderParam(DeviceHeaders.ACCESS_TOKEN) String accessToken,
                                       @PathParam("userId") String userId) {
        Device device = DeviceAuthentication.device(identity);
        Registration registration = devices.session(device, userId, accessToken);
        return new EnrollmentStatus(registration.isEnrolled(), registration.deviceKeyFingerprint);
    }

    private static DeviceApiException invalid(String message) {
        return new DeviceApiException(DeviceErrorCode.INVALID_REQUEST, message);
    }
}
