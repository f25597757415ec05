package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The browser is told of every change as it happens, over server-sent events. */
@QuarkusTest
class LiveStatusTest {

    @TestHTTPResource("/challenge/login/events")
    URI events;

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();

    @BeforeEach
    void reset() {
        tokenServer.reset();
    }

    @Test
    void eventsFollowTheLoginFromWaitingToConfirmedAndThenEnd() throws Exception {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        Iterator<String> data = open(browser);

        assertThat(next(data)).contains("\"state\":\"waiting\"").contains(tx.otp());

        tx.scanned();
        Callbacks.send(tx.id(), "SCANNED");
        assertThat(next(data)).contains("\"state\":\"scanned\"").contains("\"open\":true");

        tx.confirmedBy("alice");
        Callbacks.send(tx.id(), "CONFIRMED");
        assertThat(next(data)).contains("\"state\":\"confirmed\"").contains("\"open\":false").doesNotContain(tx.otp());

        // A decided challenge ends the stream, so the browser stops listening.
        assertThat(CompletableFuture.supplyAsync(data::hasNext).get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void theStatusEndpointServesBrowsersWithoutEventSource() {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");

        var view = browser.status("login");

        assertThat(view.getString("purpose")).isEqualTo("login");
        assertThat(view.getString("state")).isEqualTo("waiting");
        assertThat(view.getBoolean("open")).isTrue();
        assertThat(view.getString("otp")).isEqualTo(tx.otp());
        assertThat(view.getString("qrUrl")).isEqualTo("/challenge/login/qr.png?v=0");
        assertThat(view.getLong("secondsLeft")).isBetween(100L, 120L);
        assertThat(view.getString("status")).isEqualTo("Scan the code with the app on your phone.");
    }

    @Test
    void endingTheSessionEndsTheStreamAndCancelsTheCode() throws Exception {
        Browser browser = new Browser();
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        Iterator<String> data = open(browser);
        assertThat(next(data)).contains("\"state\":\"waiting\"");

        browser.submit("/logout", Map.of());

        assertThat(next(data)).contains("\"state\":\"cancelled\"").contains("\"open\":false");
        assertThat(CompletableFuture.supplyAsync(data::hasNext).get(10, TimeUnit.SECONDS)).isFalse();
        await().atMost(Flows.WAIT).until(() -> tokenServer.wasCancelled(tx.id()));
    }

    /** The events of this browser's login, as its page receives them. */
    private Iterator<String> open(Browser browser) throws Exception {
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(events).header("Cookie", browser.cookieHeader()).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        return stream.body().filter(line -> line.startsWith("data:")).iterator();
    }

    /** The next event, waiting at most ten seconds for it. */
    private static String next(Iterator<String> data) throws Exception {
        return CompletableFuture.supplyAsync(data::next).get(10, TimeUnit.SECONDS);
    }
}
