package dev.qrauth.portal.challenge;

import java.util.Arrays;
import java.util.Optional;

/** What a browser asks the phone for. */
public enum Purpose {
    /** Log this browser in as the user whose phone answers. */
    LOGIN("login"),
    /** Approve an action of the user already logged in; only that user's phone counts. */
    APPROVAL("approval"),
    /**
     * Approve an action of the user logged in with the phones of several users of a configured
     * group (four-eyes): the token server counts the approvals and checks the group.
     */
    FOUR_EYES("four-eyes");

    private final String pathSegment;

    Purpose(String pathSegment) {
        this.pathSegment = pathSegment;
    }

    /** The name in URLs, such as {@code /challenge/login/events}. */
    public String pathSegment() {
        return pathSegment;
    }

    /** The page that shows a challenge of this purpose. */
    public String pagePath() {
        return switch (this) {
            case LOGIN -> "/login";
            case APPROVAL -> "/approve";
            case FOUR_EYES -> "/four-eyes";
        };
    }

    public static Optional<Purpose> fromPathSegment(String segment) {
        return Arrays.stream(values()).filter(p -> p.pathSegment.equals(segment)).findFirst();
    }
}
