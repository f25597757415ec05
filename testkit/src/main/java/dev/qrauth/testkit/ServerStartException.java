package dev.qrauth.testkit;

/**
 * A {@link ServerProcess} did not become ready; the server was stopped. The {@link #reason()} says
 * why, so that a caller can name its own remedy (such as the option that moves a server to
 * another port); the message ends with the end of the server's log.
 */
public final class ServerStartException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Why the start failed. */
    public enum Reason {
        /** The server's process exited before it was ready. */
        EXITED,
        /** It still ran, but did not answer its readiness path with 200 within the start timeout. */
        NOT_READY_IN_TIME,
        /** Another program listened on the server's port; nothing was sent to it. */
        PORT_TAKEN
    }

    private final Reason reason;
    private final int port;

    ServerStartException(Reason reason, int port, String message) {
        super(message);
        this.reason = reason;
        this.port = port;
    }

    public Reason reason() {
        return reason;
    }

    /** The port the server was to listen on. */
    public int port() {
        return port;
    }
}
