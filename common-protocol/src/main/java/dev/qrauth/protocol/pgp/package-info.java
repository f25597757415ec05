/**
 * A small OpenPGP facade: {@link dev.qrauth.protocol.pgp.OpenPgp} generates keys, reads and
 * writes armored keys and certificates, encrypts and signs, and decrypts and verifies with a
 * typed result. An immutable {@link dev.qrauth.protocol.pgp.PgpPolicy} names the algorithms.
 *
 * <p>It does not store keys, protect secret keys at rest, or decide whom to trust: callers pass
 * the trusted signer certificates to every verification.
 */
package dev.qrauth.protocol.pgp;
