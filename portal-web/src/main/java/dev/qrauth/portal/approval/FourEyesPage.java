package dev.qrauth.portal.approval;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.portal.challenge.Challenge;
import dev.qrauth.portal.challenge.ChallengeView;
import dev.qrauth.portal.challenge.Challenges;
import dev.qrauth.portal.challenge.Purpose;
import dev.qrauth.portal.session.BrowserSession;
import dev.qrauth.portal.session.CurrentSession;
import dev.qrauth.portal.web.Browsers;
import dev.qrauth.portal.web.LocalRedirect;
import dev.qrauth.portalclient.TokenServerException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/**
 * A logged-in user asks for an action that needs two (or more) approvers: the phones of the
 * configured group ({@code portal.four-eyes-approvers}) approve it, each scanning the same code,
 * and the page shows who approved so far ({@code docs/PROTOCOL.md}, "Four-eyes approval").
 * Without a configured group the page does not exist.
 */
@Path("/four-eyes")
public class FourEyesPage {

    static final String EXAMPLE_ACTION = "Transfer EUR 25,000 to NL91 ABNA 0417 1643 00";

    private final CurrentSession currentSession;
    private final Challenges challenges;
    private final HttpServerRequest request;
    private final Clock clock;
    private final PortalConfig config;

    FourEyesPage(CurrentSession currentSession, Challenges challenges, HttpServerRequest request, Clock clock,
                 PortalConfig config) {
        this.currentSession = currentSession;
        this.challenges = challenges;
        this.request = request;
        this.clock = clock;
        this.config = config;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance fourEyes(String userId, List<String> approvers, ChallengeView view,
                                                String action, String error, String csrf);
    }

    /** The form, and the current four-eyes approval's QR code, progress or result. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show() {
        List<String> approvers = approvers();
        BrowserSession session = currentSession.requireLoggedIn();
        ChallengeView view = session.challenge(Purpose.FOUR_EYES).map(c -> {
            c.seen(clock.instant());
            return c.view(clock.instant());
        }).orElse(null);
        return page(session, approvers, view, EXAMPLE_ACTION, null);
    }

    /** Asks the group's phones to approve {@code action}. */
    @POST
    @Produces(MediaType.TEXT_HTML)
    public Response ask(@RestForm String csrf, @RestForm String action) {
        List<String> approvers = approvers();
        BrowserSession session = currentSession.requireForm(csrf);
        if (session.userId().isEmpty()) {
            return LocalRedirect.to("/login");
        }
        String text = action == null ? "" : action.strip();
        String error = ApprovalPage.problem(text);
        if (error != null) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(page(session, approvers, null, action == null ? "" : action, error)).build();
        }
        Challenge started;
        try {
            started = challenges.startFourEyes(text, Browsers.context(request));
        } catch (TokenServerException e) {
            if (e.status() != 400) {
                throw e;
            }
            // The type or the group does not fit (docs/PROTOCOL.md, "Four-eyes approval"), or the
            // description is longer than the type allows.
            return Response.status(Response.Status.BAD_REQUEST).entity(page(session, approvers, null, action,
                    "The sign-in service refused this request: " + e.getMessage())).build();
        }
        started.seen(clock.instant());
        session.replaceChallenge(started).ifPresent(challenges::abandon);
        return LocalRedirect.to("/four-eyes");
    }

    private List<String> approvers() {
        return config.fourEyesApprovers().orElseThrow(NotFoundException::new);
    }

    private static TemplateInstance page(BrowserSession session, List<String> approvers, ChallengeView view,
                                         String action, String error) {
        return Templates.fourEyes(session.userId().orElseThrow(), approvers, view, action, error,
                session.csrfToken());
    }
}
