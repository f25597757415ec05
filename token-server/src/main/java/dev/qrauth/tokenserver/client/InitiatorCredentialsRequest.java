package dev.qrauth.tokenserver.client;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * An API client's credentials, not yet parsed, as the two calls of a flow that a portal makes
 * present them (initiation and the result read): its {@code Authorization} header and, in a
 * url-encoded form, {@code client_id} and {@code client_secret} (each null when absent).
 * {@link ClientCredentialsMechanism} makes one on those calls; the provider that checks it
 * belongs to whoever serves them ({@code transaction.InitiatorAuthentication}), which checks it
 * with {@link ApiClients#authenticate(String, String, String)}.
 */
public final class InitiatorCredentialsRequest extends BaseAuthenticationRequest {

    private final String authorization;
    private final String formClientId;
    private final String formClientSecret;

    InitiatorCredentialsRequest(String authorization, String formClientId, String formClientSecret) {
        this.authorization = authorization;
        this.formClientId = formClientId;
        this.formClientSecret = formClientSecret;
    }

    public String authorization() {
        return authorization;
    }

    public String formClientId() {
        return formClientId;
    }

    public String formClientSecret() {
        return formClientSecret;
    }
}
