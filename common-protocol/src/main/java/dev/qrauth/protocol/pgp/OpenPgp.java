package dev.qrauth.protocol.pgp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.bcpg.AEADAlgorithmTags;
import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.bcpg.PublicKeyEncSessionPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.EncryptedDataPacketType;
import org.bouncycastle.openpgp.api.MessageEncryptionMechanism;
import org.bouncycastle.openpgp.api.OpenPGPApi;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPEncryptionNegotiator;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPMessageGenerator;
import org.bouncycastle.openpgp.api.OpenPGPMessageInputStream;
import org.bouncycastle.openpgp.api.OpenPGPMessageOutputStream;
import org.bouncycastle.openpgp.api.OpenPGPMessageProcessor;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;

/**
 * The project's only door to OpenPGP: generate a key, read keys and certificates, encrypt and
 * sign, decrypt and verify. Built on Bouncy Castle's high-level {@code org.bouncycastle.openpgp.api};
 * no Bouncy Castle type appears in its signatures. Thread-safe; create one and share it.
 * {@code docs/PROTOCOL.md}, "OpenPGP profile".
 */
public final class OpenPgp {

    private final PgpPolicy policy;
    private final OpenPGPApi api;

    public OpenPgp(PgpPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy == null");
        this.api = new BcOpenPGPApi(new BouncyCastlePolicy(PgpPolicy.HashAlgorithm.SHA512.id,
                strongestCipher(policy).id, policy.maxMessageBytes()));
    }

    /** A facade on {@link PgpPolicy#DEFAULT}. */
    public static OpenPgp withDefaultPolicy() {
        return new OpenPgp(PgpPolicy.DEFAULT);
    }

    public PgpPolicy policy() {
        return policy;
    }

    /**
     * A new key of the policy's key version: an Ed25519 primary key that certifies, an Ed25519
     * subkey that signs and an X25519 subkey that encrypts.
     *
     * @param userId the user id bound to the key, such as a device or server name
     */
    public PgpKey generateKey(String userId) {
        Objects.requireNonNull(userId, "userId == null");
        try {
            return new PgpKey(api.generateKey(policy.keyVersion()).ed25519x25519Key(userId).build());
        } catch (PGPException e) {
            throw new IllegalStateException("key generation failed", e);
        }
    }

    /**
     * Reads an armored secret key written by {@link PgpKey#toArmoredSecret()}.
     *
     * @throws PgpFormatException when the text is no secret key, or the policy refuses it
     */
    public PgpKey readKey(String armored) {
        Objects.requireNonNull(armored, "armored == null");
        OpenPGPKey key;
        try {
            key = api.readKeyOrCertificate().parseKey(armored);
        } catch (IOException | RuntimeException e) {
            throw new PgpFormatException(PgpFailure.MALFORMED, "not an OpenPGP secret key", e);
        }
        if (key == null) {
            throw new PgpFormatException(PgpFailure.MALFORMED, "not an OpenPGP secret key", null);
        }
        checkAcceptable(key);
        return new PgpKey(key);
    }

    /**
     * Reads an armored public certificate, such as a device's enrollment certificate.
     *
     * @throws PgpFormatException when the text is no certificate, or the policy refuses it: a
     *                            key version or algorithm outside the policy, or no usable
     *                            signing and encryption keys
     */
    public PgpCertificate readCertificate(String armored) {
        Objects.requireNonNull(armored, "armored == null");
        OpenPGPCertificate certificate;
        try {
            certificate = api.readKeyOrCertificate().parseCertificate(armored);
        } catch (IOException | RuntimeException e) {
            throw new PgpFormatException(PgpFailure.MALFORMED, "not an OpenPGP certificate", e);
        }
        if (certificate == null || certificate.isSecretKey()) {
            throw new PgpFormatException(PgpFailure.MALFORMED, "not a public OpenPGP certificate", null);
        }
        checkAcceptable(certificate);
        return new PgpCertificate(certificate);
    }

    private void checkAcceptable(OpenPGPCertificate certificate) {
        OpenPGPComponentKey primary = certificate.getPrimaryKey();
        if (primary.getVersion() != policy.keyVersion()) {
            throw refused("key version " + primary.getVersion() + " is not " + policy.keyVersion());
        }
        List<OpenPGPComponentKey> signing = certificate.getSigningKeys();
        List<OpenPGPComponentKey> encryption = certificate.getEncryptionKeys();
        if (signing.isEmpty() || encryption.isEmpty()) {
            throw refused("the certificate needs a valid signing key and a valid encryption key");
        }
        for (OpenPGPComponentKey key : certificate.getKeys()) {
            if (!isAcceptedAlgorithm(key.getAlgorithm())) {
                throw refused("public-key algorithm " + key.getAlgorithm() + " is refused by policy");
            }
        }
    }

