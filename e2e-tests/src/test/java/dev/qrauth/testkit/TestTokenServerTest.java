package dev.qrauth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrauth.adminclient.AdminRefusedException;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.UserView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    void theAdminApiSeesWhatThePhonesDidAndRefusesWhatDoesNotExist() {
        server.newPhone().enroll("admin-seen-user");

        UserView user = server.admin().user("admin-seen-user");

        assertThat(user.devices()).singleElement().satisfies(device -> assertThat(device.mobileAuthEnrolled()).isTrue());
        assertThat(server.admin().types()).extracting(MobileAuthTypeView::name).containsExactly("payment", "sign-in");
        AdminRefusedException refusal = catchThrowableOfType(AdminRefusedException.class,
                () -> server.admin().user("nobody-at-all"));
        assertThat(refusal.status()).isEqualTo(404);
        assertThat(refusal.error()).contains("not_found");
    }

    /** Any user of the machine reads a process's command line (ps); only its owner reads its environment. */
    @Test
    void theServersSecretsAreInItsEnvironmentAndNotOnItsCommandLine() throws Exception {
        ProcessHandle process = server.serverProcess();
        Path environ = Path.of("/proc", String.valueOf(process.pid()), "environ");
        assumeTrue(Files.isReadable(environ), "reads the server's environment from /proc (Linux)");
        Map<String, String> environment = new HashMap<>();
        for (String entry : new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                environment.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        List<String> arguments = List.of(process.info().arguments().orElseThrow());

        // The server took the password from there: seeding the types and the client needed it.
        String adminPassword = environment.get("TOKENSERVER_ADMIN_PASSWORD");
        String masterKey = environment.get("TOKENSERVER_MASTER_KEY");
        assertThat(adminPassword).isNotBlank();
        assertThat(Base64.getDecoder().decode(masterKey)).hasSize(32);
        assertThat(arguments).isNotEmpty().noneMatch(argument -> argument.contains(adminPassword)
                || argument.contains(masterKey) || argument.contains(server.clientSecret())
                || argument.contains(server.callbackSigningSecret()));
        assertThat(arguments).filteredOn(argument -> argument.startsWith("-D"))
                .extracting(argument -> argument.substring(2, argument.indexOf('=')).toLowerCase(Locale.ROOT))
                .noneMatch(key -> key.endsWith("password") || key.endsWith("secret") || key.endsWith("key"));
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
