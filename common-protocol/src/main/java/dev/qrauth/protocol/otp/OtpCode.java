package dev.qrauth.protocol.otp;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The one-time code inside an OTP: random bytes from a CSPRNG, written in the base64url
 * alphabet without padding.
 *
 * <p>A code must carry at least 128 bits. Every base64url character carries 6 bits, so
 * {@value #MIN_LENGTH} characters (132 bits) is the shortest accepted code; this
 * implementation issues {@value #GENERATED_BYTES} random bytes ({@value #GENERATED_LENGTH}
 * characters, 256 bits).
 */
public final class OtpCode {

    /** Shortest accepted code: 22 characters of 6 bits each is the first length of at least 128 bits. */
    public static final int MIN_LENGTH = 22;
    /** Longest accepted code; anything longer is refused before it is looked at. */
    public static final int MAX_LENGTH = 128;
    /** Random bytes in a code this implementation generates. */
    public static final int GENERATED_BYTES = 32;
    /** Characters in a code this implementation generates. */
    public static final int GENERATED_LENGTH = 43;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private OtpCode() {
    }

    /** A fresh code of {@value #GENERATED_BYTES} random bytes from {@code random}. */
    public static String generate(SecureRandom random) {
        Objects.requireNonNull(random, "random == null");
        byte[] bytes = new byte[GENERATED_BYTES];
        random.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /** Whether {@code code} has an accepted length and only base64url characters. */
    public static boolean isWellFormed(String code) {
        return code != null
                && code.length() >= MIN_LENGTH
                && code.length() <= MAX_LENGTH
                && hasOnlyBase64UrlCharacters(code);
    }

    static boolean hasOnlyBase64UrlCharacters(String code) {
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
