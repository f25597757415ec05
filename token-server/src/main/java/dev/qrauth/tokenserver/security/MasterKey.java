package dev.qrauth.tokenserver.security;

import dev.qrauth.tokenserver.TokenServerConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Encrypts the secrets the server must be able to read back (its OpenPGP secret key, callback
 * signing secrets, callback passwords) with AES-256-GCM under the key from
 * {@code tokenserver.master-key}: base64 of 32 random bytes ({@code openssl rand -base64 32}).
 *
 * <p>Each value is bound to its purpose and owner through the associated data, so a ciphertext
 * copied into another row or column does not decrypt.
 *
 * <p>Outside the dev and test profiles the server refuses to start without a key. In dev and
 * test a built-in development key is used, with a warning at every start: anyone with the source
 * can decrypt what it protects.
 */
@ApplicationScoped
@Startup
public class MasterKey {

    private static final Logger LOG = Logger.getLogger(MasterKey.class);
    private static final byte FORMAT_VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Public on purpose: it is only for development, and the warning says so. */
    private static final String DEVELOPMENT_KEY = "cXJhdXRoLWRldmVsb3BtZW50LW9ubHktbWFzdGVyLWs=";

    private final SecretKeySpec key;
    /** The key of {@link #mac}, derived from the master key so that it is never used for two things. */
    private final SecretKeySpec macKey;

    /** What the server says when it refuses to start without a key. */
    public static final String MISSING = """
            tokenserver.master-key is not set. It encrypts the server's private key and the callback \
            secrets in the database, so the server does not start without it. Make one with \
            `openssl rand -base64 32` (or `head -c 32 /dev/urandom | base64`), keep it with your backups \
            (data encrypted under it cannot be read without it), and give it to the server in the \
            environment variable TOKENSERVER_MASTER_KEY or in config/application.properties (mode 0600), \
            never on the command line.""";

    @Inject
    public MasterKey(TokenServerConfig config) {
        this(config.masterKey());
    }

    public MasterKey(Optional<String> configured) {
        this(configured, LaunchMode.current());
    }

    MasterKey(Optional<String> configured, LaunchMode mode) {
        String encoded = configured.filter(value -> !value.isBlank()).orElse(null);
        if (encoded == null && !mode.isDevOrTest()) {
            throw new IllegalStateException(MISSING);
        }
        if (encoded == null) {
            LOG.warn("""

                    ************************************************************************
                    *  tokenserver.master-key is not set: using the BUILT-IN DEVELOPMENT    *
                    *  KEY. The server's private key and callback secrets are NOT protected *
                    *  at rest. Set tokenserver.master-key (openssl rand -base64 32) before *
                    *  this server holds anything real.                                     *
                    ************************************************************************""");
            encoded = DEVELOPMENT_KEY;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("tokenserver.master-key is not base64 (expected 32 random bytes, "
                    + "for example from: openssl rand -base64 32)");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("tokenserver.master-key must decode to 32 bytes, not " + bytes.length
                    + " (for example from: openssl rand -base64 32)");
        }
        this.key = new SecretKeySpec(bytes, "AES");
        this.macKey = new SecretKeySpec(hmac(new SecretKeySpec(bytes, "HmacSHA256"),
                "qrauth master key: mac key".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
    }

    /**
     * A keyed digest (HMAC-SHA-256, hex) of {@code value} for the given purpose, for secrets too
     * short to be safe as a plain hash: without the master key a copy of the database gives no
     * way to test guesses offline.
     */
    public String mac(String purpose, String value) {
        byte[] input = (purpose + "\0" + value).getBytes(StandardCharsets.UTF_8);
        return java.util.HexFormat.of().formatHex(hmac(macKey, input));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] input) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is required of every JDK", e);
        }
    }

    /** Encrypts {@code plaintext} for the given purpose, such as {@code "callback-secret:<client_id>"}. */
    public byte[] encrypt(String purpose, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        Secrets.random().nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(FORMAT_VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every JDK", e);
        }
    }

    public byte[] encrypt(String purpose, String plaintext) {
        return encrypt(purpose, plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decrypts what {@link #encrypt} wrote for the same purpose.
     *
     * @throws IllegalStateException when the value was written under another master key or for
     *                               another purpose, or was changed
     */
    public byte[] decrypt(String purpose, byte[] sealed) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT_VERSION) {
            throw new IllegalStateException("not a value encrypted under the master key");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("a value does not decrypt under the configured tokenserver.master-key "
                    + "(was it written under another key?)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every JDK", e);
        }
    }

    public String decryptToString(String purpose, byte[] sealed) {
        return new String(decrypt(purpose, sealed), StandardCharsets.UTF_8);
    }
}
