package dev.qrauth.protocol.pgp;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;

/**
 * A public OpenPGP certificate that the {@link PgpPolicy} accepted. Equal when the fingerprints
 * are equal. Immutable.
 */
public final class PgpCertificate {

    private final OpenPGPCertificate certificate;
    private final String fingerprint;

    PgpCertificate(OpenPGPCertificate certificate) {
        this.certificate = certificate;
        this.fingerprint = Fingerprints.of(certificate);
    }

    OpenPGPCertificate bc() {
        return certificate;
    }

    /** The primary key's fingerprint, uppercase hex. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The certificate in ASCII armor, readable by {@link OpenPgp#readCertificate(String)}. */
    public String toArmoredString() {
        try {
            return certificate.toAsciiArmoredString();
        } catch (IOException e) {
            throw new UncheckedIOException("armoring an in-memory certificate", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PgpCertificate other && fingerprint.equals(other.fingerprint);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "PgpCertificate[" + fingerprint + "]";
    }
}
