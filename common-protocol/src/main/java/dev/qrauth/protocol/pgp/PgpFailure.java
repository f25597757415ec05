package dev.qrauth.protocol.pgp;

/** Why {@link OpenPgp#decryptAndVerify} refused a message. */
public enum PgpFailure {
    /** Not an OpenPGP message, truncated, or larger than the policy allows. */
    MALFORMED,
    /** Encrypted, but to keys other than ours. */
    NOT_FOR_US,
    /** Addressed to us, but the encryption's integrity check failed: the bytes were changed. */
    TAMPERED,
    /** A format or algorithm the {@link PgpPolicy} refuses, including an unencrypted message. */
    REFUSED_BY_POLICY,
    /** Decrypted, but carries no signature. */
    UNSIGNED,
    /** Signed only by keys that are not among the trusted signers. */
    UNKNOWN_SIGNER,
    /** Signed by a trusted signer, but the signature does not verify. */
    BAD_SIGNATURE
}
