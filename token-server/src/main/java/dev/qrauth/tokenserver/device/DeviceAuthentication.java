package dev.qrauth.tokenserver.device;

import dev.qrauth.tokenserver.error.DeviceApiException;
import dev.qrauth.tokenserver.security.CredentialsRefused;
import dev.qrauth.tokenserver.security.Roles;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The identity provider of the device API ({@link DeviceCredentialsMechanism}): a registered
 * device's credentials give the role {@link Roles#DEVICE} and the device itself, as loaded for
 * the check, so the resource reads no row again ({@link #device(SecurityIdentity)}). Anything
 * else is refused with the device API's own error, under the failure budgets of
 * {@link Devices#authenticate}.
 */
@ApplicationScoped
public class DeviceAuthentication implements IdentityProvider<DeviceCredentialsRequest> {

    private static final String DEVICE = Device.class.getName();

    private final Devices devices;

    DeviceAuthentication(Devices devices) {
        this.devices = devices;
    }

    @Override
    public Class<DeviceCredentialsRequest> getRequestType() {
        return DeviceCredentialsRequest.class;
    }

    /** Checking may hash a secret and reads the database: never on the event loop. */
    @Override
    public Uni<SecurityIdentity> authenticate(DeviceCredentialsRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            Device device;
            try {
                device = devices.authenticate(request.authorization());
            } catch (DeviceApiException refused) {
                throw CredentialsRefused.by(refused);
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(device.deviceId.toString()))
                    .addRole(Roles.DEVICE)
                    .addAttribute(DEVICE, device)
                    .build();
        });
    }

    /** The device an identity of {@link Roles#DEVICE} was given to. */
    public static Device device(SecurityIdentity identity) {
        Device device = identity.getAttribute(DEVICE);
        if (device == null) {
            throw new IllegalStateException("Not a device's identity: the resource lacks @RolesAllowed(Roles.DEVICE)");
        }
        return device;
    }
}
