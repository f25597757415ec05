package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.testkit.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A token server that never answers: the check gives up after
 * {@code portal.callback-uri-check.give-up-after} with one warning, and stops asking.
 */
@QuarkusTest
@TestProfile(CallbackUriCheckGiveUpTest.NeverAnswered.class)
class CallbackUriCheckGiveUpTest {

    /** Long enough that the test watches the log before the check gives up, even on a busy machine. */
    static final Duration GIVE_UP_AFTER = Duration.ofSeconds(8);

    public static final class NeverAnswered extends CallbackUriCheckOn {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("portal.callback-uri-check.give-up-after", GIVE_UP_AFTER.toSeconds() + "s");
            return overrides;
        }
    }

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();
    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @Test
    void aTokenServerThatNeverAnswersIsOneWarningAfterTheConfiguredTime() {
        await().atMost(CallbackUriCheckTest.WAIT).until(() -> !CallbackUriCheckTest.checkRecords(logs).isEmpty());

        assertThat(CallbackUriCheckTest.checkRecords(logs)).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(CallbackUriRefusalTest.formatted(record))
                    .contains("gave up after " + GIVE_UP_AFTER.toSeconds() + " s")
                    .contains("portal.callback-uri-check.give-up-after")
                    .contains("callback URI " + CallbackUriRefusalTest.SENT)
                    .contains("the first login will show it");
        });
        assertThat(tokenServer.callbackUriChecks()).as("it asked more than once").isGreaterThan(1);
    }
}
