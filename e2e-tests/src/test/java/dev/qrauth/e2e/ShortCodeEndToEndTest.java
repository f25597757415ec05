package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.sdk.Authenticator;
import dev.qrauth.sdk.MobileAuthConfirmation;
import dev.qrauth.sdk.MobileAuthInfo;
import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.sdk.MobileAuthRequestDelegate;
import dev.qrauth.sdk.SdkException;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.DirectoryStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The short code typed into the SDK against the real token server, from its jar: the login completes. */
class ShortCodeEndToEndTest {

    static final String PIN = "24680";
    static final String CALLBACK = "http://127.0.0.1:9/callbacks/mobile-auth";

    static TokenServerProcess server;
    static String clientId;
    static String clientSecret;

    @TempDir
    Path home;

    @BeforeAll
    static void startServer() {
        server = TokenServerProcess.start();
        CreatedClient client = server.admin().createClient(NewClient.of("short", "Short Code Portal", List.of(CALLBACK)));
        clientId = client.clientId();
        clientSecret = client.clientSecret();
        server.admin().createType(MobileAuthTypeView.otp("login", 120).withDefaultMessage("Log in"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTypedShortCodeLogsInAndCannotBeUsedAgain() throws Exception {
        String activationCode = server.admin().createUser("dana").activationCode();
        UserClient phone = UserClient.builder().serverUri(server.uri).store(new DirectoryStore(home))
                .deviceName("dana's phone").build();
        UserProfile dana = phone.registerUser("dana", activationCode, PIN);
        phone.authenticateUser(dana, PIN);
        phone.enrollForMobileAuth();

        Map<String, Object> started = server.call("POST", "/oauth/api/v4/authenticate/user", clientId, clientSecret,
                "application/x-www-form-urlencoded",
                "type=login&callback_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8)).body();
        String shortCode = (String) started.get("short_code");
        assertThat(shortCode).matches("[A-Z2-9]{4}(-[A-Z2-9]{4}){3}");

        assertThat(confirm(phone, shortCode.toLowerCase(Locale.ROOT).replace('-', ' '))).isEqualTo("CONFIRMED");
        Map<String, Object> result = server.call("GET", "/oauth/api/v4/authenticate/transaction/"
                + started.get("transaction_id"), clientId, clientSecret, null, null).body();
        assertThat(result).containsEntry("is_authenticated", true).containsEntry("user_id", "dana");

        assertThat(confirm(phone, shortCode)).isEqualTo("NOT_FOUND");
    }

    private static String confirm(UserClient phone, String typed) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        phone.handleShortCodeMobileAuthRequest(typed, new MobileAuthRequestDelegate() {
            @Override
            public void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation) {
                confirmation.confirm();
            }

            @Override
            public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                   MobileAuthInfo info) {
                outcome.complete(info.status().name());
            }

            @Override
            public void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                         SdkException error) {
                outcome.complete(error.code().name());
            }
        });
        return outcome.get(30, TimeUnit.SECONDS);
    }
}
