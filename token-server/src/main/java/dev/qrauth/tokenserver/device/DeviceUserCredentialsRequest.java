package dev.qrauth.tokenserver.device;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A device user's credentials as a mobile-auth request presents them, not yet parsed: the
 * device's {@code Authorization} header, the {@code X-Access-Token} header of the user's PIN
 * login (each null when absent) and the user id from the path. {@link DeviceCredentialsMechanism}
 * makes one on the paths of a flow's fetch and answer; the provider that checks it belongs to
 * whoever serves those paths ({@code transaction.DeviceUserAuthentication}), which checks it with
 * {@link Devices#mobileAuthSession}.
 */
public final class DeviceUserCredentialsRequest extends BaseAuthenticationRequest {

    private final String authorization;
    private final String accessToken;
    private final String userId;

    DeviceUserCredentialsRequest(String authorization, String accessToken, String userId) {
        this.authorization = authorization;
        this.accessToken = accessToken;
        this.userId = userId;
    }

    public String authorization() {
        return authorization;
    }

    public String accessToken() {
        return accessToken;
    }

    public String userId() {
        return userId;
    }
}
