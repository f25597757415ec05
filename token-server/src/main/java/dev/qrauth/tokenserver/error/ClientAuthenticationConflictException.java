package dev.qrauth.tokenserver.error;

/**
 * A request that authenticates its client both in the {@code Authorization} header and in the
 * form: 400 {@code invalid_request}, as RFC 6749 (sections 2.3 and 5.2) answers more than one
 * authentication method in a request.
 */
public final class ClientAuthenticationConflictException extends RuntimeException {

    public ClientAuthenticationConflictException() {
        super("The client is authenticated both in the Authorization header and in the form; use one", null, false, false);
    }
}
