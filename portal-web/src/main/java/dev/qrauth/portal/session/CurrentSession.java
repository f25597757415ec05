package dev.qrauth.portal.session;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.portal.web.LocalRedirect;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The session of the browser making the current request. Starting, rotating or ending the session
 * leaves a cookie to send, which {@link SessionCookieFilter} adds to the response.
 */
@RequestScoped
public class CurrentSession {

    static final String COOKIE_NAME = "portal_session";
    /** Under https the cookie is host-only and Secure by name: no sibling domain can plant it. */
    static final String SECURE_COOKIE_NAME = "__Host-portal_session";
    static final String LOGIN_COOKIE_NAME = "portal_login";
    static final String SECURE_LOGIN_COOKIE_NAME = "__Host-portal_login";

    private final BrowserSessions sessions;
    private final HttpServerRequest request;
    private final boolean secureCookies;
    private final String sessionCookie;
    private final String loginCookie;
    private final List<NewCookie> cookiesToSend = new ArrayList<>();
    private BrowserSession session;
    private boolean looked;

    CurrentSession(BrowserSessions sessions, HttpServerRequest request, PortalConfig config) {
        this.sessions = sessions;
        this.request = request;
        this.secureCookies = "https".equalsIgnoreCase(config.publicUrl().getScheme());
        this.sessionCookie = secureCookies ? SECURE_COOKIE_NAME : COOKIE_NAME;
        this.loginCookie = secureCookies ? SECURE_LOGIN_COOKIE_NAME : LOGIN_COOKIE_NAME;
    }

    /** The browser's session, if it has a live one. */
    public Optional<BrowserSession> find() {
        if (!looked) {
            looked = true;
            Cookie cookie = request.getCookie(sessionCookie);
            session = cookie == null ? null : sessions.find(cookie.getValue()).orElse(null);
        }
        return Optional.ofNullable(session);
    }

    /**
     * The secret this browser was given when it started its current login, proving that it is
     * the browser that shows the QR code, not merely one that holds the same session id.
     */
    public Optional<String> loginBinding() {
        return Optional.ofNullable(request.getCookie(loginCookie)).map(Cookie::getValue);
    }

    /** Gives this browser the secret of the login it just started. */
    public void bindLogin(String secret) {
        cookiesToSend.add(cookie(loginCookie, secret).build());
    }

    /**
     * Ends the browser's session, if it has one, and starts a new anonymous one: a new login gets
     * a session id nobody else has seen, so a planted id can neither reach it nor end it.
     */
    public BrowserSession restart() {
        find().ifPresent(sessions::end);
        return use(sessions.start());
    }

    /** The logged-in user's session; anyone else is sent to the login page. */
    public BrowserSession requireLoggedIn() {
        return find().filter(s -> s.userId().isPresent())
                .orElseThrow(() -> new WebApplicationException(LocalRedirect.to("/login")));
    }

    /** Replaces the current session with a new one logged in as {@code userId}. */
    public BrowserSession logIn(String userId) {
        BrowserSession old = find().orElseThrow(() -> new IllegalStateException("no session to log in"));
        cookiesToSend.add(cookie(loginCookie, "").maxAge(0).build());
        return use(sessions.logIn(old, userId));
    }

    /** Ends the current session and clears the browser's cookie. */
    public void end() {
        find().ifPresent(sessions::end);
        session = null;
        cookiesToSend.add(cookie(sessionCookie, "").maxAge(0).build());
        cookiesToSend.add(cookie(loginCookie, "").maxAge(0).build());
    }

    /**
     * Refuses a form that does not carry this session's CSRF token: a page of another site can make
     * the browser post here with its cookie, but it cannot read the token.
     */
    public BrowserSession requireForm(String csrfToken) {
        BrowserSession current = find().orElseThrow(FormRefusedException::new);
        byte[] expected = current.csrfToken().getBytes(StandardCharsets.US_ASCII);
        byte[] given = csrfToken == null ? new byte[0] : csrfToken.getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new FormRefusedException();
        }
        return current;
    }

    List<NewCookie> cookiesToSend() {
        return cookiesToSend;
    }

    private BrowserSession use(BrowserSessions.Started started) {
        session = started.session();
        looked = true;
        cookiesToSend.add(cookie(sessionCookie, started.sessionId()).build());
        return session;
    }

    private NewCookie.Builder cookie(String name, String value) {
        return new NewCookie.Builder(name)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(secureCookies)
                .sameSite(NewCookie.SameSite.LAX);
    }

}
