package dev.qrauth.tokenserver.authtype;

/**
 * What a type does with an approval given under a duress PIN, {@code docs/PROTOCOL.md} "Duress
 * PIN": {@code flag} lets it complete and tells the portal, {@code refuse} also makes it a
 * rejection. The phone is answered as usual either way.
 */
public enum DuressPolicy {
    FLAG("flag"),
    REFUSE("refuse");

    public final String wireName;

    DuressPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The policy named {@code value}, or null for any other value. */
    public static DuressPolicy fromWire(String value) {
        for (DuressPolicy policy : values()) {
            if (policy.wireName.equals(value)) {
                return policy;
            }
        }
        return null;
    }
}
