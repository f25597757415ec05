/**
 * The envelopes exchanged between token server and device: the mobile-auth message and answer
 * that travel inside OpenPGP, the sealed form they travel in, and the enrollment request and
 * response. Each is an immutable record that checks its fields on construction; JSON member
 * names follow {@code docs/PROTOCOL.md}.
 *
 * <p>It does not encrypt, sign, or decide whether an answer is acceptable for a transaction.
 */
package dev.qrauth.protocol.message;
