package dev.qrauth.portal.login;

import dev.qrauth.portal.challenge.Challenge;
import dev.qrauth.portal.challenge.ChallengeState;
import dev.qrauth.portal.challenge.ChallengeView;
import dev.qrauth.portal.challenge.Challenges;
import dev.qrauth.portal.challenge.Purpose;
import dev.qrauth.portal.session.BrowserSession;
import dev.qrauth.portal.session.CurrentSession;
import dev.qrauth.portal.web.Browsers;
import dev.qrauth.portal.web.LocalRedirect;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The QR login page. Opening it starts a login at once; the page follows it live and, when the
 * phone confirms, posts {@code /login/complete}, which logs this browser in under a new session id.
 */
@Path("/login")
public class LoginPage {

    private final CurrentSession currentSession;
    private final Challenges challenges;
    private final HttpServerRequest request;
    private final Clock clock;

    LoginPage(CurrentSession currentSession, Challenges challenges, HttpServerRequest request, Clock clock) {
        this.currentSession = currentSession;
        this.challenges = challenges;
        this.request = request;
        this.clock = clock;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(ChallengeView view, String csrf);
    }

    /**
     * Shows the QR code. A reload keeps a code that can still be answered (or a confirmed login
     * not completed yet), but only in the browser that started it; a decided or expired one is
     * replaced. A new login comes with a new session, created only once the token server has
     * issued a code: whoever planted the session id this browser arrived with (and so knows its
     * form token) can neither replace this login nor end it by logging that session out.
     */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response show() {
        Optional<BrowserSession> existing = currentSession.find();
        if (existing.flatMap(BrowserSession::userId).isPresent()) {
            return LocalRedirect.to("/account");
        }
        Optional<String> binding = currentSession.loginBinding();
        Optional<Challenge> current = existing.flatMap(s -> s.challenge(Purpose.LOGIN))
                .filter(c -> c.state().isOpen() || c.state() == ChallengeState.CONFIRMED)
                .filter(c -> binding.map(c::isBoundTo).orElse(false));
        BrowserSession session;
        Challenge challenge;
        if (current.isPresent()) {
            session = existing.orElseThrow();
            challenge = current.get();
        } else {
            challenge = challenges.startLogin(Browsers.context(request));
            try {
                session = currentSession.restart();
            } catch (RuntimeException e) {
                challenges.abandon(challenge);
                throw e;
            }
            session.replaceChallenge(challenge);
            currentSession.bindLogin(challenge.bindingSecret());
        }
        challenge.seen(clock.instant());
        return Response.ok(Templates.login(challenge.view(clock.instant()), session.csrfToken())).build();
    }

    /**
     * Logs the browser in once its own login was confirmed: the form must carry the session's
     * CSRF token and the browser the login's own secret. Otherwise back to the QR code.
     */
    @POST
    @Path("/complete")
    @Produces(MediaType.TEXT_HTML)
    public Response complete(@RestForm String csrf) {
        BrowserSession session = currentSession.requireForm(csrf);
        Optional<String> binding = currentSession.loginBinding();
        return session.challenge(Purpose.LOGIN)
                .filter(c -> binding.map(c::isBoundTo).orElse(false))
                .flatMap(challenge -> challenge.confirmedUser().map(userId -> {
                    currentSession.logIn(userId).loginTransactionId(challenge.transactionId());
                    return LocalRedirect.to("/account");
                }))
                .orElseGet(() -> LocalRedirect.to("/login"));
    }
}
