package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.tokenserver.error.DeviceApiException;

/**
 * A device request's result, or its refusal. Returned rather than thrown where the refusal itself
 * changes state (a failed-fetch count, an audit event) that must commit with it.
 */
public sealed interface Outcome<T> {

    record Accepted<T>(T value) implements Outcome<T> {
    }

    record Refused<T>(DeviceError error) implements Outcome<T> {
    }

    static <T> Outcome<T> accepted(T value) {
        return new Accepted<>(value);
    }

    static <T> Outcome<T> refused(DeviceError error) {
        return new Refused<>(error);
    }

    /** The value, or the refusal as the exception the error mapper answers. */
    default T orThrow() {
        if (this instanceof Refused<T> refused) {
            throw new DeviceApiException(refused.error());
        }
        return ((Accepted<T>) this).value();
    }
}
