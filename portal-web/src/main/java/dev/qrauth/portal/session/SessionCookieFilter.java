package dev.qrauth.portal.session;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Sends the session cookie a request started, rotated or cleared; pages are never cached. */
public class SessionCookieFilter {

    private final CurrentSession currentSession;

    SessionCookieFilter(CurrentSession currentSession) {
        this.currentSession = currentSession;
    }

    @ServerResponseFilter
    public void addCookie(ContainerResponseContext response) {
        currentSession.cookiesToSend().forEach(cookie -> response.getHeaders().add(HttpHeaders.SET_COOKIE, cookie));
        // Every dynamic answer belongs to one browser session.
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
