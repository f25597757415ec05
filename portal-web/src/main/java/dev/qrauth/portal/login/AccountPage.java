package dev.qrauth.portal.login;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.portal.challenge.Challenge;
import dev.qrauth.portal.challenge.ChallengeState;
import dev.qrauth.portal.challenge.Purpose;
import dev.qrauth.portal.session.BrowserSession;
import dev.qrauth.portal.session.CurrentSession;
import dev.qrauth.portal.web.LocalRedirect;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.jboss.resteasy.reactive.RestForm;

/** The logged-in user's page (with the action the phone last approved), and logging out. */
@Path("/")
public class AccountPage {

    private static final DateTimeFormatter LOGIN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private final CurrentSession currentSession;
    private final PortalConfig config;

    AccountPage(CurrentSession currentSession, PortalConfig config) {
        this.currentSession = currentSession;
        this.config = config;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(String userId, String loginTime, String loginTimeIso,
                                               String approvedAction, boolean fourEyes, String csrf);
    }

    @GET
    @Path("/account")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance account() {
        BrowserSession session = currentSession.requireLoggedIn();
        var loginTime = session.createdAt().truncatedTo(ChronoUnit.SECONDS);
        // The approval page comes here once the phone approved; the action is shown until the next one.
        String approvedAction = session.challenge(Purpose.APPROVAL)
                .filter(c -> c.state() == ChallengeState.CONFIRMED)
                .map(Challenge::message)
                .orElse(null);
        return Templates.account(session.userId().orElseThrow(),
                LOGIN_TIME.format(loginTime.atOffset(ZoneOffset.UTC)), loginTime.toString(), approvedAction,
                // Offered only where a group of approvers is configured.
                config.fourEyesApprovers().isPresent(), session.csrfToken());
    }

    @POST
    @Path("/logout")
    public Response logout(@RestForm String csrf) {
        currentSession.requireForm(csrf);
        currentSession.end();
        return LocalRedirect.to("/");
    }
}
