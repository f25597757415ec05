package dev.qrauth.protocol.message;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * The nonce a {@link MobileAuthMessage} carries and its {@link MobileAuthAnswer} must echo:
 * 32 random bytes in base64url without padding.
 */
public final class Nonce {

    public static final int LENGTH = 43;
    private static final int BYTES = 32;

    private Nonce() {
    }

    public static String generate(SecureRandom random) {
        Objects.requireNonNull(random, "random == null");
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String check(String nonce) {
        Objects.requireNonNull(nonce, "nonce == null");
        if (!nonce.matches("[A-Za-z0-9_-]{" + LENGTH + "}")) {
            throw new IllegalArgumentException("nonce must be " + LENGTH + " base64url characters");
        }
        return nonce;
    }
}