    private static PgpFormatException refused(String message) {
        return new PgpFormatException(PgpFailure.REFUSED_BY_POLICY, message, null);
    }

    /**
     * Signs {@code plaintext} with {@code signer} and encrypts it to {@code recipient}, in the
     * binary (unarmored) OpenPGP format, uncompressed.
     */
    public byte[] encryptAndSign(byte[] plaintext, PgpCertificate recipient, PgpKey signer) {
        Objects.requireNonNull(plaintext, "plaintext == null");
        Objects.requireNonNull(recipient, "recipient == null");
        Objects.requireNonNull(signer, "signer == null");
        ByteArrayOutputStream sink = new ByteArrayOutputStream(plaintext.length + 512);
        try {
            OpenPGPMessageGenerator generator = api.signAndOrEncryptMessage()
                    .addEncryptionCertificate(recipient.bc())
                    .addSigningKey(signer.bc())
                    .setArmored(false)
                    // Compressing before encrypting leaks length information and invites
                    // decompression bombs; the payloads are small JSON documents.
                    .setCompressionNegotiator((gen, pol) -> CompressionAlgorithmTags.UNCOMPRESSED)
                    .setPublicKeyBasedEncryptionNegotiator(new PolicyEncryption(policy));
            try (OpenPGPMessageOutputStream out = generator.open(sink)) {
                out.write(plaintext);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        } catch (PGPException e) {
            throw new IllegalStateException("encryption failed", e);
        }
        return sink.toByteArray();
    }

    /**
     * Decrypts {@code message} with {@code recipient} and verifies that one of
     * {@code trustedSigners} signed it. Total: any input gives a result, never an exception.
     * The checks run in this order, and the first that fails is the reason:
     * <ol>
     *   <li>size within the policy, else {@link PgpFailure#MALFORMED};</li>
     *   <li>an OpenPGP message, else {@link PgpFailure#MALFORMED};</li>
     *   <li>its session-key packets well formed, else {@link PgpFailure#MALFORMED}, and for
     *       keys of the policy's version and algorithms, else {@link PgpFailure#REFUSED_BY_POLICY};</li>
     *   <li>encrypted to {@code recipient}, else {@link PgpFailure#NOT_FOR_US};</li>
     *   <li>integrity intact, else {@link PgpFailure#TAMPERED};</li>
     *   <li>encrypted the way the policy asks, else {@link PgpFailure#REFUSED_BY_POLICY};</li>
     *   <li>signed, else {@link PgpFailure#UNSIGNED};</li>
     *   <li>signed by a trusted signer, else {@link PgpFailure#UNKNOWN_SIGNER};</li>
     *   <li>that signature valid, else {@link PgpFailure#BAD_SIGNATURE};</li>
     *   <li>signed with an algorithm and hash the policy accepts, else {@link PgpFailure#REFUSED_BY_POLICY}.</li>
     * </ol>
     */
    public PgpVerification decryptAndVerify(byte[] message, PgpKey recipient,
                                            Collection<PgpCertificate> trustedSigners) {
        Objects.requireNonNull(message, "message == null");
        Objects.requireNonNull(recipient, "recipient == null");
        Objects.requireNonNull(trustedSigners, "trustedSigners == null");
        if (message.length == 0 || message.length > policy.maxMessageBytes()) {
            return failed(PgpFailure.MALFORMED, "message size " + message.length + " outside 1.."
                    + policy.maxMessageBytes());
        }
        PgpFailure sessionKeyProblem = checkSessionKeyPackets(message);
        if (sessionKeyProblem != null) {
            return failed(sessionKeyProblem, "session-key packet refused");
        }
        List<KeyIdentifier> missingKeys = new ArrayList<>();
        List<KeyIdentifier> unknownSigners = new ArrayList<>();
        OpenPGPMessageProcessor processor = api.decryptAndOrVerifyMessage()
                .addDecryptionKey(recipient.bc())
                .setMissingOpenPGPKeyProvider(id -> {
                    missingKeys.add(id);
                    return null;
                })
                .setMissingOpenPGPCertificateProvider(id -> {
                    unknownSigners.add(id);
                    return null;
                });
        for (PgpCertificate signer : trustedSigners) {
            processor.addVerificationCertificate(signer.bc());
        }

        OpenPGPMessageInputStream in;
        try {
            in = processor.process(new ByteArrayInputStream(message));
        } catch (PGPException e) {
            // Either no session key names our key, or one does and will not decrypt with it.
            return missingKeys.isEmpty()
                    ? failed(PgpFailure.TAMPERED, "the session key for our key does not decrypt")
                    : failed(PgpFailure.NOT_FOR_US, "encrypted to other keys");
        } catch (IOException | RuntimeException e) {
            return failed(PgpFailure.MALFORMED, "not an OpenPGP message");
        }
        byte[] payload;
        try (in) {
            payload = in.readNBytes(policy.maxMessageBytes() + 1);
        } catch (IOException e) {
            return failed(PgpFailure.TAMPERED, "integrity check failed");
        } catch (RuntimeException e) {
            return failed(PgpFailure.MALFORMED, "not an OpenPGP message");
        }
        if (payload.length > policy.maxMessageBytes()) {
            return failed(PgpFailure.MALFORMED, "plaintext larger than " + policy.maxMessageBytes());
        }
        OpenPGPMessageInputStream.Result result = in.getResult();

        PgpFailure encryptionProblem = checkEncryption(result.getEncryptionMethod());
        if (encryptionProblem != null) {
            return failed(encryptionProblem, "encryption " + result.getEncryptionMethod() + " refused by policy");
        }
        return checkSignatures(result.getSignatures(), unknownSigners, payload);
    }

    /**
     * A detached signature by {@code signer}'s signing key over {@code data}, in the binary
     * OpenPGP format: for things that are kept and shown apart from their signature, such as a
     * receipt ({@code docs/PROTOCOL.md}, "Receipts").
     */
    public byte[] signDetached(byte[] data, PgpKey signer) {
        Objects.requireNonNull(data, "data == null");
        Objects.requireNonNull(signer, "signer == null");
        try {
            List<OpenPGPDocumentSignature> signatures = api.createDetachedSignature()
                    .addSigningKey(signer.bc())
                    .sign(new ByteArrayInputStream(data));
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            for (OpenPGPDocumentSignature signature : signatures) {
                out.write(signature.getSignature().getEncoded());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("signing in memory", e);
        } catch (PGPException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /**
     * Checks a detached {@code signature} over {@code data} against {@code trustedSigners}.
     * Total, like {@link #decryptAndVerify}; the checks run in this order:
     * <ol>
     *   <li>a signature packet within the policy's size, else {@link PgpFailure#MALFORMED};</li>
     *   <li>made by a trusted signer, else {@link PgpFailure#UNKNOWN_SIGNER};</li>
     *   <li>valid over exactly these bytes, else {@link PgpFailure#BAD_SIGNATURE};</li>
     *   <li>with an algorithm and hash the policy accepts, else {@link PgpFailure#REFUSED_BY_POLICY}.</li>
     * </ol>
     * On success the result's payload is {@code data}.
     */
    public PgpVerification verifyDetached(byte[] data, byte[] signature, Collection<PgpCertificate> trustedSigners) {
        Objects.requireNonNull(data, "data == null");
        Objects.requireNonNull(signature, "signature == null");
        Objects.requireNonNull(trustedSigners, "trustedSigners == null");
        if (signature.length == 0 || signature.length > 4096) {
            return failed(PgpFailure.MALFORMED, "signature size " + signature.length + " outside 1..4096");
        }
        var processor = api.verifyDetachedSignature();
        for (PgpCertificate signer : trustedSigners) {
            processor.addVerificationCertificate(signer.bc());
        }
        List<OpenPGPDocumentSignature> signatures;
        try {
            processor.addSignatures(new ByteArrayInputStream(signature));
            signatures = processor.process(new ByteArrayInputStream(data));
        } catch (IOException | RuntimeException e) {
            return failed(PgpFailure.MALFORMED, "not an OpenPGP signature");
        }
        if (signatures.isEmpty()) {
            return failed(PgpFailure.UNKNOWN_SIGNER, "not signed by a trusted key");
        }
        PgpVerification firstFailure = null;
        for (OpenPGPDocumentSignature candidate : signatures) {
            PgpVerification outcome = checkDetached(candidate, data);
            if (outcome instanceof PgpVerification.Verified) {
                return outcome;
            }
            if (firstFailure == null) {
                firstFailure = outcome;
            }
        }
        return firstFailure;
    }

    private PgpVerification checkDetached(OpenPGPDocumentSignature signature, byte[] data) {
        if (signature.getIssuer() == null) {
            return failed(PgpFailure.UNKNOWN_SIGNER, "not signed by a trusted key");
        }
        return check(signature, data);
    }

    /**
     * Bouncy Castle finds the session key by fingerprint and does not look at the key-version
     * byte in front of it, which no integrity check covers either. Checking those packets here
     * means no byte of a message can change without the message being refused.
     */
    private PgpFailure checkSessionKeyPackets(byte[] message) {
        try {
            BCPGInputStream packets = new BCPGInputStream(new ByteArrayInputStream(message));
            while (packets.nextPacketTag() == PacketTags.PUBLIC_KEY_ENC_SESSION) {
                PublicKeyEncSessionPacket packet = (PublicKeyEncSessionPacket) packets.readPacket();
                if (packet.getVersion() == PublicKeyEncSessionPacket.VERSION_6) {
                    int fingerprintLength = packet.getKeyFingerprint().length;
                    int keyVersion = packet.getKeyVersion();
                    boolean consistent = (keyVersion == 6 && fingerprintLength == 32)
                            || (keyVersion == 4 && fingerprintLength == 20);
                    if (!consistent) {
                        return PgpFailure.MALFORMED;
                    }
                    if (keyVersion != policy.keyVersion()) {
                        return PgpFailure.REFUSED_BY_POLICY;
                    }
                } else if (policy.keyVersion() == 6) {
                    return PgpFailure.REFUSED_BY_POLICY;
                }
                if (!isAcceptedAlgorithm(packet.getAlgorithm())) {
                    return PgpFailure.REFUSED_BY_POLICY;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return PgpFailure.MALFORMED;
        }
    }

    private PgpFailure checkEncryption(MessageEncryptionMechanism mechanism) {
        if (mechanism == null || !mechanism.isEncrypted()) {
            return PgpFailure.REFUSED_BY_POLICY;
        }
        boolean aead = mechanism.getMode() == EncryptedDataPacketType.SEIPDv2;
        boolean integrityProtected = aead || mechanism.getMode() == EncryptedDataPacketType.SEIPDv1;
        if (!integrityProtected || (policy.requireAead() && !aead)) {
            return PgpFailure.REFUSED_BY_POLICY;
        }
        for (PgpPolicy.SymmetricAlgorithm cipher : policy.symmetricAlgorithms()) {
            if (cipher.id == mechanism.getSymmetricKeyAlgorithm()) {
                return null;
            }
        }
        return PgpFailure.REFUSED_BY_POLICY;
    }

    private PgpVerification checkSignatures(List<OpenPGPDocumentSignature> signatures,
                                            List<KeyIdentifier> unknownSigners, byte[] payload) {
        if (signatures.isEmpty()) {
            return unknownSigners.isEmpty()
                    ? failed(PgpFailure.UNSIGNED, "no signature")
                    : failed(PgpFailure.UNKNOWN_SIGNER, "signed by a key that is not trusted");
        }
        PgpVerification firstFailure = null;
        for (OpenPGPDocumentSignature signature : signatures) {
            PgpVerification outcome = check(signature, payload);
            if (outcome instanceof PgpVerification.Verified) {
                return outcome;
            }
            if (firstFailure == null) {
                firstFailure = outcome;
            }
        }
        return firstFailure;
    }

    private PgpVerification check(OpenPGPDocumentSignature signature, byte[] payload) {
        boolean valid;
        try {
            valid = signature.isValid();
        } catch (PGPException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            return failed(PgpFailure.BAD_SIGNATURE, "signature does not verify");
        }
        OpenPGPComponentKey issuer = signature.getIssuer();
        if (!isAcceptedAlgorithm(issuer.getAlgorithm())
                || !isAcceptedHash(signature.getSignature().getHashAlgorithm())) {
            return failed(PgpFailure.REFUSED_BY_POLICY, "signature algorithm refused by policy");
        }
        return new PgpVerification.Verified(payload, Fingerprints.of(signature.getIssuerCertificate()));
    }

    private boolean isAcceptedAlgorithm(int algorithm) {
        for (PgpPolicy.PublicKeyAlgorithm accepted : policy.publicKeyAlgorithms()) {
            if (accepted.id == algorithm) {
                return true;
            }
        }
        return false;
    }

    private boolean isAcceptedHash(int hash) {
        for (PgpPolicy.HashAlgorithm accepted : policy.hashAlgorithms()) {
            if (accepted.id == hash) {
                return true;
            }
        }
        return false;
    }

    private static PgpVerification failed(PgpFailure reason, String detail) {
        return new PgpVerification.Failed(reason, detail);
    }

    private static PgpPolicy.SymmetricAlgorithm strongestCipher(PgpPolicy policy) {
        PgpPolicy.SymmetricAlgorithm strongest = null;
        for (PgpPolicy.SymmetricAlgorithm cipher : policy.symmetricAlgorithms()) {
            if (strongest == null || cipher.id > strongest.id) {
                strongest = cipher;
            }
        }
        return strongest;
    }

    /** Always the policy's strongest cipher, in OCB (SEIPD v2) unless the policy allows SEIPD v1. */
    private static final class PolicyEncryption extends OpenPGPEncryptionNegotiator {
        private final MessageEncryptionMechanism mechanism;

        PolicyEncryption(PgpPolicy policy) {
            int cipher = strongestCipher(policy).id;
            this.mechanism = policy.requireAead() || policy.keyVersion() == 6
                    ? MessageEncryptionMechanism.aead(cipher, AEADAlgorithmTags.OCB)
                    : MessageEncryptionMechanism.integrityProtected(cipher);
        }

        @Override
        public MessageEncryptionMechanism negotiateEncryption(OpenPGPMessageGenerator generator) {
            return mechanism;
        }
    }
}
