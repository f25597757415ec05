package dev.qrauth.tokenserver.enrollment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.tokenserver.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Enrolled device certificates, parsed once. Reading a certificate verifies its self-signatures,
 * which cost about as much as the whole encryption of a message; a device sends its certificate
 * with every fetch and answer only as a stored string, so parsing it every time doubled the
 * server's cryptographic work per flow (see docs/PERFORMANCE.md).
 *
 * <p>Entries are keyed by the SHA-256 of the stored text, so a re-enrolled device (new text)
 * never meets its old certificate; the stored text stays the only source of truth.
 */
@ApplicationScoped
public class DeviceCertificates {

    private static final int MAX_ENTRIES = 10_000;

    private final OpenPgp pgp;
    private final Cache<String, PgpCertificate> parsed = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    DeviceCertificates(OpenPgp pgp) {
        this.pgp = pgp;
    }

    /** The certificate in {@code armored}, which was checked when the device enrolled. */
    public PgpCertificate of(String armored) {
        String key = Secrets.sha256Hex(armored);
        PgpCertificate known = parsed.getIfPresent(key);
        if (known != null) {
            return known;
        }
        // Parsed outside the cache: a computing get would hold up other keys while this one parses.
        PgpCertificate certificate = pgp.readCertificate(armored);
        parsed.put(key, certificate);
        return certificate;
    }
}
