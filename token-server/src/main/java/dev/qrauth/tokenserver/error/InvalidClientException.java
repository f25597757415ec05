package dev.qrauth.tokenserver.error;

/** Missing or wrong API-client credentials: 401 {@code invalid_client}. */
public final class InvalidClientException extends RuntimeException {

    public InvalidClientException(String message) {
        super(message, null, false, false);
    }
}
