package dev.qrauth.tokenserver.authtype;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What starting a transaction needs of a mobile-auth type, copied out of its row so that it can
 * be kept in memory: an immutable snapshot, tied to the row by {@code version} (moved on by the
 * database at every change, so a statement can check that the snapshot is still the row).
 * {@code rotationSeconds} is null for a type whose code never changes; {@code requiredApprovals} is 1
 * unless the type is four-eyes, whose default group is {@code approvers}.
 */
public record TypeRules(String name, int timeToLiveSeconds, String defaultMessage, Map<String, String> defaultMessages,
                        boolean numberMatching, int maxMessageLength, String proximity, boolean reverseCode,
                        long version, Integer rotationSeconds, int requiredApprovals, List<String> approvers) {

    public TypeRules {
        defaultMessages = defaultMessages == null ? Map.of() : Map.copyOf(defaultMessages);
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
    }

    /** A type one phone approves. */
    public TypeRules(String name, int timeToLiveSeconds, String defaultMessage, Map<String, String> defaultMessages,
                     boolean numberMatching, int maxMessageLength, String proximity, boolean reverseCode, long version,
                     Integer rotationSeconds) {
        this(name, timeToLiveSeconds, defaultMessage, defaultMessages, numberMatching, maxMessageLength, proximity,
                reverseCode, version, rotationSeconds, 1, List.of());
    }

    /** Whether several users' phones must confirm ({@code docs/PROTOCOL.md}, "Four-eyes approval"). */
    public boolean fourEyes() {
        return requiredApprovals > 1;
    }

    /** A type whose code never changes. */
    public TypeRules(String name, int timeToLiveSeconds, String defaultMessage, Map<String, String> defaultMessages,
                     boolean numberMatching, int maxMessageLength, String proximity, boolean reverseCode, long version) {
        this(name, timeToLiveSeconds, defaultMessage, defaultMessages, numberMatching, maxMessageLength, proximity,
                reverseCode, version, null);
    }

    public static TypeRules of(MobileAuthType type) {
        return new TypeRules(type.name, type.timeToLiveSeconds, type.defaultMessage, type.defaultMessages,
                type.numberMatching, type.maxMessageLength, type.proximity, type.reverseCode, type.version,
                type.rotationSeconds, type.requiredApprovals, List.of(type.approvers));
    }

    /**
     * The default message for a transaction in {@code languageCode} (may be null): the one for
     * that exact tag, else the one for its primary language ({@code nl} for {@code nl-BE}), else
     * {@link #defaultMessage}; null when there is none.
     */
    public String defaultMessageFor(String languageCode) {
        return defaultMessageFor(languageCode, defaultMessages, defaultMessage);
    }

    static String defaultMessageFor(String languageCode, Map<String, String> byLanguage, String fallback) {
        if (languageCode != null && byLanguage != null && !byLanguage.isEmpty()) {
            String tag = languageCode.toLowerCase(Locale.ROOT);
            String exact = byLanguage.get(tag);
            if (exact != null) {
                return exact;
            }
            int dash = tag.indexOf('-');
            String primary = dash < 0 ? null : byLanguage.get(tag.substring(0, dash));
            if (primary != null) {
                return primary;
            }
        }
        return fallback;
    }
}
