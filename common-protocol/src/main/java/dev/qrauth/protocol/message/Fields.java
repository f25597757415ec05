package dev.qrauth.protocol.message;

import java.util.Objects;

/** Shared argument checks of the envelope constructors. */
final class Fields {

    private Fields() {
    }

    static String required(String value, String name, int maxLength) {
        Objects.requireNonNull(value, name + " == null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        return bounded(value, name, maxLength);
    }

    static String optional(String value, String name, int maxLength) {
        return value == null ? null : bounded(value, name, maxLength);
    }

    private static String bounded(String value, String name, int maxLength) {
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(name + " longer than " + maxLength);
        }
        return value;
    }
}
