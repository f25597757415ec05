package dev.qrauth.sdk;

import java.util.Objects;

/** A failure of an SDK call, with its {@link SdkErrorCode}. The message never contains a secret. */
public final class SdkException extends RuntimeException {

    private final SdkErrorCode code;
    private final Integer remainingAttempts;

    public SdkException(SdkErrorCode code, String message) {
        this(code, message, null, null);
    }

    public SdkException(SdkErrorCode code, String message, Integer remainingAttempts, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code == null");
        this.remainingAttempts = remainingAttempts;
    }

    public SdkErrorCode code() {
        return code;
    }

    /** For {@link SdkErrorCode#INVALID_PIN}: the PIN attempts left before the user is removed; else null. */
    public Integer remainingAttempts() {
        return remainingAttempts;
    }

    @Override
    public String toString() {
        return "SdkException[" + code + (remainingAttempts == null ? "" : ", remainingAttempts=" + remainingAttempts)
                + "]: " + getMessage();
    }
}
