package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.InMemoryStore;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The portal's and the phones' side of flows in the fault suite, against one or more token-server nodes. */
final class FaultFlows {

    static final Set<String> TERMINAL = Set.of("CONFIRMED", "REJECTED", "EXPIRED", "CANCELLED");

    /** An API client: its credentials and the callback URI in its allow-list. */
    record Client(String id, String secret, String callbackUri) {
    }

    private FaultFlows() {
    }

    static Client client(TokenServerProcess server, String callbackUri) {
        TokenServerProcess.Response created = server.admin("POST", "/admin/api/v1/clients",
                "{\"name\":\"faults-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"display_name\":\"Fault Portal\","
                        + "\"callback_uris\":[\"" + callbackUri + "\"]}");
        assertThat(created.status()).as(server.log()).isEqualTo(201);
        return new Client(created.string("client_id"), created.string("client_secret"), callbackUri);
    }

    static void type(TokenServerProcess server, String name, int timeToLiveSeconds) {
        assertThat(server.admin("POST", "/admin/api/v1/mobile-auth-types", "{\"name\":\"" + name
                + "\",\"method\":\"OTP\",\"time_to_live_seconds\":" + timeToLiveSeconds + ",\"default_message\":\"Log in\"}")
                .status()).isEqualTo(201);
    }

    /** Starts a transaction; the body holds {@code transaction_id} and {@code otp}. */
    static TokenServerProcess.Response initiate(TokenServerProcess server, Client client, String type, String callbackUri) {
        return server.call("POST", "/oauth/api/v4/authenticate/user", client.id(), client.secret(),
                "application/x-www-form-urlencoded",
                "type=" + type + "&callback_uri=" + URLEncoder.encode(callbackUri, StandardCharsets.UTF_8));
    }

    /** The transaction's status as the portal reads it, or null when the server did not answer 200. */
    static String status(TokenServerProcess server, Client client, Object transactionId) {
        TokenServerProcess.Response result = server.call("GET", "/oauth/api/v4/authenticate/transaction/" + transactionId,
                client.id(), client.secret(), null, null);
        return result.status() == 200 ? result.string("status") : null;
    }

    /** A phone with a new user registered, logged in and enrolled, talking to {@code server}. */
    static UserClient phone(TokenServerProcess server) {
        String userId = "fault-" + UUID.randomUUID().toString().substring(0, 8);
        TokenServerProcess.Response user = server.admin("POST", "/admin/api/v1/users", "{\"user_id\":\"" + userId + "\"}");
        assertThat(user.status()).as(server.log()).isEqualTo(201);
        return phone(server.uri, userId, user.string("activation_code"));
    }

    static UserClient phone(URI server, String userId, String activationCode) {
        UserClient client = UserClient.builder().serverUri(server).store(new InMemoryStore()).deviceName("fault phone").build();
        UserProfile profile = client.registerUser(userId, activationCode, LoginSystem.PIN);
        client.authenticateUser(profile, LoginSystem.PIN);
        client.enrollForMobileAuth();
        return client;
    }

    /** The {@code status} member of a callback body. */
    static String callbackStatus(CallbackInbox.Delivery delivery) {
        return (String) Map.class.cast(dev.qrauth.protocol.json.ProtocolJson.read(delivery.body(), Map.class)).get("status");
    }
}
