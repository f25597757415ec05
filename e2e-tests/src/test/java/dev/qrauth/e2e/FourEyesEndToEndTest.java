package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.message.Approvals;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Four-eyes approval across the real jars ({@code docs/PROTOCOL.md}, "Four-eyes approval"): a user
 * logged in at the real portal asks for an action that needs two approvers; two other users'
 * phones (the SDK) scan the same code, the second one sees that the first approved, and the
 * portal's page shows the progress and then both approvers.
 */
class FourEyesEndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern OTP = Pattern.compile("<code id=\"otp-text\" class=\"otp\">([^<]+)</code>");

    static LoginSystem system;
    static PortalProcess portal;
    static LoginSystem.Phone alice;
    static LoginSystem.Phone bob;
    static LoginSystem.Phone carol;

    @BeforeAll
    static void start() {
        system = LoginSystem.start();
        String type = "four-eyes-" + UUID.randomUUID().toString().substring(0, 8);
        system.tokenServer.admin().createType(MobileAuthTypeView.otp(type, 120).withRequiredApprovals(2, List.of()));
        alice = phone("alice");
        bob = phone("bob");
        carol = phone("carol");
        portal = system.anotherPortal("login", Map.of("portal.four-eyes-type", type,
                "portal.four-eyes-approvers", bob.userId() + "," + carol.userId()));
    }

    private static LoginSystem.Phone phone(String name) {
        String[] user = system.newUser();
        return system.phone(LoginSystem.tempDir("qrauth-e2e-four-eyes-" + name), user[0], user[1]);
    }

    @AfterAll
    static void stop() throws Exception {
        for (LoginSystem.Phone phone : new LoginSystem.Phone[] {alice, bob, carol}) {
            if (phone != null) {
                phone.client().close();
            }
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void twoPhonesApproveAnActionAskedAtThePortalAndThePageNamesThem() throws Exception {
        RelayDefencesEndToEndTest.Browser browser = new RelayDefencesEndToEndTest.Browser(portal.uri);
        String login = browser.get("/login").body();
        assertThat(Outcome.confirm(alice.client(), find(OTP, login).trim())).isEqualTo("CONFIRMED");
        awaitStatus(browser, "login", "\"state\":\"confirmed\"");
        browser.post("/login/complete", Map.of("csrf", find(CSRF, login)));
        assertThat(browser.get("/account").body()).contains("href=\"/four-eyes\">Needs two approvers</a>");

        String form = browser.get("/four-eyes").body();
        HttpResponse<String> asked = browser.post("/four-eyes", Map.of("csrf", find(CSRF, form),
                "action", "Transfer EUR 25,000 to NL91 ABNA 0417 1643 00"));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(303);
        String otp = find(OTP, browser.get("/four-eyes").body()).trim();

        AtomicReference<Approvals> bobSaw = new AtomicReference<>();
        assertThat(Outcome.handle(bob.client(), otp, (request, answer) -> {
            bobSaw.set(request.approvals());
            answer.confirm();
        })).isEqualTo("SCANNED");
        assertThat(bobSaw.get().approvedBy()).isEmpty();
        awaitStatus(browser, "four-eyes", "Approved so far: " + bob.userId() + " (1 of 2)");

        // The portal's own user is not in the group: the server tells its phone nothing.
        assertThat(Outcome.confirm(alice.client(), otp)).isEqualTo("NOT_FOUND");

        AtomicReference<Approvals> carolSaw = new AtomicReference<>();
        assertThat(Outcome.handle(carol.client(), otp, (request, answer) -> {
            carolSaw.set(request.approvals());
            answer.confirm();
        })).isEqualTo("CONFIRMED");
        assertThat(carolSaw.get().approvedBy()).containsExactly(bob.userId());
        assertThat(carolSaw.get().required()).isEqualTo(2);

        String done = awaitStatus(browser, "four-eyes", "\"state\":\"confirmed\"");
        assertThat(done).contains("Approved by " + bob.userId() + ", " + carol.userId() + ".");
    }

    /** Polls the challenge's status until it holds {@code text}; the last view. */
    private static String awaitStatus(RelayDefencesEndToEndTest.Browser browser, String purpose, String text)
            throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = browser.get("/challenge/" + purpose + "/status").body();
            if (last.contains(text)) {
                return last;
            }
        }
        throw new AssertionError(purpose + " did not show " + text + " within " + WAIT + "; last view: " + last);
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }
}
