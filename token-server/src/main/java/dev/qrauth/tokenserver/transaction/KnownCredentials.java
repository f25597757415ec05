package dev.qrauth.tokenserver.transaction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.qrauth.tokenserver.authtype.TypeRules;
import dev.qrauth.tokenserver.security.Secrets;
import dev.qrauth.tokenserver.transaction.TransactionStore.ClientGrant;
import dev.qrauth.tokenserver.transaction.TransactionStore.SessionGrant;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the hot path remembers of authentications that succeeded on the full path, so that the
 * next request of the same client or device user needs no extra database round trip
 * ({@link TransactionStore}): API clients by their credentials, device users by their device
 * credentials, user id and access token, and mobile-auth types by name.
 *
 * <p>Nothing here is trusted on its own: every statement of the hot path checks that what is
 * remembered is still what is stored, and falls back to the full path when it is not. An entry
 * is keyed by an HMAC, under a key that lives only in this process, of the credentials
 * presented, so the memory holds nothing that reveals a secret.
 */
@ApplicationScoped
public class KnownCredentials {

    private static final int MAX_ENTRIES = 50_000;
    private static final Duration IDLE = Duration.ofMinutes(10);

    private final SecretKeySpec key = new SecretKeySpec(Secrets.token(32).getBytes(StandardCharsets.US_ASCII),
            "HmacSHA256");
    private final Cache<String, ClientGrant> clients = Caffeine.newBuilder()
            .maximumSize(MAX_ENTRIES).expireAfterAccess(IDLE).build();
    private final Cache<String, SessionGrant> sessions = Caffeine.newBuilder()
            .maximumSize(MAX_ENTRIES).expireAfterAccess(IDLE).build();
    private final Cache<String, TypeRules> types = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterAccess(IDLE).build();

    ClientGrant client(String clientId, String secret) {
        return clients.getIfPresent(key("client", clientId, secret));
    }

    void rememberClient(String clientId, String secret, ClientGrant grant) {
        clients.put(key("client", clientId, secret), grant);
    }

    SessionGrant session(String deviceId, String deviceSecret, String userId, String accessToken) {
        return sessions.getIfPresent(key("session", deviceId, deviceSecret, userId, accessToken));
    }

    void rememberSession(String deviceId, String deviceSecret, String userId, String accessToken, SessionGrant grant) {
        sessions.put(key("session", deviceId, deviceSecret, userId, accessToken), grant);
    }

    TypeRules type(String name) {
        return types.getIfPresent(name);
    }

    void rememberType(TypeRules type) {
        types.asMap().merge(type.name(), type, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
    }

    private String key(String kind, String... parts) {
        Mac mac = macs.get();
        mac.update(kind.getBytes(StandardCharsets.UTF_8));
        for (String part : parts) {
            mac.update((byte) 0);
            // Lengths keep ("ab", "c") and ("a", "bc") apart.
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            mac.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) ':');
            mac.update(bytes);
        }
        // doFinal resets the Mac for the thread's next key.
        return java.util.Base64.getEncoder().encodeToString(mac.doFinal());
    }

    /** One initialised Mac per thread: they are not thread-safe, and making one costs more than using it. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    });
}
