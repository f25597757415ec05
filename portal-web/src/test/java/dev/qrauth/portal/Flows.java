package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.portal.FakeTokenServer.Transaction;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;

/** Steps several tests share. */
final class Flows {

    static final Duration WAIT = Duration.ofSeconds(10);

    private Flows() {
    }

    /** Waits until the browser's challenge for {@code purpose} reaches {@code state}. */
    static void awaitState(Browser browser, String purpose, String state) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(browser.state(purpose)).isEqualTo(state));
    }

    /** Opens the login page and lets {@code userId}'s phone confirm; the page shows "confirmed". */
    static Transaction confirmLogin(Browser browser, FakeTokenServer tokenServer, String userId) {
        browser.get("/login");
        Transaction tx = tokenServer.of(browser, "login");
        tx.confirmedBy(userId);
        assertThat(Callbacks.send(tx.id(), "CONFIRMED").statusCode()).isEqualTo(204);
        awaitState(browser, "login", "confirmed");
        return tx;
    }

    /** Opens the login page, lets {@code userId}'s phone confirm, and completes the login. */
    static Transaction logIn(Browser browser, FakeTokenServer tokenServer, String userId) {
        Transaction tx = confirmLogin(browser, tokenServer, userId);
        Response done = browser.submit("/login/complete", Map.of());
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.header("Location")).endsWith("/account");
        return tx;
    }
}
