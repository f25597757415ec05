package dev.qrauth.portal.session;

/** The portal holds as many sessions as it allows; a new visitor has to come back later. */
public final class TooManySessionsException extends RuntimeException {

    TooManySessionsException() {
        super("too many browser sessions");
    }
}
