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
 */
public record AuthType(String name, int timeToLiveSeconds, boolean numberMatching, String defaultMessage) {

    /** {@code login}: two minutes, no number matching. */
    public static final AuthType LOGIN = new AuthType("login", 120, false, "Log in");
    /** {@code approval}: two minutes, with number matching. */
    public static final AuthType APPROVAL = new AuthType("approval", 120, true, "Approve");

    public AuthType {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(defaultMessage, "defaultMessage == null");
    }

    /** A type with the given name and lifetime, no number matching and the message "Log in". */
    public static AuthType of(String name, int timeToLiveSeconds) {
        return new AuthType(name, timeToLiveSeconds, false, "Log in");
    }

    /** This type with number matching. */
    public AuthType withNumberMatching() {
        return new AuthType(name, timeToLiveSeconds, true, defaultMessage);
    }
}
