package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.DirectoryStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The three parties for real: the token server and a portal from their jars, an API client with
 * the portal's callback URI in its allow-list, the {@code login} and {@code approval} types (the
 * approval with number matching), and phones made on demand.
 */
final class LoginSystem implements AutoCloseable {

    static final String PIN = "24680";

    final TokenServerProcess tokenServer;
    final PortalProcess portal;
    private final List<AutoCloseable> extraPortals = new ArrayList<>();

    private LoginSystem(TokenServerProcess tokenServer, PortalProcess portal) {
        this.tokenServer = tokenServer;
        this.portal = portal;
    }

    static LoginSystem start() {
        TokenServerProcess tokenServer = TokenServerProcess.start();
        try {
            tokenServer.admin().createType(MobileAuthTypeView.otp("login", 120));
            tokenServer.admin().createType(MobileAuthTypeView.otp("approval", 120).withNumberMatching(true));
            tokenServer.admin().createType(MobileAuthTypeView.otp("short-login", 10));
            PortalProcess portal = startPortal(tokenServer, "login");
            return new LoginSystem(tokenServer, portal);
        } catch (RuntimeException | Error e) {
            tokenServer.close();
            throw e;
        }
    }

    /** Another portal on the same token server whose logins use {@code loginType}; closed with the system. */
    PortalProcess anotherPortal(String loginType) {
        return anotherPortal(loginType, Map.of());
    }

    /**
     * Another portal on the same token server whose logins use {@code loginType}, with further
     * {@code settings} (a secret among them goes in its environment); closed with the system.
     */
    PortalProcess anotherPortal(String loginType, Map<String, String> settings) {
        PortalProcess other = startPortal(tokenServer, loginType, settings);
        extraPortals.add(other);
        return other;
    }

    private static PortalProcess startPortal(TokenServerProcess tokenServer, String loginType) {
        return startPortal(tokenServer, loginType, Map.of());
    }

    private static PortalProcess startPortal(TokenServerProcess tokenServer, String loginType,
                                             Map<String, String> settings) {
        int port = TokenServerProcess.freePort();
        CreatedClient client = tokenServer.admin().createClient(NewClient.of("portal-" + port, "Example Portal",
                List.of("http://127.0.0.1:" + port + "/callbacks/mobile-auth")).withCallbackOnScan(true));
        Map<String, String> all = new LinkedHashMap<>(Map.of(
                "portal.token-server.url", tokenServer.uri.toString(),
                "portal.client-id", client.clientId(),
                "portal.client-secret", client.clientSecret(),
                "portal.callback-signing-secret", client.callbackSigningSecret(),
                "portal.login-type", loginType));
        all.putAll(settings);
        return PortalProcess.start(port, all);
    }

    /** A new user id with a fresh activation code. */
    String[] newUser() {
        String userId = "user-" + UUID.randomUUID().toString().substring(0, 8);
        return new String[] {userId, tokenServer.admin().createUser(userId).activationCode()};
    }

    /** A further activation code for an existing user, to register a second phone. */
    String activationCode(String userId) {
        return tokenServer.admin().issueActivationCode(userId).activationCode();
    }

    /** A phone (the SDK over a store in {@code home}) with {@code userId} registered, logged in and enrolled. */
    Phone phone(Path home, String userId, String activationCode) {
        UserClient client = UserClient.builder().serverUri(tokenServer.uri).store(new DirectoryStore(home))
                .deviceName("e2e phone").build();
        UserProfile profile = client.registerUser(userId, activationCode, PIN);
        client.authenticateUser(profile, PIN);
        client.enrollForMobileAuth();
        return new Phone(client, profile);
    }

    record Phone(UserClient client, UserProfile profile) {
        String userId() {
            return profile.userId();
        }
    }

    static Path tempDir(String prefix) {
        return Scratch.directory(prefix);
    }

    @Override
    public void close() {
        for (AutoCloseable other : extraPortals) {
            try {
                other.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        portal.close();
        tokenServer.close();
    }
}
