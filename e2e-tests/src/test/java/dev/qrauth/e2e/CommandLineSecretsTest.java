package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The launchers every end-to-end and fault test uses put the servers' secrets in their
 * environments, where only their owner reads them, and not on their command lines, where every
 * user of the machine does.
 */
class CommandLineSecretsTest {

    @Test
    void theTokenServersAndThePortalsSecretsAreInTheirEnvironmentsOnly() throws Exception {
        try (LoginSystem system = LoginSystem.start()) {
            Map<String, String> server = ProcessView.environment(system.tokenServer.handle());
            Map<String, String> portal = ProcessView.environment(system.portal.handle());
            List<String> secrets = List.of(server.get("TOKENSERVER_ADMIN_PASSWORD"), server.get("TOKENSERVER_MASTER_KEY"),
                    portal.get("PORTAL_CLIENT_SECRET"), portal.get("PORTAL_CALLBACK_SIGNING_SECRET"));

            assertThat(secrets).doesNotContainNull().noneMatch(String::isBlank);
            assertThat(Base64.getDecoder().decode(server.get("TOKENSERVER_MASTER_KEY"))).hasSize(32);
            for (ProcessHandle process : List.of(system.tokenServer.handle(), system.portal.handle())) {
                assertThat(ProcessView.arguments(process)).isNotEmpty()
                        .noneMatch(argument -> secrets.stream().anyMatch(argument::contains));
            }
            // Both took them from there: the admin API let the test seed the client, and the
            // portal's call with the client's secret gave the login page its code.
            String page = HttpClient.newBuilder().cookieHandler(new CookieManager()).build()
                    .send(HttpRequest.newBuilder(system.portal.uri.resolve("/login")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("class=\"otp\"");
        }
    }
}
