package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.testkit.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A token server that accepts the callback URI: the portal says so once, at {@code INFO}. */
@QuarkusTest
@TestProfile(CallbackUriAcceptedAtStartTest.Accepting.class)
class CallbackUriAcceptedAtStartTest {

    public static final class Accepting extends CallbackUriCheckOn {
    }

    private final FakeTokenServer tokenServer = FakeTokenServer.instance();
    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @Test
    void anAcceptedCallbackUriIsOneInfoLine() {
        tokenServer.allowCallbackUris(CallbackUriRefusalTest.SENT);
        tokenServer.answerCallbackUriChecks();

        await().atMost(CallbackUriCheckTest.WAIT).until(() -> !CallbackUriCheckTest.checkRecords(logs).isEmpty());
        assertThat(CallbackUriCheckTest.checkRecords(logs)).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.INFO);
            assertThat(CallbackUriRefusalTest.formatted(record))
                    .isEqualTo("the token server accepts the callback URI " + CallbackUriRefusalTest.SENT);
        });
    }
}
