package dev.qrauth.portal.login;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.portal.challenge.Challenge;
import dev.qrauth.portal.challenge.ChallengeState;
import dev.qrauth.portal.challenge.Purpose;
import dev.qrauth.portal.session.BrowserSession;
import dev.qrauth.portal.session.CurrentSession;
import dev.qrauth.portal.web.LocalRedirect;
import dev.qrauth.portalclient.PortalClient;
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
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The logged-in user's page (with the action the phone last approved, and the receipts of the
 * login and that approval), and logging out.
 */
@Path("/")
public class AccountPage {

    private static final DateTimeFormatter LOGIN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private static final Logger LOG = Logger.getLogger(AccountPage.class);

    private final CurrentSession currentSession;
    private final PortalConfig config;
    private final PortalClient tokenServer;

    AccountPage(CurrentSession currentSession, PortalConfig config, PortalClient tokenServer) {
        this.currentSession = currentSession;
        this.config = config;
        this.tokenServer = tokenServer;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(String userId, String loginTime, String loginTimeIso,
                                               String approvedAction, boolean fourEyes, List<ReceiptView> receipts,
                                               String csrf);
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
                config.fourEyesApprovers().isPresent(), receipts(session), session.csrfToken());
    }

    /**
     * The receipts of this session's login and of the action last approved, read from the token
     * server ({@code docs/PROTOCOL.md}, "Receipts"). A receipt that cannot be read is left out:
     * the page is about the account, and the log says why.
     */
    private List<ReceiptView> receipts(BrowserSession session) {
        List<ReceiptView> receipts = new ArrayList<>();
        session.loginTransactionId().ifPresent(id -> receipt("Receipt of this login", id).ifPresent(receipts::add));
        session.challenge(Purpose.APPROVAL).filter(c -> c.state() == ChallengeState.CONFIRMED)
                .flatMap(c -> receipt("Receipt of the approved action", c.transactionId())).ifPresent(receipts::add);
        return receipts;
    }

    private java.util.Optional<ReceiptView> receipt(String heading, java.util.UUID transactionId) {
        try {
            return ReceiptView.of(heading, tokenServer.receipt(transactionId));
        } catch (RuntimeException e) {
            LOG.debugf("no receipt of transaction %s: %s", transactionId, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    @POST
    @Path("/logout")
    public Response logout(@RestForm String csrf) {
        currentSession.requireForm(csrf);
        currentSession.end();
        return LocalRedirect.to("/");
    }
}
