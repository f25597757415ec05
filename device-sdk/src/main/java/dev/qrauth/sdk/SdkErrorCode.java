package dev.qrauth.sdk;

/**
 * What went wrong, as the app sees it. {@code docs/PROTOCOL.md}, "Device API errors", says when
 * each happens and which local data the SDK removes before reporting it.
 */
public enum SdkErrorCode {
    /** The server no longer knows this device; all local data has been removed. */
    DEVICE_DEREGISTERED,
    /** Too many wrong PINs, or the user was removed; that profile's local data has been removed. */
    USER_DEREGISTERED,
    /** No connection to the server could be made. */
    NETWORK_CONNECTIVITY_FAILURE,
    /** Connected, but the server failed, answered something undocumented, or sent an unverifiable message. */
    SERVER_NOT_REACHABLE,
    /** Unknown, expired or cancelled transaction. */
    NOT_FOUND,
    /** The text is not an OTP this SDK can handle. */
    NOT_HANDLEABLE,
    /** The server removed the user's mobile-auth enrollment; the local enrollment keys have been removed. */
    USER_DISENROLLED,
    /** The user has not enrolled for mobile authentication. */
    NOT_ENROLLED,
    /** No user is logged in, or the access token expired. */
    USER_NOT_AUTHENTICATED,
    /** Wrong PIN; {@link SdkException#remainingAttempts()} says how many tries are left. */
    INVALID_PIN,
    /** The OTP was already fetched, or the transaction already answered. */
    ALREADY_HANDLED,
    /** Another mobile-auth request is being handled. */
    ACTION_ALREADY_IN_PROGRESS,
    /** The user denied the request (or the server rejected the chosen number). */
    ACTION_CANCELLED,
    /** Registration only: the activation code is unknown, used or expired. */
    INVALID_ACTIVATION_CODE,
    /** Registration only: the PIN breaks the PIN rules (at least five digits, no repeats or runs). */
    PIN_NOT_ALLOWED,
    /**
     * The store holds a device registered with another server than the one this client was built
     * for (a changed configuration, or an edited file): nothing was sent, nothing was removed.
     * A local problem, not the server's.
     */
    SERVER_MISMATCH
}
