package dev.qrauth.testkit;

import java.util.List;
import java.util.Objects;

/**
 * A mobile-auth type to create on a {@link TestTokenServer}: the portal names it when it starts a
 * login or an approval. The server checks the values when the kit creates the type.
 *
 * @param name               what the portal sends as {@code type}
 * @param timeToLiveSeconds  how long a code can be answered
 * @param numberMatching     whether the phone must pick the number the browser shows
 * @param defaultMessage     the text the phone shows when the portal sends none
 * @param proximity          {@code off}, {@code warn} or {@code require}: what the server does with
 *                           how close the phone is to the browser
 * @param reverseCode        whether the browser must type a code the phone shows after approving
 * @param requiredApprovals  how many distinct users' phones must approve: 1, or 2 to 10 for
 *                           four-eyes approval ({@code docs/PROTOCOL.md}, "Four-eyes approval")
 * @param approvers          the type's group of approvers (empty: the portal names them)
 */
public record AuthType(String name, int timeToLiveSeconds, boolean numberMatching, String defaultMessage,
                       String proximity, boolean reverseCode, int requiredApprovals, List<String> approvers) {

    /** {@code login}: two minutes, no number matching. */
    public static final AuthType LOGIN = new AuthType("login", 120, false, "Log in");
    /** {@code approval}: two minutes, with number matching. */
    public static final AuthType APPROVAL = new AuthType("approval", 120, true, "Approve");

    public AuthType {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(defaultMessage, "defaultMessage == null");
        Objects.requireNonNull(proximity, "proximity == null");
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
    }

    /** A type one phone approves. */
    public AuthType(String name, int timeToLiveSeconds, boolean numberMatching, String defaultMessage,
                    String proximity, boolean reverseCode) {
        this(name, timeToLiveSeconds, numberMatching, defaultMessage, proximity, reverseCode, 1, List.of());
    }

    /** A type without proximity check or reverse code. */
    public AuthType(String name, int timeToLiveSeconds, boolean numberMatching, String defaultMessage) {
        this(name, timeToLiveSeconds, numberMatching, defaultMessage, "off", false);
    }

    /** A type with the given name and lifetime, no number matching and the message "Log in". */
    public static AuthType of(String name, int timeToLiveSeconds) {
        return new AuthType(name, timeToLiveSeconds, false, "Log in");
    }

    /** This type with number matching. */
    public AuthType withNumberMatching() {
        return new AuthType(name, timeToLiveSeconds, true, defaultMessage, proximity, reverseCode, requiredApprovals,
                approvers);
    }

    /** This type with the proximity policy {@code off}, {@code warn} or {@code require}. */
    public AuthType withProximity(String policy) {
        return new AuthType(name, timeToLiveSeconds, numberMatching, defaultMessage, policy, reverseCode,
                requiredApprovals, approvers);
    }

    /**
     * This type with reverse code entry: after the phone approves, the portal must submit the code
     * the phone shows ({@link VirtualPhone#lastReverseCode()}).
     */
    public AuthType withReverseCode() {
        return new AuthType(name, timeToLiveSeconds, numberMatching, defaultMessage, proximity, true,
                requiredApprovals, approvers);
    }

    /**
     * This type with four-eyes approval: confirmed only when {@code count} distinct users of
     * {@code group} (or of the group the portal names with {@code approvers}) approved, each with
     * a {@link VirtualPhone} of their own.
     */
    public AuthType withRequiredApprovals(int count, List<String> group) {
        return new AuthType(name, timeToLiveSeconds, numberMatching, defaultMessage, proximity, reverseCode, count,
                group);
    }
}
