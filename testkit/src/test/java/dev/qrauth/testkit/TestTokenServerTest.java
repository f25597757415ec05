package dev.qrauth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plain API, for suites on other test frameworks, and what it says when a test misuses it. */
class TestTokenServerTest {

    static TestTokenServer server;

    @BeforeAll
    static void start() {
        server = TestTokenServer.builder()
                .type(AuthType.of("sign-in", 60))
                .type(AuthType.of("payment", 60).withNumberMatching())
                .answerTimeout(Duration.ofSeconds(2))
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theServerIsSeededWithTheTypesAskedForAndAClient() {
        PortalCalls portal = new PortalCalls(server);
        VirtualPhone phone = server.newPhone().enroll("seeded-user");

        assertThat(server.types()).extracting(AuthType::name).containsExactly("sign-in", "payment");
        assertThat(phone.approve((String) portal.start("sign-in").get("otp")).requiresNumberMatching()).isFalse();
        assertThat(phone.approve((String) portal.start("payment").get("otp")).requiresNumberMatching()).isTrue();
        assertThat(server.clientId()).isNotBlank();
        assertThat(server.clientSecret()).isNotBlank();
        assertThat(server.callbackSigningSecret()).isNotBlank();
        assertThat(server.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(server.directUrl().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void approveNextWithNothingStartedSaysSoWithinTheTimeout() {
        VirtualPhone phone = server.newPhone().enroll("waiting-user");

        assertThatThrownBy(() -> phone.approveNext("waiting-user"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No login or approval was started")
                .hasMessageContaining("TestTokenServer.url()");
    }

    @Test
    void aPhoneWithoutTheUserSaysWhatToDo() {
        VirtualPhone phone = server.newPhone();

        assertThatThrownBy(() -> phone.approve("anything")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("enroll(userId)");
        assertThatThrownBy(() -> phone.approveNext("nobody")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nobody is not enrolled on this phone");
    }

    @Test
    void aMissingJarIsNamedWithHowToBuildIt() {
        assertThatThrownBy(() -> TestTokenServer.builder().jar(Path.of("no/such/quarkus-run.jar")).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no/such/quarkus-run.jar");
    }

    @Test
    void closingStopsTheServer() throws Exception {
        TestTokenServer other = TestTokenServer.builder().start();
        URI health = other.directUrl().resolve("/q/health/live");
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);

        other.close();

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding())).isInstanceOf(java.io.IOException.class);
    }
}
