package dev.qrauth.tokenserver.security;

import io.quarkus.security.AuthenticationFailedException;
import java.util.Objects;

/**
 * A refusal of presented credentials as Quarkus Security expects an identity provider to fail:
 * an {@link AuthenticationFailedException} whose cause is the API's own refusal (wrong or missing
 * credentials, or a spent failure budget), so that the error mapper answers with that API's
 * documented status, body and headers rather than Quarkus' bare {@code 401}.
 */
public final class CredentialsRefused {

    private CredentialsRefused() {
    }

    /** The failure that carries {@code refusal}. */
    public static AuthenticationFailedException by(RuntimeException refusal) {
        return new AuthenticationFailedException(Objects.requireNonNull(refusal, "refusal == null"));
    }
}
