package dev.qrauth.tokenserver.authtype;

/**
 * What a type does with the proximity of the phone to the browser, {@code docs/PROTOCOL.md}
 * "Proximity": {@code off} tells the phone nothing, {@code warn} tells it, {@code require} also
 * refuses an approval from a phone that is not on the browser's network.
 */
public enum ProximityPolicy {
    OFF("off"),
    WARN("warn"),
    REQUIRE("require");

    public final String wireName;

    ProximityPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The policy named {@code value}, or null for any other value. */
    public static ProximityPolicy fromWire(String value) {
        for (ProximityPolicy policy : values()) {
            if (policy.wireName.equals(value)) {
                return policy;
            }
        }
        return null;
    }
}
