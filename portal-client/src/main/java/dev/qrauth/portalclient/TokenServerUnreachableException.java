package dev.qrauth.portalclient;

/**
 * The token server gave no answer: the connection was refused or broke, or no complete answer
 * came within the client's timeouts ({@link #isTimeout()}). Whether the request took effect is
 * unknown; a read or a cancel can safely be sent again, an initiation starts a new transaction.
 */
public final class TokenServerUnreachableException extends TokenServerException {

    private final boolean timeout;

    TokenServerUnreachableException(String message, boolean timeout, Throwable cause) {
        super(message, 0, cause);
        this.timeout = timeout;
    }

    /** Whether the server was too slow (connecting or answering), rather than unreachable. */
    public boolean isTimeout() {
        return timeout;
    }
}
