package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.message.Proximity;
import dev.qrauth.sdk.Authenticator;
import dev.qrauth.sdk.MobileAuthConfirmation;
import dev.qrauth.sdk.MobileAuthInfo;
import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.sdk.MobileAuthRequestDelegate;
import dev.qrauth.sdk.SdkException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reverse code entry and the proximity check across the real jars: the token server and a portal
 * whose login type warns about proximity and asks for the phone's code, a phone played by the SDK,
 * and a browser without JavaScript played by plain HTTP with the portal's cookies and forms.
 */
class RelayDefencesEndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern OTP = Pattern.compile("<code id=\"otp-text\" class=\"otp\">([^<]+)</code>");

    static LoginSystem system;
    static PortalProcess portal;

    @BeforeAll
    static void start() {
        system = LoginSystem.start();
        system.tokenServer.admin().createType(MobileAuthTypeView.otp("coded-login", 120).withProximity("warn")
                .withReverseCode(true));
        portal = system.anotherPortal("coded-login");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void thePhonesCodeTypedIntoTheBrowserCompletesTheLogin() throws Exception {
        String[] user = system.newUser();
        LoginSystem.Phone phone = system.phone(LoginSystem.tempDir("qrauth-e2e-relay-phone"), user[0], user[1]);
        Browser browser = new Browser(portal.uri);

        String page = browser.get("/login").body();
        String csrf = find(CSRF, page);
        String otp = find(OTP, page).trim();

        AtomicReference<MobileAuthRequest> shown = new AtomicReference<>();
        MobileAuthInfo info = approve(phone, otp, shown);
        // Browser and phone are both on this machine: the same address.
        assertThat(shown.get().proximity()).isEqualTo(Proximity.SAME_ADDRESS);
        assertThat(info.requiresReverseCode()).isTrue();
        assertThat(info.status().name()).isEqualTo("SCANNED");

        awaitState(browser, "code_needed");
        // Approved on the phone is not logged in: the code is still missing.
        assertThat(browser.post("/login/complete", Map.of("csrf", csrf)).headers().firstValue("Location").orElseThrow())
                .endsWith("/login");

        HttpResponse<String> submitted = browser.post("/challenge/login/reverse-code",
                Map.of("csrf", csrf, "code", info.reverseCodeForDisplay()));
        assertThat(submitted.statusCode()).isEqualTo(303);
        awaitState(browser, "confirmed");

        HttpResponse<String> done = browser.post("/login/complete", Map.of("csrf", csrf));
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("/account");
        assertThat(browser.get("/account").body()).contains(user[0]);
    }

    private static MobileAuthInfo approve(LoginSystem.Phone phone, String otp, AtomicReference<MobileAuthRequest> shown)
            throws Exception {
        CompletableFuture<MobileAuthInfo> handled = new CompletableFuture<>();
        phone.client().handleOtpMobileAuthRequest(otp, new MobileAuthRequestDelegate() {
            @Override
            public void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation) {
                shown.set(request);
                confirmation.confirm();
            }

            @Override
            public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                   MobileAuthInfo info) {
                handled.complete(info);
            }

            @Override
            public void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                         SdkException error) {
                handled.completeExceptionally(error);
            }
        });
        return handled.get(30, TimeUnit.SECONDS);
    }

    private static void awaitState(Browser browser, String state) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String last = null;
        // Polls the portal's status, as its page does without server-sent events; the callback
        // that moves the challenge on follows the phone's answer within milliseconds.
        while (Instant.now().isBefore(deadline)) {
            last = browser.get("/challenge/login/status").body();
            if (last.contains("\"state\":\"" + state + "\"")) {
                return;
            }
        }
        throw new AssertionError("the challenge did not reach " + state + " within " + WAIT + "; last view: " + last);
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }

    /** A browser without JavaScript: keeps the portal's cookies, follows no redirect. */
    static final class Browser {
        private final URI base;
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        Browser(URI base) {
            this.base = base;
        }

        HttpResponse<String> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            String body = form.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                String pair = header.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return response;
        }
    }
}
