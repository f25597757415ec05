package dev.qrauth.protocol.otp;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The short code: what a person types instead of scanning the QR code ({@code docs/PROTOCOL.md},
 * "The short code"). {@value #LENGTH} characters from an alphabet of 32 without look-alikes
 * (no {@code 0 O 1 I}), {@value #BITS} bits, shown in groups of {@value #GROUP} such as
 * {@code K7QM-4XRT-9BHN-3PWZ}.
 *
 * <p>Input is read leniently but never guessed at: case is ignored, and so are spaces and dashes
 * anywhere; any other character, or another number of characters, is not a short code.
 */
public final class ShortCode {

    /** Characters in a short code (the length is chosen in {@code docs/PROTOCOL.md}, "The short code"). */
    public static final int LENGTH = 16;
    /** Characters per group as shown. */
    public static final int GROUP = 4;
    /** Bits a short code carries: 5 per character. */
    public static final int BITS = LENGTH * 5;
    /** Longest text that is looked at, separators included; anything longer is refused at once. */
    public static final int MAX_INPUT_LENGTH = 64;

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private ShortCode() {
    }

    /** A fresh code in its canonical form (upper case, no separators). */
    public static String generate(SecureRandom random) {
        Objects.requireNonNull(random, "random == null");
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(code);
    }

    /**
     * The canonical form of what someone typed: upper case without spaces or dashes; empty when
     * it is not a short code.
     */
    public static Optional<String> normalize(String typed) {
        if (typed == null || typed.length() > MAX_INPUT_LENGTH) {
            return Optional.empty();
        }
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            char upper = c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c;
            if (ALPHABET.indexOf(upper) < 0 || code.length() == LENGTH) {
                return Optional.empty();
            }
            code.append(upper);
        }
        return code.length() == LENGTH ? Optional.of(code.toString()) : Optional.empty();
    }

    /** Whether {@code typed} is a short code once normalized. */
    public static boolean isShortCode(String typed) {
        return normalize(typed).isPresent();
    }

    /** The code in groups for people to read, such as {@code K7QM-4XRT-9BHN-3PWZ}. */
    public static String grouped(String code) {
        String canonical = normalize(code).orElse(code == null ? "" : code.toUpperCase(Locale.ROOT));
        StringBuilder shown = new StringBuilder(canonical.length() + canonical.length() / GROUP);
        for (int i = 0; i < canonical.length(); i++) {
            if (i > 0 && i % GROUP == 0) {
                shown.append('-');
            }
            shown.append(canonical.charAt(i));
        }
        return shown.toString();
    }
}
