package dev.qrauth.tokenserver.error;

/**
 * A request that cannot be parsed, such as a form with broken percent-encoding: answered with
 * {@code 400} and the error body of its API, and not logged as a failure of the server.
 */
public final class MalformedRequestException extends RuntimeException {

    public MalformedRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
