package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.testkit.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A token server that starts later than the portal (as {@code bin/demo} starts both at once): the
 * check asks again until it gets an answer, which it then logs.
 */
@QuarkusTest
@TestProfile(CallbackUriCheckRetryTest.Late.class)
class CallbackUriCheckRetryTest {

    public static final class Late extends CallbackUriCheckOn {
    }

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();
    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @Test
    void anAnswerAfterAFewFailedAttemptsIsStillLogged() {
        await().atMost(CallbackUriCheckTest.WAIT).until(() -> tokenServer.callbackUriChecks() >= 3);
        assertThat(CallbackUriCheckTest.checkRecords(logs)).as("nothing logged while it cannot tell").isEmpty();

        tokenServer.answerCallbackUriChecks();

        await().atMost(CallbackUriCheckTest.WAIT).until(() -> !CallbackUriCheckTest.checkRecords(logs).isEmpty());
        assertThat(CallbackUriCheckTest.checkRecords(logs)).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.INFO);
            assertThat(CallbackUriRefusalTest.formatted(record))
                    .isEqualTo("the token server accepts the callback URI " + CallbackUriRefusalTest.SENT);
        });
    }
}
