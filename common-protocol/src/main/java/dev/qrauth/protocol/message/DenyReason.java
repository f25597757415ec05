package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why the user denied, when they said. Open on the wire: an unknown value parses as
 * {@link #UNRECOGNIZED}.
 */
public enum DenyReason {
    /** "This wasn't me": the user did not start this request. */
    FRAUD("fraud"),
    UNRECOGNIZED("unrecognized");

    private final String wireName;

    DenyReason(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static DenyReason fromWire(String value) {
        for (DenyReason reason : values()) {
            if (reason.wireName.equals(value)) {
                return reason;
            }
        }
        return UNRECOGNIZED;
    }
}
