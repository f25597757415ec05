package dev.qrauth.protocol.callback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Signature} header on callbacks, {@code docs/PROTOCOL.md} "Callback signature":
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}, where the MAC is keyed with the UTF-8 bytes of
 * the client's callback signing secret over {@code <t> + "." + <raw body bytes>}. While a rotated
 * signing secret is in its overlap the header carries one {@code v1} per secret, and a receiver
 * accepts it when any of them matches.
 *
 * <p>The token server {@link #sign signs}; a portal {@link #verify verifies}, comparing in
 * constant time and refusing timestamps outside a tolerance window. Thread-safe.
 */
public final class CallbackSignature {

    /** The HTTP header name. */
    public static final String HEADER = "X-Signature";
    /** Default window either side of now in which a timestamp is accepted. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_HEADER_LENGTH = 256;
    /** Signatures in one header: the current secret's and, during a rotation, the replaced one's. */
    private static final int MAX_SIGNATURES = 2;

    private CallbackSignature() {
    }

    /** Why {@link #verify} refused a header. */
    public enum Outcome {
        VALID,
        MISSING,
        MALFORMED,
        STALE_TIMESTAMP,
        MISMATCH
    }

    /** The header value for {@code body} sent at {@code timestamp}. */
    public static String sign(String secret, Instant timestamp, byte[] body) {
        return sign(List.of(secret), timestamp, body);
    }

    /**
     * The header value with one {@code v1} per secret, in the order given: what the token server
     * sends while a replaced signing secret is in its overlap.
     */
    public static String sign(List<String> secrets, Instant timestamp, byte[] body) {
        Objects.requireNonNull(secrets, "secrets == null");
        Objects.requireNonNull(timestamp, "timestamp == null");
        if (secrets.isEmpty() || secrets.size() > MAX_SIGNATURES) {
            throw new IllegalArgumentException("1 to " + MAX_SIGNATURES + " secrets");
        }
        long seconds = timestamp.getEpochSecond();
        StringBuilder header = new StringBuilder("t=").append(seconds);
        for (String secret : secrets) {
            header.append(",v1=").append(HEX.formatHex(mac(secret, seconds, body)));
        }
        return header.toString();
    }

    /**
     * Checks a received header against the raw body bytes.
     *
     * @param header    the {@code X-Signature} value, or null when absent
     * @param now       the receiver's clock
     * @param tolerance how far the timestamp may lie from {@code now}, either way
     */
    public static Outcome verify(String secret, String header, byte[] body, Instant now, Duration tolerance) {
        Objects.requireNonNull(now, "now == null");
        Objects.requireNonNull(tolerance, "tolerance == null");
        if (header == null || header.isBlank()) {
            return Outcome.MISSING;
        }
        if (header.length() > MAX_HEADER_LENGTH) {
            return Outcome.MALFORMED;
        }
        Long seconds = null;
        boolean timestampSeen = false;
        List<byte[]> received = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            String item = part.trim();
            if (item.startsWith("t=") && !timestampSeen) {
                timestampSeen = true;
                seconds = parseSeconds(item.substring(2));
            } else if (item.startsWith("v1=")) {
                byte[] signature = parseHex(item.substring(3));
                if (signature == null) {
                    return Outcome.MALFORMED;
                }
                received.add(signature);
            }
        }
        if (seconds == null || received.isEmpty()) {
            return Outcome.MALFORMED;
        }
        long skew = Math.abs(now.getEpochSecond() - seconds);
        if (skew > tolerance.toSeconds()) {
            return Outcome.STALE_TIMESTAMP;
        }
        byte[] expected = mac(secret, seconds, body);
        boolean matched = false;
        for (byte[] signature : received) {
            // Every one is compared, so the time taken does not tell which matched.
            matched |= MessageDigest.isEqual(expected, signature);
        }
        return matched ? Outcome.VALID : Outcome.MISMATCH;
    }

    private static Long parseSeconds(String text) {
        if (text.isEmpty() || text.length() > 12 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(text);
    }

    private static byte[] parseHex(String text) {
        if (text.length() != 64) {
            return null;
        }
        try {
            return HEX.parseHex(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] mac(String secret, long seconds, byte[] body) {
        Objects.requireNonNull(secret, "secret == null");
        Objects.requireNonNull(body, "body == null");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret is empty");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((seconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
