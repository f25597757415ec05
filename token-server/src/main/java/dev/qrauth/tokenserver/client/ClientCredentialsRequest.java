package dev.qrauth.tokenserver.client;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * An API client's credentials as a request presents them, not yet parsed: its
 * {@code Authorization} header and, in a url-encoded form, {@code client_id} and
 * {@code client_secret} (each null when absent), for {@link ClientAuthentication} to check.
 */
final class ClientCredentialsRequest extends BaseAuthenticationRequest {

    private final String authorization;
    private final String formClientId;
    private final String formClientSecret;

    ClientCredentialsRequest(String authorization, String formClientId, String formClientSecret) {
        this.authorization = authorization;
        this.formClientId = formClientId;
        this.formClientSecret = formClientSecret;
    }

    String authorization() {
        return authorization;
    }

    String formClientId() {
        return formClientId;
    }

    String formClientSecret() {
        return formClientSecret;
    }
}
