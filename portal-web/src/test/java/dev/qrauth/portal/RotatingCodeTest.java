package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import dev.qrauth.testkit.LogCapture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rotating codes on the page (docs/PROTOCOL.md, "Reference portal"): while a browser watches a
 * challenge whose type rotates, the portal asks the token server for the frame every period and
 * streams the new QR code and text; a code that does not rotate is never asked about.
 */
@QuarkusTest
class RotatingCodeTest {

    private static final int PERIOD = 2;

    @TestHTTPResource("/challenge/login/events")
    URI events;

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();
    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void aWatchedRotatingCodeStreamsANewFrameEachPeriod() throws Exception {
        tokenServer.rotating("login", PERIOD);
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        byte[] firstImage = browser.get("/challenge/login/qr.png").asByteArray();
        Iterator<String> data = open(browser);

        String first = next(data);
        assertThat(first).contains("\"state\":\"waiting\"").contains(tx.otps().get(0)).contains("qr.png?v=0\"");
        assertThat(tx.shortCode()).isNull();

        String second = next(data);
        assertThat(tx.otps()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(second).contains("\"state\":\"waiting\"").contains(tx.otps().get(1)).contains("qr.png?v=0.1\"")
                .doesNotContain(tx.otps().get(0));
        assertThat(browser.get("/challenge/login/qr.png").asByteArray()).isNotEqualTo(firstImage);

        String third = next(data);
        assertThat(third).contains(tx.otps().get(2)).contains("qr.png?v=0.2\"");
        assertThat(browser.status("login").getString("otp")).isEqualTo(tx.otps().get(2));
    }

    @Test
    void aScannedCodeIsNoLongerRotated() throws Exception {
        tokenServer.rotating("login", PERIOD);
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        Iterator<String> data = open(browser);
        assertThat(next(data)).contains("\"state\":\"waiting\"");

        tx.scanned();
        Callbacks.send(tx.id(), "SCANNED");
        String scanned = next(data);
        while (!scanned.contains("\"state\":\"scanned\"")) {
            // A frame may have been streamed just before the callback.
            scanned = next(data);
        }

        int asked = tx.frameCalls();
        await().during(Duration.ofSeconds(PERIOD + 1)).atMost(Duration.ofSeconds(PERIOD + 5))
                .until(() -> tx.frameCalls() == asked);
    }

    @Test
    void aCodeThatDoesNotRotateIsNeverAskedAbout() throws Exception {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        Iterator<String> data = open(browser);
        assertThat(next(data)).contains("\"state\":\"waiting\"").contains(tx.otp());

        await().during(Duration.ofSeconds(PERIOD + 1)).atMost(Duration.ofSeconds(PERIOD + 5))
                .until(() -> tx.frameCalls() == 0);
        // The scheduler looked at this challenge every second meanwhile, and had nothing to report.
        assertThat(logs.records().stream().filter(record -> record.getLevel().intValue() >= Level.WARNING.intValue())
                .map(record -> record.getLoggerName() + ": " + record.getMessage()))
                .as("warnings and errors while the code was watched").isEmpty();
        assertThat(browser.status("login").getString("otp")).isEqualTo(tx.otp());
        assertThat(browser.status("login").getString("qrUrl")).isEqualTo("/challenge/login/qr.png?v=0");
    }

    /** The events of this browser's login, as its page receives them. */
    private Iterator<String> open(Browser browser) throws Exception {
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(events).header("Cookie", browser.cookieHeader()).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        return stream.body().filter(line -> line.startsWith("data:")).iterator();
    }

    /** The next event, waiting at most ten seconds for it. */
    private static String next(Iterator<String> data) throws Exception {
        return CompletableFuture.supplyAsync(data::next).get(10, TimeUnit.SECONDS);
    }
}
