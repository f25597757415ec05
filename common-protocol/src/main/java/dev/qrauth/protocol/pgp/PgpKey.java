package dev.qrauth.protocol.pgp;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.bouncycastle.openpgp.api.OpenPGPKey;

/**
 * A secret OpenPGP key: it signs and decrypts. Its {@link #certificate()} is what peers get.
 * The secret material is unprotected in memory and in {@link #toArmoredSecret()}; whoever
 * stores it must encrypt it (the token server under its master key, the SDK under its storage
 * key).
 */
public final class PgpKey {

    private final OpenPGPKey key;
    private final PgpCertificate certificate;

    PgpKey(OpenPGPKey key) {
        this.key = key;
        this.certificate = new PgpCertificate(key.toCertificate());
    }

    OpenPGPKey bc() {
        return key;
    }

    /** The public part. */
    public PgpCertificate certificate() {
        return certificate;
    }

    /** The primary key's fingerprint, uppercase hex; the same as the certificate's. */
    public String fingerprint() {
        return certificate.fingerprint();
    }

    /** The secret key in ASCII armor, readable by {@link OpenPgp#readKey(String)}. Secret: encrypt before storing. */
    public String toArmoredSecret() {
        try {
            return key.toAsciiArmoredString();
        } catch (IOException e) {
            throw new UncheckedIOException("armoring an in-memory key", e);
        }
    }

    /** Never the secret material. */
    @Override
    public String toString() {
        return "PgpKey[" + fingerprint() + "]";
    }
}
