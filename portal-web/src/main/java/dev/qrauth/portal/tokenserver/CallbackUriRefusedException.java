package dev.qrauth.portal.tokenserver;

import dev.qrauth.portalclient.TokenServerRefusedException;
import java.net.URI;
import java.util.Objects;

/**
 * The token server refused the callback URI the portal sent at initiation ({@code 1003} naming
 * {@code callback_uri}), almost always because the URI is not in the API client's allow-list
 * exactly as written: every login and approval fails until an administrator changes the list or
 * {@code portal.public-url}. The message says so, for the log; the error page says it to the
 * administrator.
 */
public final class CallbackUriRefusedException extends RuntimeException {

    private final URI callbackUri;
    private final String reason;

    public CallbackUriRefusedException(URI callbackUri, TokenServerRefusedException refusal) {
        super("the token server refused the callback URI " + callbackUri + " (error " + refusal.errorCode() + ": "
                + refusal.description() + "). It must be in the API client's allow-list (callback_uris) exactly as "
                + "written: add it there, or set portal.public-url so that it plus /callbacks/mobile-auth is an entry "
                + "of the list", refusal);
        this.callbackUri = Objects.requireNonNull(callbackUri, "callbackUri == null");
        this.reason = refusal.description();
    }

    /** The callback URI the portal sent, which the token server refused. */
    public URI callbackUri() {
        return callbackUri;
    }

    /** The token server's own words for the refusal, cut short and safe to show. */
    public String reason() {
        return reason;
    }
}
