package dev.qrauth.tokenserver.enrollment;

import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.message.EnrollmentRequest;
import dev.qrauth.protocol.message.EnrollmentResponse;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpFormatException;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.authtype.MobileAuthType;
import dev.qrauth.tokenserver.device.MobileAuthEnrollment;
import dev.qrauth.tokenserver.device.Registration;
import dev.qrauth.tokenserver.error.AdminApiException;
import dev.qrauth.tokenserver.error.DeviceApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Mobile-auth enrollment: the device's certificate in, the server's out; and disenrollment. */
@ApplicationScoped
public class Enrollments implements MobileAuthEnrollment {

    private final OpenPgp pgp;
    private final ServerKeys serverKeys;
    private final AuditLog audit;
    private final EntityManager entities;

    Enrollments(OpenPgp pgp, ServerKeys serverKeys, AuditLog audit, EntityManager entities) {
        this.pgp = pgp;
        this.serverKeys = serverKeys;
        this.audit = audit;
        this.entities = entities;
    }

    /** Enrolls (or re-enrolls, replacing the key) the registration's user. */
    @Override
    @Transactional
    public EnrollmentResponse enroll(Long registrationId, EnrollmentRequest request) {
        PgpCertificate certificate;
        try {
            certificate = pgp.readCertificate(request.deviceCertificate());
        } catch (PgpFormatException e) {
            throw new DeviceApiException(DeviceErrorCode.INVALID_REQUEST,
                    "device_certificate refused: " + e.reason() + " (" + e.getMessage() + ")");
        }
        Registration registration = Registration.findById(registrationId);
        registration.deviceCertificate = certificate.toArmoredString();
        registration.deviceKeyFingerprint = certificate.fingerprint();
        registration.enrolledAt = Instant.now();
        registration.disenrolledAt = null;
        audit.record(AuditType.MOBILE_AUTH_ENROLLED,
                Subject.device(registration.deviceId).user(registration.userId), certificate.fingerprint());
        return new EnrollmentResponse(serverKeys.key().certificate().toArmoredString(), certificate.fingerprint());
    }

    /**
     * The names of the mobile-auth types {@code userId} can answer for API client {@code clientId}
     * ({@code docs/PROTOCOL.md}, "Availability"): every type (all are {@code OTP}: any enrolled
     * phone of the user can scan any of them) when the user is enrolled on a device, on
     * {@code deviceId} when it is given; otherwise none. As for {@link #disable}, only a user the
     * client has seen answer one of its transactions is told about, so no client learns which
     * users are enrolled from ids it made up.
     */
    @Transactional
    public List<String> availableTypes(String clientId, String userId, UUID deviceId) {
        @SuppressWarnings("unchecked")
        List<String> names = entities.createNativeQuery("SELECT t.name FROM mobile_auth_type t "
                        + "WHERE t.method = ?4 AND EXISTS (SELECT 1 FROM client_user c WHERE c.client_id = ?1 AND c.user_id = ?2) "
                        + "AND EXISTS (SELECT 1 FROM registration r WHERE r.user_id = ?2 "
                        + "AND r.device_certificate IS NOT NULL AND (CAST(?3 AS uuid) IS NULL OR r.device_id = CAST(?3 AS uuid))) "
                        + "ORDER BY t.name")
                .setParameter(1, clientId).setParameter(2, userId)
                .setParameter(3, deviceId == null ? null : deviceId.toString())
                .setParameter(4, MobileAuthType.METHOD_OTP)
                .getResultList();
        return names;
    }

    /**
     * Removes the enrollment keys of {@code userId} on {@code deviceId} at the request of API
     * client {@code clientId}; the device's next fetch is told USER_DISENROLLED. A client may do
     * this only to a user who answered one of its transactions, so it read that user id in a
     * result. Otherwise, and when the user is not registered on that device, nothing happens: the
     * caller learns nothing either way ({@code docs/PROTOCOL.md}, disableMobileAuthentication).
     */
    @Transactional
    public void disable(String clientId, String userId, UUID deviceId) {
        boolean seen = !entities.createNativeQuery("SELECT 1 FROM client_user WHERE client_id = ?1 AND user_id = ?2")
                .setParameter(1, clientId).setParameter(2, userId)
                .getResultList().isEmpty();
        if (!seen) {
            return;
        }
        Registration registration = Registration.find("deviceId = ?1 and userId = ?2", deviceId, userId).firstResult();
        if (registration == null) {
            return;
        }
        disenroll(registration, Subject.client(clientId));
    }

    /**
     * The admin's disenrollment of {@code userId}: on {@code deviceId}, or on every device when
     * that is null. Each device then gets USER_DISENROLLED on its next mobile-auth request, as
     * after {@link #disable}; not found when the user is not registered on {@code deviceId}. Returns the devices whose enrollment was removed (none when the
     * user was not enrolled there).
     */
    @Transactional
    public List<UUID> disableByAdmin(String userId, UUID deviceId) {
        List<Registration> registrations = deviceId == null
                ? Registration.list("userId = ?1 order by createdAt", userId)
                : Registration.list("userId = ?1 and deviceId = ?2", userId, deviceId);
        if (deviceId != null && registrations.isEmpty()) {
            throw AdminApiException.notFound("That user is not registered on that device");
        }
        List<UUID> disenrolled = new ArrayList<>();
        for (Registration registration : registrations) {
            if (disenroll(registration, Subject.admin())) {
                disenrolled.add(registration.deviceId);
            }
        }
        return disenrolled;
    }

    /** Removes the registration's enrollment keys; audits and returns true when it was enrolled. */
    private boolean disenroll(Registration registration, Subject actor) {
        boolean wasEnrolled = registration.isEnrolled();
        registration.deviceCertificate = null;
        registration.deviceKeyFingerprint = null;
        registration.enrolledAt = null;
        if (wasEnrolled) {
            registration.disenrolledAt = Instant.now();
            audit.record(AuditType.MOBILE_AUTH_DISENROLLED,
                    actor.onDevice(registration.deviceId).user(registration.userId), null);
        }
        return wasEnrolled;
    }
}
