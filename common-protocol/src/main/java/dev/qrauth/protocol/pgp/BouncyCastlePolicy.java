package dev.qrauth.protocol.pgp;

import java.util.Date;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.api.OpenPGPPolicy;

/**
 * What Bouncy Castle itself accepts while {@link OpenPgp} works: the first, wide net. It takes
 * the modern algorithms Bouncy Castle's default policy takes (without the legacy hashes that
 * policy accepts on old signatures), so that a key, signature or message it lets through
 * reaches {@link OpenPgp}'s own checks, which apply the narrower {@link PgpPolicy} and name the
 * reason for a refusal. The defaults it announces (the hash of new signatures, the cipher of
 * new messages, the largest plaintext) come from the {@link PgpPolicy}.
 *
 * <p>It replaces Bouncy Castle's default policy, whose constructor parses dates with a time-zone
 * name: that loads the names of every time zone, about 0.15 s of a command-line phone's run.
 * Immutable.
 */
final class BouncyCastlePolicy implements OpenPGPPolicy {

    private static final Set<Integer> SIGNATURE_HASHES = Set.of(
            HashAlgorithmTags.SHA224, HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512,
            HashAlgorithmTags.SHA3_256, HashAlgorithmTags.SHA3_512);

    private static final Set<Integer> CIPHERS = Set.of(
            SymmetricKeyAlgorithmTags.AES_128, SymmetricKeyAlgorithmTags.AES_192, SymmetricKeyAlgorithmTags.AES_256,
            SymmetricKeyAlgorithmTags.TWOFISH, SymmetricKeyAlgorithmTags.CAMELLIA_128,
            SymmetricKeyAlgorithmTags.CAMELLIA_192, SymmetricKeyAlgorithmTags.CAMELLIA_256);

    /** Public-key algorithms with the least key size taken in bits; 0 where the size is fixed. */
    private static final Map<Integer, Integer> PUBLIC_KEY_MINIMUM_BITS = Map.ofEntries(
            Map.entry(PublicKeyAlgorithmTags.RSA_GENERAL, 2000),
            Map.entry(PublicKeyAlgorithmTags.RSA_ENCRYPT, 2000),
            Map.entry(PublicKeyAlgorithmTags.RSA_SIGN, 2000),
            Map.entry(PublicKeyAlgorithmTags.ECDSA, 250),
            Map.entry(PublicKeyAlgorithmTags.EDDSA_LEGACY, 250),
            Map.entry(PublicKeyAlgorithmTags.ECDH, 250),
            Map.entry(PublicKeyAlgorithmTags.X25519, 0),
            Map.entry(PublicKeyAlgorithmTags.X448, 0),
            Map.entry(PublicKeyAlgorithmTags.Ed25519, 0),
            Map.entry(PublicKeyAlgorithmTags.Ed448, 0));

    /**
     * Knows no notation, so a signature with a critical notation is not accepted; one instance
     * for every policy, which nothing can teach a notation.
     */
    private static final OpenPGPNotationRegistry NO_NOTATIONS = new OpenPGPNotationRegistry() {
        @Override
        public void addKnownNotation(String notationName) {
            throw new UnsupportedOperationException("this policy accepts no notation");
        }
    };

    private final int signatureHash;
    private final int cipher;
    private final long maxPlaintextBytes;

    /**
     * @param signatureHash     the hash of the signatures made, one of the hashes accepted
     * @param cipher            the cipher of the messages made, one of the ciphers accepted
     * @param maxPlaintextBytes the largest plaintext a message may decompress to
     */
    BouncyCastlePolicy(int signatureHash, int cipher, long maxPlaintextBytes) {
        if (!SIGNATURE_HASHES.contains(signatureHash)) {
            throw new IllegalArgumentException("hash " + signatureHash + " is not accepted for signatures");
        }
        if (!CIPHERS.contains(cipher)) {
            throw new IllegalArgumentException("cipher " + cipher + " is not accepted");
        }
        this.signatureHash = signatureHash;
        this.cipher = cipher;
        this.maxPlaintextBytes = maxPlaintextBytes;
    }

    @Override
    public boolean isAcceptableDocumentSignatureHashAlgorithm(int algorithm, Date signatureCreationTime) {
        return SIGNATURE_HASHES.contains(algorithm);
    }

    @Override
    public boolean isAcceptableRevocationSignatureHashAlgorithm(int algorithm, Date signatureCreationTime) {
        return SIGNATURE_HASHES.contains(algorithm);
    }

    @Override
    public boolean isAcceptableCertificationSignatureHashAlgorithm(int algorithm, Date signatureCreationTime) {
        return SIGNATURE_HASHES.contains(algorithm);
    }

    @Override
    public int getDefaultCertificationSignatureHashAlgorithm() {
        return signatureHash;
    }

    @Override
    public int getDefaultDocumentSignatureHashAlgorithm() {
        return signatureHash;
    }

    @Override
    public boolean isAcceptableSymmetricKeyAlgorithm(int algorithm) {
        return CIPHERS.contains(algorithm);
    }

    @Override
    public int getDefaultSymmetricKeyAlgorithm() {
        return cipher;
    }

    @Override
    public boolean isAcceptablePublicKeyStrength(int algorithm, int bitStrength) {
        Integer minimum = PUBLIC_KEY_MINIMUM_BITS.get(algorithm);
        return minimum != null && bitStrength >= minimum;
    }

    @Override
    public long getMaximumDecompressedDataSize() {
        return maxPlaintextBytes;
    }

    /** No notation is known: a signature with a critical notation is not accepted. */
    @Override
    public OpenPGPNotationRegistry getNotationRegistry() {
        return NO_NOTATIONS;
    }
}
