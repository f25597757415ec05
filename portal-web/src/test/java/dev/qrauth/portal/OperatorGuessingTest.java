package dev.qrauth.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Password guessing on the operator page: after ten wrong passwords, from any address, every
 * request waits, the right password too, so the answer never tells a guesser it was right; the
 * page opens again once the guessing stops. A profile of its own, so no other test shares the
 * count.
 */
@QuarkusTest
@TestProfile(OperatorGuessingTest.OperatorPageOn.class)
class OperatorGuessingTest {

    static final String PASSWORD = "a long operator pass phrase";

    public static final class OperatorPageOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portal.operator.password", PASSWORD);
        }
    }

    @Test
    void afterTenWrongPasswordsEvenTheRightOneWaitsUntilTheGuessingStops() {
        for (int i = 0; i < 10; i++) {
            Response wrong = given().auth().preemptive().basic("operator", "guess " + i).get("/operator/duress");
            assertThat(wrong.statusCode()).as("guess %d", i).isEqualTo(401);
        }

        Response right = operator(PASSWORD);
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(right.header("Retry-After"))).isBetween(1, 6);
        assertThat(right.asString()).doesNotContain("Duress events").contains("Too many attempts");
        Response wrongAgain = operator("another guess");
        assertThat(wrongAgain.statusCode()).as("a guess while waiting is not even checked").isEqualTo(429);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> operator(PASSWORD).statusCode() != 429);
        Response open = operator(PASSWORD);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.asString()).contains("<h1>Duress events</h1>");
    }

    private static Response operator(String password) {
        return given().auth().preemptive().basic("operator", password).get("/operator/duress");
    }
}
