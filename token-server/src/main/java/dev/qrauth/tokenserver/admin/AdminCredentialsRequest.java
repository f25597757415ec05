package dev.qrauth.tokenserver.admin;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * The admin's credentials as a request presents them: its {@code Authorization} header, not yet
 * parsed (null when absent), for {@link AdminAuthentication} to check.
 */
final class AdminCredentialsRequest extends BaseAuthenticationRequest {

    private final String authorization;

    AdminCredentialsRequest(String authorization) {
        this.authorization = authorization;
    }

    String authorization() {
        return authorization;
    }
}
