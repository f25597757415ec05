package dev.qrauth.protocol.json;

/**
 * Bytes from a peer that do not form the expected protocol type. The message names the type,
 * never the offending input, so it is safe to log.
 */
public final class ProtocolFormatException extends RuntimeException {

    public ProtocolFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
