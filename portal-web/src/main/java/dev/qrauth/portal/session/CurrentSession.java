package dev.qrauth.portal.session;

import dev.qrauth.portal.PortalConfig;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The session of the browser making the current request. Starting, rotating or ending the session
 * leaves a cookie to send, which {@link SessionCookieFilter} adds to the response.
 */
@RequestScoped
public class CurrentSession {

    static final String COOKIE_NAME = "portal_session";

    private final BrowserSessions sessions;
    private final HttpServerRequest request;
    private final boolean secureCookies;
    private BrowserSession session;
    private boolean looked;
    private NewCookie cookieToSend;

    CurrentSession(BrowserSessions sessions, HttpServerRequest request, PortalConfig config) {
        this.sessions = sessions;
        this.request = request;
        this.secureCookies = "https".equalsIgnoreCase(config.publicUrl().getScheme());
    }

    /** The browser's session, if it has a live one. */
    public Optional<BrowserSession> find() {
        if (!looked) {
            looked = true;
            Cookie cookie = request.getCookie(COOKIE_NAME);
            session = cookie == null ? null : sessions.find(cookie.getValue()).orElse(null);
        }
        return Optional.ofNullable(session);
    }

    /** The browser's session, started now if it has none. */
    public BrowserSession findOrStart() {
        return find().orElseGet(() -> use(sessions.start()));
    }

    /** The logged-in user's session; anyone else is sent to the login page. */
    public BrowserSession requireLoggedIn() {
        return find().filter(s -> s.userId().isPresent())
                .orElseThrow(() -> new WebApplicationException(Response.seeOther(URI.create("/login")).build()));
    }

    /** Replaces the current session with a new one logged in as {@code userId}. */
    public BrowserSession logIn(String userId) {
        BrowserSession old = find().orElseThrow(() -> new IllegalStateException("no session to log in"));
        return use(sessions.logIn(old, userId));
    }

    /** Ends the current session and clears the browser's cookie. */
    public void end() {
        find().ifPresent(sessions::end);
        session = null;
        cookieToSend = cookie("").maxAge(0).build();
    }

    /**
     * Refuses a form that does not carry this session's CSRF token: a page of another site can make
     * the browser post here with its cookie, but it cannot read the token.
     */
    public BrowserSession requireForm(String csrfToken) {
        BrowserSession current = find().orElseThrow(CurrentSession::forbidden);
        byte[] expected = current.csrfToken().getBytes(StandardCharsets.US_ASCII);
        byte[] given = csrfToken == null ? new byte[0] : csrfToken.getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            throw forbidden();
        }
        return current;
    }

    NewCookie cookieToSend() {
        return cookieToSend;
    }

    private BrowserSession use(BrowserSessions.Started started) {
        session = started.session();
        looked = true;
        cookieToSend = cookie(started.sessionId()).build();
        return session;
    }

    private NewCookie.Builder cookie(String value) {
        return new NewCookie.Builder(COOKIE_NAME)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(secureCookies)
                .sameSite(NewCookie.SameSite.LAX);
    }

    private static WebApplicationException forbidden() {
        return new FormRefusedException();
    }
}
