package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.tokenserver.device.DeviceUserCredentialsRequest;
import dev.qrauth.tokenserver.device.Devices;
import dev.qrauth.tokenserver.device.MobileAuthSession;
import dev.qrauth.tokenserver.enrollment.DeviceCertificates;
import dev.qrauth.tokenserver.error.DeviceApiException;
import dev.qrauth.tokenserver.security.CredentialsRefused;
import dev.qrauth.tokenserver.security.Roles;
import dev.qrauth.tokenserver.security.Secrets;
import dev.qrauth.tokenserver.transaction.TransactionStore.SessionGrant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The identity provider of a flow's fetch and answer ({@code device.DeviceCredentialsMechanism}):
 * a device user's credentials give the role {@link Roles#DEVICE_USER} and the {@link DeviceUser}
 * ({@link #deviceUser(SecurityIdentity)}).
 *
 * <p>Credentials verified before are taken from memory ({@link KnownCredentials}), on the event
 * loop and without a database round trip: the grant is not trusted on its own, every statement of
 * the hot path checks it again. Others are checked in full ({@link #verify}) on a worker thread,
 * with the refusals, their order and the failure budgets of {@link Devices#mobileAuthSession}.
 */
@ApplicationScoped
class DeviceUserAuthentication implements IdentityProvider<DeviceUserCredentialsRequest> {

    private static final String DEVICE_USER = DeviceUser.class.getName();

    /** A full check's result: the session as read, and what was remembered of it (null when not enrolled). */
    record Verified(MobileAuthSession session, SessionGrant grant) {
    }

    private final Devices devices;
    private final KnownCredentials known;
    private final DeviceCertificates deviceCertificates;

    DeviceUserAuthentication(Devices devices, KnownCredentials known, DeviceCertificates deviceCertificates) {
        this.devices = devices;
        this.known = known;
        this.deviceCertificates = deviceCertificates;
    }

    @Override
    public Class<DeviceUserCredentialsRequest> getRequestType() {
        return DeviceUserCredentialsRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(DeviceUserCredentialsRequest request, AuthenticationRequestContext context) {
        SessionGrant remembered = remembered(request.authorization(), request.accessToken(), request.userId());
        if (remembered != null) {
            return Uni.createFrom().item(identity(new DeviceUser(request.authorization(), request.accessToken(),
                    request.userId(), remembered)));
        }
        DeviceUser presented = new DeviceUser(request.authorization(), request.accessToken(), request.userId(), null);
        // Checking may hash a secret and reads the database: never on the event loop.
        return context.runBlocking(() -> {
            try {
                Verified verified = QuarkusTransaction.joiningExisting().call(() -> verify(presented));
                return identity(new DeviceUser(presented.authorization(), presented.accessToken(), presented.userId(),
                        verified.grant()));
            } catch (DeviceApiException refused) {
                throw CredentialsRefused.by(refused);
            }
        });
    }

    /**
     * The full check of a device user's credentials, in the caller's database transaction; the
     * grant is remembered for the hot path when the user is enrolled. The provider and the full
     * path of {@link HotPath} both check with this, the latter in the transaction that does the
     * work, so that the session's failure budget is read and spent in one transaction.
     *
     * @throws DeviceApiException DEVICE_DEREGISTERED, RATE_LIMITED, USER_DEREGISTERED or USER_NOT_AUTHENTICATED
     */
    Verified verify(DeviceUser presented) {
        MobileAuthSession session = devices.mobileAuthSession(presented.authorization(), presented.accessToken(),
                presented.userId());
        Optional<BasicCredentials> device = BasicCredentials.parse(presented.authorization());
        if (session.deviceCertificate() == null || presented.accessToken() == null || device.isEmpty()) {
            return new Verified(session, null);
        }
        SessionGrant grant = new SessionGrant(session.deviceId(), presented.userId(), session.registrationId(),
                session.deviceSecretHash(), Secrets.sha256Hex(session.deviceCertificate()),
                Secrets.sha256Hex(presented.accessToken()), deviceCertificates.of(session.deviceCertificate()),
                session.duress());
        known.rememberSession(device.get().username(), device.get().password(), presented.userId(),
                presented.accessToken(), grant);
        return new Verified(session, grant);
    }

    private SessionGrant remembered(String authorization, String accessToken, String userId) {
        if (accessToken == null || userId == null) {
            return null;
        }
        return BasicCredentials.parse(authorization)
                .map(device -> known.session(device.username(), device.password(), userId, accessToken))
                .orElse(null);
    }

    private static SecurityIdentity identity(DeviceUser user) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user.userId()))
                .addRole(Roles.DEVICE_USER)
                .addAttribute(DEVICE_USER, user)
                .build();
    }

    /** The device user an identity of {@link Roles#DEVICE_USER} was given to. */
    static DeviceUser deviceUser(SecurityIdentity identity) {
        DeviceUser user = identity.getAttribute(DEVICE_USER);
        if (user == null) {
            throw new IllegalStateException("Not a device user's identity: the resource lacks @RolesAllowed(Roles.DEVICE_USER)");
        }
        return user;
    }
}
