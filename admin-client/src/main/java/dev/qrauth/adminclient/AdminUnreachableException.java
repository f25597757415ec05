package dev.qrauth.adminclient;

/**
 * The token server gave no answer: the connection was refused or broke, or no complete answer
 * came within the client's timeouts ({@link #isTimeout()}). Whether the request took effect is
 * unknown.
 */
public final class AdminUnreachableException extends AdminClientException {

    private final boolean timeout;

    AdminUnreachableException(String message, boolean timeout, Throwable cause) {
        super(message, 0, cause);
        this.timeout = timeout;
    }

    /** Whether the server was too slow (connecting or answering), rather than unreachable. */
    public boolean isTimeout() {
        return timeout;
    }
}
