package dev.qrauth.sdk.internal;

import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.sdk.SdkErrorCode;
import dev.qrauth.sdk.SdkException;

/** The server's device error codes as the app sees them: {@code docs/PROTOCOL.md}, "Device API errors". */
final class ErrorCodes {

    private ErrorCodes() {
    }

    static SdkException toSdk(DeviceError error) {
        SdkErrorCode code = switch (error.error()) {
            case DEVICE_DEREGISTERED -> SdkErrorCode.DEVICE_DEREGISTERED;
            case USER_DEREGISTERED -> SdkErrorCode.USER_DEREGISTERED;
            case NOT_FOUND -> SdkErrorCode.NOT_FOUND;
            case USER_DISENROLLED -> SdkErrorCode.USER_DISENROLLED;
            case NOT_ENROLLED -> SdkErrorCode.NOT_ENROLLED;
            case USER_NOT_AUTHENTICATED -> SdkErrorCode.USER_NOT_AUTHENTICATED;
            case INVALID_PIN -> SdkErrorCode.INVALID_PIN;
            case ALREADY_HANDLED -> SdkErrorCode.ALREADY_HANDLED;
            case INVALID_ACTIVATION_CODE -> SdkErrorCode.INVALID_ACTIVATION_CODE;
            case PIN_NOT_ALLOWED -> SdkErrorCode.PIN_NOT_ALLOWED;
            // The peers disagree about the protocol, or the server sent a code it should not:
            // nothing the app can fix.
            default -> SdkErrorCode.SERVER_NOT_REACHABLE;
        };
        return new SdkException(code, error.errorMessage(),
                code == SdkErrorCode.INVALID_PIN ? error.remainingAttempts() : null, null);
    }
}
