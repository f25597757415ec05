package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What the user decided. Open on the wire: an unknown value parses as {@link #UNRECOGNIZED}. */
public enum AnswerDecision {
    CONFIRMED("confirmed"),
    DENIED("denied"),
    UNRECOGNIZED("unrecognized");

    private final String wireName;

    AnswerDecision(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static AnswerDecision fromWire(String value) {
        for (AnswerDecision decision : values()) {
            if (decision.wireName.equals(value)) {
                return decision;
            }
        }
        return UNRECOGNIZED;
    }
}
