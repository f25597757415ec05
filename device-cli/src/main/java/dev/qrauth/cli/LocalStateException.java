package dev.qrauth.cli;

/** The local state does not allow the command (no profile, no server): exit code 3. */
final class LocalStateException extends RuntimeException {
    LocalStateException(String message) {
        super(message, null, false, false);
    }
}
