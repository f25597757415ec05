package dev.qrauth.tokenserver.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers, for a few minutes, that a presented secret matched a stored slow hash, so that API
 * clients and devices, which send their secret with every request, pay for Argon2 once and not
 * on every call.
 *
 * <p>An entry is keyed by an HMAC (under a key that lives only in this process) of the stored
 * hash and the presented secret, so the cache holds nothing that reveals a secret, and a changed
 * or deleted hash never matches an old entry. Callers still load the row on every request:
 * a deleted client or device is refused at once, on every node.
 */
@ApplicationScoped
public class VerifiedSecrets {

    private static final int MAX_ENTRIES = 20_000;
    private static final Duration TTL = Duration.ofMinutes(10);

    private final SecretHasher hasher;
    private final Clock clock;
    private final SecretKeySpec cacheKey;
    private final Map<String, Instant> verified = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    @Inject
    public VerifiedSecrets(SecretHasher hasher) {
        this(hasher, Clock.systemUTC());
    }

    VerifiedSecrets(SecretHasher hasher, Clock clock) {
        this.hasher = hasher;
        this.clock = clock;
        this.cacheKey = new SecretKeySpec(Secrets.token(32).getBytes(StandardCharsets.US_ASCII), "HmacSHA256");
    }

    /** Whether {@code secret} matches {@code storedHash}, from memory when it matched recently. */
    public boolean matches(String secret, String storedHash) {
        if (remembered(secret, storedHash)) {
            return true;
        }
        if (!hasher.verify(secret, storedHash)) {
            return false;
        }
        remember(secret, storedHash);
        return true;
    }

    /**
     * Whether {@code secret} matched {@code storedHash} within the last ten minutes of its use,
     * without any hashing. A hit keeps the entry for another ten minutes, so a client or device
     * in steady use is never hashed again, and is let through even while others' wrong guesses
     * hold its id over its failure budget ({@link CredentialVerifier}).
     */
    public boolean remembered(String secret, String storedHash) {
        String key = entryKey(secret, storedHash);
        Instant now = clock.instant();
        synchronized (verified) {
            Instant until = verified.get(key);
            if (until != null && until.isAfter(now)) {
                verified.put(key, now.plus(TTL));
                return true;
            }
        }
        return false;
    }

    private void remember(String secret, String storedHash) {
        String key = entryKey(secret, storedHash);
        Instant now = clock.instant();
        synchronized (verified) {
            verified.put(key, now.plus(TTL));
        }
    }

    private String entryKey(String secret, String storedHash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
