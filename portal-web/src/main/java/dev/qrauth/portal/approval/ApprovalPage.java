package dev.qrauth.portal.approval;

import dev.qrauth.portal.challenge.Challenge;
import dev.qrauth.portal.challenge.ChallengeView;
import dev.qrauth.portal.challenge.Challenges;
import dev.qrauth.portal.challenge.Purpose;
import dev.qrauth.portal.session.BrowserSession;
import dev.qrauth.portal.session.CurrentSession;
import dev.qrauth.portal.web.Browsers;
import dev.qrauth.portal.web.LocalRedirect;
import dev.qrauth.portalclient.TokenServerException;
import dev.qrauth.protocol.text.DisplayText;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import org.jboss.resteasy.reactive.RestForm;

/**
 * A logged-in user asks their phone to approve an action, such as a payment. The approval counts
 * only when the phone that confirms belongs to that same user.
 */
@Path("/approve")
public class ApprovalPage {

    /** The longest action text: what the phone shows at most for a message by default. */
    static final int MAX_ACTION_LENGTH = 155;
    static final String EXAMPLE_ACTION = "Transfer EUR 250 to NL91 ABNA 0417 1643 00";

    private final CurrentSession currentSession;
    private final Challenges challenges;
    private final HttpServerRequest request;
    private final Clock clock;

    ApprovalPage(CurrentSession currentSession, Challenges challenges, HttpServerRequest request, Clock clock) {
        this.currentSession = currentSession;
        this.challenges = challenges;
        this.request = request;
        this.clock = clock;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance approve(String userId, ChallengeView view, String action, String error, String csrf);
    }

    /** The form, and the current approval's QR code or result. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show() {
        BrowserSession session = currentSession.requireLoggedIn();
        ChallengeView view = session.challenge(Purpose.APPROVAL).map(c -> {
            c.seen(clock.instant());
            return c.view(clock.instant());
        }).orElse(null);
        return page(session, view, EXAMPLE_ACTION, null);
    }

    /** Asks the user's phone to approve {@code action}. */
    @POST
    @Produces(MediaType.TEXT_HTML)
    public Response ask(@RestForm String csrf, @RestForm String action) {
        BrowserSession session = currentSession.requireForm(csrf);
        String userId = session.userId().orElseThrow(() -> new WebApplicationException(
                LocalRedirect.to("/login")));
        String text = action == null ? "" : action.strip();
        String error = problem(text);
        if (error != null) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(page(session, null, action == null ? "" : action, error)).build();
        }
        Challenge started;
        try {
            started = challenges.startApproval(text, userId, Browsers.context(request));
        } catch (TokenServerException e) {
            if (e.status() != 400) {
                // Not this action's fault: the error page says what is wrong. (A refused callback
                // URI is not a TokenServerException here and reaches its own page.)
                throw e;
            }
            // The approval type allows less than this form does (a shorter maximum message).
            return Response.status(Response.Status.BAD_REQUEST).entity(page(session, null, action,
                    "The sign-in service refused this request. A shorter description may help.")).build();
        }
        started.seen(clock.instant());
        session.replaceChallenge(started).ifPresent(challenges::abandon);
        return LocalRedirect.to("/approve");
    }

    static String problem(String action) {
        if (action.isEmpty()) {
            return "Describe the action to approve.";
        }
        if (action.length() > MAX_ACTION_LENGTH) {
            return "Keep the description to " + MAX_ACTION_LENGTH + " characters; it has " + action.length() + ".";
        }
        if (!DisplayText.isSingleLine(action)) {
            // The token server refuses these too (docs/PROTOCOL.md, "Text shown to the user").
            return "Write the description on one line, without invisible or direction-changing characters.";
        }
        return null;
    }

    private static TemplateInstance page(BrowserSession session, ChallengeView view, String action, String error) {
        return Templates.approve(session.userId().orElseThrow(), view, action, error, session.csrfToken());
    }
}
