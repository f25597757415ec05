package dev.qrauth.portal.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.portal.challenge.ChallengeView;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The countdown under the QR code agrees with its number ("1 more second", "2 more seconds"), and
 * the page gives {@code /portal.js} both words, so the count it updates every second agrees too.
 */
@QuarkusTest
class CountdownWordingTest {

    @ParameterizedTest
    @CsvSource({"120, seconds", "2, seconds", "1, second", "0, seconds"})
    void theCountdownSaysSecondOrSecondsAsTheNumberNeeds(long secondsLeft, String word) {
        String page = LoginPage.Templates.login(openView(secondsLeft), "csrf-token").render()
                .replaceAll("\\s+", " ");

        assertThat(page).contains("The code is valid for <span id=\"countdown\">" + secondsLeft + "</span> more "
                + "<span id=\"countdown-unit\" data-one=\"second\" data-other=\"seconds\">" + word + "</span>.");
    }

    private static ChallengeView openView(long secondsLeft) {
        return new ChallengeView("login", "waiting", true, "Scan the code with the app on your phone.",
                "otp-text", "/challenge/login/qr.png?v=0", null, secondsLeft,
                "Log in to your account from the browser shown below.", false, null, null);
    }
}
