package dev.qrauth.testkit;

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
 */
public record AuthType(String name, int timeToLiveSeconds, boolean numberMatching, String defaultMessage,
                       String proximity, boolean reverseCode) {

    /** {@code login}: two minutes, no number matching. */
    public static final AuthType LOGIN = new AuthType("login", 120, false, "Log in");
    /** {@code approval}: two minutes, with number matching. */
    public static final AuthType APPROVAL = new AuthType("approval", 120, true, "Approve");

    public AuthType {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(defaultMessage, "defaultMessage == null");
        Objects.requireNonNull(proximity, "proximity == null");
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
        return new AuthType(name, timeToLiveSeconds, true, defaultMessage, proximity, reverseCode);
    }

    /** This type with the proximity policy {@code off}, {@code warn} or {@code require}. */
    public AuthType withProximity(String policy) {
        return new AuthType(name, timeToLiveSeconds, numberMatching, defaultMessage, policy, reverseCode);
    }

    /**
     * This type with reverse code entry: after the phone approves, the portal must submit the code
     * the phone shows ({@link VirtualPhone#lastReverseCode()}).
     */
    public AuthType withReverseCode() {
        return new AuthType(name, timeToLiveSeconds, numberMatching, defaultMessage, proximity, true);
    }
}
