package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.DirectoryStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The duress PIN across the real jars: a phone (the SDK) registered with a duress PIN logs in
 * with it and approves a login at the real portal. The browser is logged in as usual and told
 * nothing; the portal's operator page lists the answer.
 */
class DuressEndToEndTest {

    static final String DURESS_PIN = "13579";
    static final String OPERATOR_PASSWORD = "e2e operator password";
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern OTP = Pattern.compile("<code id=\"otp-text\" class=\"otp\">([^<]+)</code>");

    static LoginSystem system;
    static PortalProcess portal;

    @BeforeAll
    static void start() {
        system = LoginSystem.start();
        portal = system.anotherPortal("login", Map.of("portal.operator.password", OPERATOR_PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aLoginWithTheDuressPinLogsTheBrowserInAndIsListedForTheOperator() throws Exception {
        String[] user = system.newUser();
        try (UserClient phone = UserClient.builder().serverUri(system.tokenServer.uri)
                .store(new DirectoryStore(LoginSystem.tempDir("qrauth-e2e-duress-phone"))).deviceName("e2e phone").build()) {
            logInUnderDuress(phone, user);
        }
    }

    private void logInUnderDuress(UserClient phone, String[] user) throws Exception {
        UserProfile profile = phone.registerUser(user[0], user[1], LoginSystem.PIN, DURESS_PIN);
        phone.authenticateUser(profile, DURESS_PIN);
        phone.enrollForMobileAuth();
        RelayDefencesEndToEndTest.Browser browser = new RelayDefencesEndToEndTest.Browser(portal.uri);

        String page = browser.get("/login").body();
        String csrf = find(CSRF, page);
        assertThat(Outcome.confirm(phone, find(OTP, page).trim())).isEqualTo("CONFIRMED");
        String confirmed = awaitState(browser, "confirmed");

        HttpResponse<String> done = browser.post("/login/complete", Map.of("csrf", csrf));
        assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("/account");
        String account = browser.get("/account").body();
        assertThat(account).contains(user[0]);
        assertThat(page + confirmed + account).doesNotContainIgnoringCase("duress");

        HttpClient operator = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = operator.send(HttpRequest.newBuilder(portal.uri.resolve("/operator/duress")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpRequest listing = HttpRequest.newBuilder(portal.uri.resolve("/operator/duress"))
                .header("Authorization", new BasicCredentials("operator", OPERATOR_PASSWORD).header()).build();
        // The portal notes the event just after the login is decided: the browser may be a moment earlier.
        Instant deadline = Instant.now().plus(WAIT);
        HttpResponse<String> events;
        do {
            events = operator.send(listing, HttpResponse.BodyHandlers.ofString());
            assertThat(events.statusCode()).isEqualTo(200);
        } while (!events.body().contains("<td>" + user[0] + "</td>") && Instant.now().isBefore(deadline));
        assertThat(events.body()).contains("<td>login</td>", "<td>" + user[0] + "</td>", "<td>logged in</td>");
        assertThat(portal.logLines("answered under duress")).contains("user " + user[0]);
    }

    /** Polls the portal's status until the login reaches {@code state}; the last view. */
    private static String awaitState(RelayDefencesEndToEndTest.Browser browser, String state) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = browser.get("/challenge/login/status").body();
            if (last.contains("\"state\":\"" + state + "\"")) {
                return last;
            }
        }
        throw new AssertionError("the login did not reach " + state + " within " + WAIT + "; last view: " + last);
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }
}
