package dev.qrauth.portal.challenge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * New codes per browser address: a token bucket each, so one address cannot spend the portal's
 * whole initiation budget at the token server (and so lock everyone else out). Renewals of a
 * code a page is showing do not count. An IPv6 address draws from the bucket of its /64: one
 * subscriber is usually given a whole /64 and may use any address in it.
 *
 * <p>Caffeine keeps the buckets: an address quiet for ten minutes is forgotten, which loses
 * nothing because its bucket refills within a minute, and beyond {@code MAX_ADDRESSES} the
 * least used are forgotten first. The idle time runs on the machine's clock, not on the times
 * {@link #take} is given, which only refill the buckets.
 */
final class NewCodeLimiter {

    private static final int MAX_ADDRESSES = 100_000;
    private static final Duration IDLE = Duration.ofMinutes(10);
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final int perMinute;
    private final Cache<String, Bucket> buckets =
            Caffeine.newBuilder().maximumSize(MAX_ADDRESSES).expireAfterAccess(IDLE).build();

    NewCodeLimiter(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("portal.new-codes-per-minute must be at least 1");
        }
        this.perMinute = perMinute;
    }

    private static final class Bucket {
        double tokens;
        Instant updated;

        Bucket(double tokens, Instant updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    /** Takes one code for {@code address}, or throws with the time until the next one. */
    void take(String address, Instant now) {
        Bucket bucket = buckets.get(bucketOf(address), a -> new Bucket(perMinute, now));
        synchronized (bucket) {
            double refill = Duration.between(bucket.updated, now).toMillis() * perMinute / 60_000.0;
            bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, refill));
            bucket.updated = now;
            if (bucket.tokens < 1) {
                long waitMillis = (long) Math.ceil((1 - bucket.tokens) * 60_000.0 / perMinute);
                throw new TooManyCodesException(Duration.ofMillis(waitMillis));
            }
            bucket.tokens -= 1;
        }
    }

    /**
     * The name of the bucket {@code address} draws from: an IPv4 address (also one written as an
     * IPv4-mapped IPv6 address) is its own, an IPv6 address shares its /64. Anything else, which
     * the HTTP server does not produce, is taken as it is.
     */
    static String bucketOf(String address) {
        if (address == null) {
            return "";
        }
        if (address.indexOf(':') < 0 || !IPV6_LITERAL.matcher(address).matches()) {
            return address;
        }
        InetAddress parsed;
        try {
            // Only hex digits, colons and dots: an IPv6 literal, so no name is ever looked up.
            parsed = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return address;
        }
        if (parsed instanceof Inet4Address) {
            return parsed.getHostAddress();
        }
        byte[] prefix = Arrays.copyOf(parsed.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }
}
