package dev.qrauth.e2e;

import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.InMemoryStore;
import dev.qrauth.testkit.CallbackInbox;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
        CreatedClient created = server.admin().createClient(NewClient.of(
                "faults-" + UUID.randomUUID().toString().substring(0, 8), "Fault Portal", List.of(callbackUri)));
        return new Client(created.clientId(), created.clientSecret(), callbackUri);
    }

    static void type(TokenServerProcess server, String name, int timeToLiveSeconds) {
        server.admin().createType(MobileAuthTypeView.otp(name, timeToLiveSeconds).withDefaultMessage("Log in"));
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
        return phone(server.uri, userId, server.admin().createUser(userId).activationCode());
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
