package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How close the phone that fetched a request is to the browser that started it, by their IP
 * addresses as the token server saw them: {@code docs/PROTOCOL.md}, "Proximity". A relayed QR
 * code (QRLJacking) is shown to a victim whose phone is usually far from the attacker's browser,
 * so anything but {@link #SAME_ADDRESS} or {@link #SAME_NETWORK} is worth a warning. Open on the
 * wire: an unknown value parses as {@link #UNRECOGNIZED}.
 */
public enum Proximity {
    /** The phone fetched from the browser's own address (the same home or office network). */
    SAME_ADDRESS("same_address", "Your phone and this browser are on the same network"),
    /** The same IPv4 /24 or IPv6 /48. */
    SAME_NETWORK("same_network", "Your phone and this browser are on the same network"),
    /** Another network in the same country, or a country the server cannot tell. */
    OTHER_NETWORK("other_network", "This browser is in another network"),
    /** Another network, and the GeoIP database places the two in different countries. */
    OTHER_COUNTRY("other_country", "This browser is in another country"),
    /** The portal did not say where the browser is. */
    UNKNOWN("unknown", "The portal did not say where this browser is"),
    UNRECOGNIZED("unrecognized", "The server could not tell where this browser is");

    private final String wireName;
    private final String description;

    Proximity(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The plain sentence a phone shows. */
    public String description() {
        return description;
    }

    /** Whether the phone and the browser are on one network; anything else deserves a warning. */
    public boolean isNear() {
        return this == SAME_ADDRESS || this == SAME_NETWORK;
    }

    @JsonCreator
    public static Proximity fromWire(String value) {
        for (Proximity proximity : values()) {
            if (proximity.wireName.equals(value)) {
                return proximity;
            }
        }
        return UNRECOGNIZED;
    }
}
