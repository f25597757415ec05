package dev.qrauth.portal;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * A portal that checks its callback URI at start, against a fake token server that leaves the
 * check unanswered until the test has set it up ({@link FakeTokenServer#answerCallbackUriChecks()}):
 * so the answer comes while the test watches the log. The check runs once per start, so each test
 * class of it has a profile class of its own (a subclass of this one), and with it a start of its own.
 */
public class CallbackUriCheckOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("portal.callback-uri-check.enabled", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeTokenServer.class, Map.of(FakeTokenServer.UNANSWERED_CHECKS, "true")));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
