package dev.qrauth.portal.challenge;

import java.util.Locale;

/** Where a challenge stands, as the browser sees it. */
public enum ChallengeState {
    /** The QR code is shown; nobody has scanned it yet. */
    WAITING,
    /** A phone fetched the request; the user is deciding. */
    SCANNED,
    /**
     * The phone approved a type with reverse code entry: the browser must now type the code the
     * phone shows before the login counts.
     */
    CODE_NEEDED,
    /** The phone confirmed (and, for an approval, it was the logged-in user's). */
    CONFIRMED,
    /** The phone denied, reported the request, or picked the wrong number. */
    DENIED,
    /** An approval was confirmed by a user other than the one logged in: it does not count. */
    WRONG_USER,
    /** The code expired more often than the page renews it. */
    GAVE_UP,
    /** The token server could not be reached to renew an expired code. */
    UNAVAILABLE,
    /** Replaced by a newer challenge of the same session, or the session ended. */
    CANCELLED;

    /** Whether the phone can still answer. */
    public boolean isOpen() {
        return this == WAITING || this == SCANNED || this == CODE_NEEDED;
    }

    /** The name the browser sees. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
