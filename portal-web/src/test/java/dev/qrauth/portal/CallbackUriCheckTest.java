package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.testkit.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At start the portal asks the token server whether it accepts the callback URI the portal sends,
 * and says in its log what the token server answered: here, a refusal, which otherwise the first
 * login would be the first to meet.
 */
@QuarkusTest
@TestProfile(CallbackUriCheckTest.Refusing.class)
class CallbackUriCheckTest {

    /** The longest the check may take to ask again: its longest pause, with time to spare. */
    static final Duration WAIT = Duration.ofSeconds(60);

    public static final class Refusing extends CallbackUriCheckOn {
    }

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();
    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @Test
    void aRefusedCallbackUriIsAWarningNamingItTheRefusalAndWhatToDo() {
        tokenServer.allowCallbackUris(CallbackUriRefusalTest.LISTED);
        tokenServer.answerCallbackUriChecks();

        await().atMost(WAIT).untilAsserted(() -> assertThat(checkRecords(logs)).anySatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(CallbackUriRefusalTest.formatted(record))
                    .contains("refused the callback URI " + CallbackUriRefusalTest.SENT)
                    .contains("error 1003: callback_uri is not in this client's allow-list")
                    .contains("allow-list (callback_uris) exactly as written")
                    .contains("portal.public-url");
        }));
        assertThat(checkRecords(logs)).hasSize(1);
        assertThat(tokenServer.transactions()).as("the check starts no transaction").isEmpty();
    }

    /** What the check logged. */
    static java.util.List<LogRecord> checkRecords(LogCapture logs) {
        return logs.records().stream()
                .filter(record -> "dev.qrauth.portal.tokenserver.CallbackUriCheck".equals(record.getLoggerName()))
                .toList();
    }
}
