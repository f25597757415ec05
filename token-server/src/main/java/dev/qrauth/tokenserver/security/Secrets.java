package dev.qrauth.tokenserver.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random secrets and the fast digest used for high-entropy values such as access tokens. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final char[] BASE32 = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private Secrets() {
    }

    public static SecureRandom random() {
        return RANDOM;
    }

    /** {@code bytes} random bytes in base64url without padding. */
    public static String token(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return BASE64URL.encodeToString(value);
    }

    /**
     * A code people type: 20 characters from an alphabet without look-alikes (100 bits), in
     * groups of five, such as {@code K7QZ2-M4XPA-9RTWC-HD3NB}.
     */
    public static String activationCode() {
        StringBuilder code = new StringBuilder(23);
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                code.append('-');
            }
            code.append(BASE32[RANDOM.nextInt(BASE32.length)]);
        }
        return code.toString();
    }

    /**
     * SHA-256 in hex. Enough for values too random to enumerate (256-bit tokens and OTP codes,
     * 100-bit single-use activation codes): a stolen digest gives no shortcut over guessing the
     * value itself, so the cost of a slow hash would buy nothing.
     */
    public static String sha256Hex(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
