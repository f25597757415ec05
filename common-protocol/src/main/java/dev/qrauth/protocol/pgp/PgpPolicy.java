package dev.qrauth.protocol.pgp;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The algorithms {@link OpenPgp} generates, accepts and refuses. Immutable.
 *
 * <p>{@link #DEFAULT} is RFC 9580 throughout: v6 keys with Ed25519 for certifying and
 * signing and X25519 for encryption, AES-256 with authenticated encryption (SEIPD v2; this
 * implementation writes OCB) and SHA-512 signatures.
 * Anything else from a peer, such as an RSA certificate or a message in the older SEIPD v1
 * format, is refused with {@link PgpFailure#REFUSED_BY_POLICY}. {@code docs/PROTOCOL.md},
 * "OpenPGP profile".
 *
 * @param keyVersion          the OpenPGP key version generated and accepted (6, or 4)
 * @param publicKeyAlgorithms the key algorithms accepted in certificates and signatures
 * @param symmetricAlgorithms the ciphers accepted for message encryption
 * @param hashAlgorithms      the hashes accepted in signatures
 * @param requireAead         whether messages must use authenticated encryption (SEIPD v2)
 * @param maxMessageBytes     the largest message accepted for decryption
 */
public record PgpPolicy(
        int keyVersion,
        Set<PublicKeyAlgorithm> publicKeyAlgorithms,
        Set<SymmetricAlgorithm> symmetricAlgorithms,
        Set<HashAlgorithm> hashAlgorithms,
        boolean requireAead,
        int maxMessageBytes) {

    public static final PgpPolicy DEFAULT = new PgpPolicy(
            6,
            EnumSet.of(PublicKeyAlgorithm.ED25519, PublicKeyAlgorithm.X25519),
            EnumSet.of(SymmetricAlgorithm.AES_256),
            EnumSet.of(HashAlgorithm.SHA512, HashAlgorithm.SHA256, HashAlgorithm.SHA3_512),
            true,
            48 * 1024);

    public PgpPolicy {
        if (keyVersion != 4 && keyVersion != 6) {
            throw new IllegalArgumentException("keyVersion must be 4 or 6");
        }
        publicKeyAlgorithms = nonEmptyCopy(publicKeyAlgorithms, "publicKeyAlgorithms");
        symmetricAlgorithms = nonEmptyCopy(symmetricAlgorithms, "symmetricAlgorithms");
        hashAlgorithms = nonEmptyCopy(hashAlgorithms, "hashAlgorithms");
        if (!publicKeyAlgorithms.contains(PublicKeyAlgorithm.ED25519)
                || !publicKeyAlgorithms.contains(PublicKeyAlgorithm.X25519)) {
            // generateKey makes Ed25519/X25519 keys; a policy refusing them would refuse its own keys.
            throw new IllegalArgumentException("publicKeyAlgorithms must contain ED25519 and X25519");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes < 1024");
        }
    }

    private static <E extends Enum<E>> Set<E> nonEmptyCopy(Set<E> values, String name) {
        Objects.requireNonNull(values, name + " == null");
        if (values.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        return Set.copyOf(values);
    }

    /** Public-key algorithms, with their RFC 9580 ids. */
    public enum PublicKeyAlgorithm {
        X25519(25), X448(26), ED25519(27), ED448(28);

        final int id;

        PublicKeyAlgorithm(int id) {
            this.id = id;
        }
    }

    /** Symmetric ciphers, with their RFC 9580 ids. */
    public enum SymmetricAlgorithm {
        AES_128(7), AES_192(8), AES_256(9);

        final int id;

        SymmetricAlgorithm(int id) {
            this.id = id;
        }
    }

    /** Signature hashes, with their RFC 9580 ids. */
    public enum HashAlgorithm {
        SHA256(8), SHA384(9), SHA512(10), SHA3_256(12), SHA3_512(14);

        final int id;

        HashAlgorithm(int id) {
            this.id = id;
        }
    }
}
