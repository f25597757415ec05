package dev.qrauth.sdk;

/**
 * What went wrong, as the app sees it. {@code docs/PROTOCOL.md}, "Device API errors", says when
 * each happens and which local data the SDK removes before reporting it.
 *
 * <p>Each constant carries a number, {@link #code()}: the number Onegini's mobile SDKs give the
 * same error, so an app ported from them keeps its numeric error handling. The numbers were
 * checked against Onegini's public SDK documentation:
 * <ul>
 *   <li>iOS: the SDK's error header {@code ONGErrors.h} (domains {@code ONGGenericErrorDomain},
 *       {@code ONGAuthenticationErrorDomain}, {@code ONGMobileAuthRequestErrorDomain}) and the
 *       iOS SDK reference page "SDK Errors";</li>
 *   <li>Android: the Android SDK reference page "SDK Errors" (9000 to 9014), and for the
 *       mobile-auth codes the native codes listed by Onegini's Flutter plugin
 *       ({@code PlatformErrorCodes} in the pub.dev package {@code onegini}).</li>
 * </ul>
 * Each constant names its counterpart. Errors of this SDK that Onegini has no counterpart for
 * take numbers from 7000 to 7999: Onegini's SDKs use 9000 and up (9000 to 9999 for errors to
 * show to the user, 10000 and up for misconfiguration) and its app-framework plugins (Cordova,
 * React Native, Flutter) 8000 to 8999, so a number of ours never means one of theirs. Numbers
 * are unique and never change once released.
 */
public enum SdkErrorCode {
    /**
     * The server no longer knows this device; all local data has been removed.
     * 9002: iOS {@code ONGGenericErrorDeviceDeregistered}, Android {@code DEVICE_DEREGISTERED}.
     */
    DEVICE_DEREGISTERED(9002),
    /**
     * Too many wrong PINs, or the user was removed; that profile's local data has been removed.
     * 9003: iOS {@code ONGGenericErrorUserDeregistered}, Android {@code USER_DEREGISTERED}.
     */
    USER_DEREGISTERED(9003),
    /**
     * No connection to the server could be made.
     * 9000: iOS {@code ONGGenericErrorNetworkConnectivityFailure}, Android {@code NETWORK_CONNECTIVITY_PROBLEM}.
     */
    NETWORK_CONNECTIVITY_FAILURE(9000),
    /**
     * Connected, but the server failed, answered something undocumented, or sent an unverifiable message.
     * 9001: iOS {@code ONGGenericErrorServerNotReachable}, Android {@code SERVER_NOT_REACHABLE}.
     */
    SERVER_NOT_REACHABLE(9001),
    /**
     * Unknown, expired or cancelled transaction.
     * 10013: iOS {@code ONGMobileAuthRequestErrorNotFound}, Android the same.
     */
    NOT_FOUND(10013),
    /**
     * The text is not an OTP this SDK can handle.
     * 10018: iOS {@code ONGMobileAuthRequestErrorNotHandleable}, Android the same.
     */
    NOT_HANDLEABLE(10018),
    /**
     * The server removed the user's mobile-auth enrollment; the local enrollment keys have been removed.
     * 9020: iOS {@code ONGMobileAuthRequestErrorUserDisenrolled}, Android the same.
     */
    USER_DISENROLLED(9020),
    /**
     * The user has not enrolled for mobile authentication.
     * 9021: iOS {@code ONGMobileAuthRequestErrorNotEnrolled}, Android the same.
     */
    NOT_ENROLLED(9021),
    /**
     * No user is logged in, or the access token expired.
     * 9010: iOS {@code ONGMobileAuthRequestErrorUserNotAuthenticated}, Android {@code USER_NOT_AUTHENTICATED}.
     */
    USER_NOT_AUTHENTICATED(9010),
    /**
     * Wrong PIN; {@link SdkException#remainingAttempts()} says how many tries are left.
     * 9009: iOS {@code ONGAuthenticationErrorInvalidPin} (Android reports a wrong PIN through its
     * PIN callback, with no error number).
     */
    INVALID_PIN(9009),
    /**
     * The OTP was already fetched, or the transaction already answered.
     * 9029: iOS {@code ONGMobileAuthRequestErrorAlreadyHandled} (iOS only).
     */
    ALREADY_HANDLED(9029),
    /**
     * Another mobile-auth request is being handled.
     * 9007: iOS {@code ONGGenericErrorActionAlreadyInProgress}, Android {@code ACTION_ALREADY_IN_PROGRESS}.
     */
    ACTION_ALREADY_IN_PROGRESS(9007),
    /**
     * The user denied the request (or the server rejected the chosen number).
     * 9006: iOS {@code ONGGenericErrorActionCancelled}, Android {@code ACTION_CANCELED}.
     */
    ACTION_CANCELLED(9006),
    /**
     * Registration only: the activation code is unknown, used or expired.
     * 7001, ours: Onegini registers users through a browser or a custom flow, with no activation code.
     */
    INVALID_ACTIVATION_CODE(7001),
    /**
     * Registration only: the PIN breaks the PIN rules (at least five digits, no repeats or runs).
     * 7002, ours: Onegini tells the broken rule apart (9011 blacklisted, 9012 a sequence, 9013
     * similar digits, 9014 wrong length); the server here gives one code for all of them.
     */
    PIN_NOT_ALLOWED(7002),
    /**
     * The store holds a device registered with another server than the one this client was built
     * for (a changed configuration, or an edited file): nothing was sent, nothing was removed.
     * A local problem, not the server's. 7003, ours: Onegini has no such check.
     */
    SERVER_MISMATCH(7003),
    /**
     * An entry of the store does not decrypt or does not parse: changed or damaged on disk, or
     * sealed with another storage key. Nothing was sent and nothing was removed: what the store
     * holds may still be worth saving, so the app decides whether to restore it or to start again
     * with an empty store (and register again). A local problem, not the server's. 7004, ours.
     */
    LOCAL_STORE_CORRUPT(7004);

    private final int code;

    SdkErrorCode(int code) {
        this.code = code;
    }

    /** The error's number: Onegini's for the same error, or ours from 7000 to 7999 (see above). */
    public int code() {
        return code;
    }
}
