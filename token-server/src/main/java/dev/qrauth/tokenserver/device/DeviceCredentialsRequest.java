package dev.qrauth.tokenserver.device;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A device's credentials as a request presents them: its {@code Authorization} header, not yet
 * parsed (null when absent), for {@link DeviceAuthentication} to check.
 */
final class DeviceCredentialsRequest extends BaseAuthenticationRequest {

    private final String authorization;

    DeviceCredentialsRequest(String authorization) {
        this.authorization = authorization;
    }

    String authorization() {
        return authorization;
    }
}
