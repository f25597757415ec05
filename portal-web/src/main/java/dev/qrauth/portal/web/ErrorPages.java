package dev.qrauth.portal.web;

import dev.qrauth.portal.challenge.TooManyCodesException;
import dev.qrauth.portal.session.FormRefusedException;
import dev.qrauth.portal.session.TooManySessionsException;
import dev.qrauth.portal.tokenserver.CallbackUriRefusedException;
import dev.qrauth.portalclient.TokenServerException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * What a person sees when something goes wrong: a plain sentence and a way on. Details go to the
 * log, never to the browser, with one exception: a callback URI the token server refuses stops
 * every login until an administrator acts, so its page says, folded away, what to change.
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);
    /** The request property {@link #formRead} sets. */
    private static final String FORM_READ = ErrorPages.class.getName() + ".formRead";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance problem(String title, String explanation, String retryUrl, String adminDetail);
    }

    @ServerExceptionMapper
    public Response tokenServerUnavailable(TokenServerException e, UriInfo uri) {
        LOG.warnf("token server unavailable: %s", e.getMessage());
        Response.ResponseBuilder response = page(Response.Status.SERVICE_UNAVAILABLE,
                "Logging in with your phone is not possible right now",
                "The sign-in service is not available right now. Please try again in a moment.",
                retryUrl(uri));
        e.retryAfter().ifPresent(wait -> response.header("Retry-After", Math.max(1, wait.toSeconds())));
        return response.build();
    }

    @ServerExceptionMapper
    public Response callbackUriRefused(CallbackUriRefusedException e, UriInfo uri) {
        LOG.warn(e.getMessage());
        String detail = "The token server refused the callback URI this portal sends, " + e.callbackUri()
                + " (error 1003: " + e.reason() + "). It must be in the allow-list (callback_uris) of the "
                + "portal's API client exactly as written: add it there, or set portal.public-url so that "
                + "the callback URI is an entry of the list.";
        return page(Response.Status.SERVICE_UNAVAILABLE, "Logging in with your phone is not possible right now",
                "The sign-in service is not set up for this site yet. Please tell the site's administrator.",
                retryUrl(uri), detail).build();
    }

    @ServerExceptionMapper
    public Response tooManyCodes(TooManyCodesException e, UriInfo uri) {
        return page(Response.Status.TOO_MANY_REQUESTS, "Too many new codes",
                "This network asked for many codes in a short time. Please wait a minute, then try again.",
                retryUrl(uri))
                .header("Retry-After", Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)).build();
    }

    @ServerExceptionMapper
    public Response formRefused(FormRefusedException e) {
        return page(Response.Status.FORBIDDEN, "This form has expired",
                "The form did not come from this site, or your session ended. Go back, reload the page and try again.",
                "/").build();
    }

    @ServerExceptionMapper
    public Response tooManySessions(TooManySessionsException e) {
        LOG.warn("refusing a new browser session: the session limit is reached");
        return page(Response.Status.SERVICE_UNAVAILABLE, "The portal is busy",
                "Too many people are visiting right now. Please try again in a minute.", "/")
                .header("Retry-After", 60).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri, ContainerRequestContext request) {
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status < 400 || web.getResponse().hasEntity()) {
                // Redirects, and refusals that already carry their page, stay as they are.
                return web.getResponse();
            }
            if (status < 500) {
                return refusal(status).build();
            }
        }
        if (formUnread(request)) {
            return refusal(400).build();
        }
        LOG.errorf(e, "unexpected failure at %s", uri.getPath());
        return page(Response.Status.INTERNAL_SERVER_ERROR, "Something went wrong",
                "The portal could not finish your request. Please try again.", "/").build();
    }

    /** A page for a refused request (404, 405, 415, ...): what it means in a sentence, and the way home. */
    public static Response.ResponseBuilder refusal(int status) {
        String title = switch (status) {
            case 404 -> "Page not found";
            case 405 -> "This page cannot be used that way";
            case 413 -> "The request is too large";
            case 415, 400 -> "The request could not be read";
            case 429 -> "Too many attempts: wait a minute and try again";
            default -> "The request was refused";
        };
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.problem(title, "Start again from the home page.", "/", null).render());
    }

    /**
     * Marks a request whose form body, if it has one, the framework has read: this filter asks
     * for the body to be read before it runs ({@code readBody}), so it runs only once that
     * succeeded. No code of the portal runs on a request before this point.
     */
    @ServerRequestFilter(readBody = true)
    public void formRead(ContainerRequestContext request) {
        request.setProperty(FORM_READ, Boolean.TRUE);
    }

    /**
     * Whether the request carries a form (urlencoded or multipart) that the framework failed to
     * read: broken percent-encoding, or a multipart body that is not one. That is the client's
     * mistake whatever the framework threw, and the failure came before any code of the portal ran.
     */
    private static boolean formUnread(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        boolean form = type != null && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
        return form && request.getProperty(FORM_READ) == null;
    }

    /** Where "Try again" leads: one of the portal's own pages, never a path taken from the request. */
    private static String retryUrl(UriInfo uri) {
        return uri.getPath().startsWith("/approve") ? "/approve" : "/login";
    }

    private static Response.ResponseBuilder page(Response.Status status, String title, String explanation, String retryUrl) {
        return page(status, title, explanation, retryUrl, null);
    }

    /** A page with, when {@code adminDetail} is not null, a folded section for the site's administrator. */
    private static Response.ResponseBuilder page(Response.Status status, String title, String explanation, String retryUrl,
                                                 String adminDetail) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.problem(title, explanation, retryUrl, adminDetail).render());
    }
}
