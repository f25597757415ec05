package dev.qrauth.protocol.pgp;

import java.util.Arrays;
import java.util.Objects;

/** The outcome of {@link OpenPgp#decryptAndVerify}: verified plaintext, or a typed failure. */
public sealed interface PgpVerification {

    /**
     * The message was for us, intact, and signed by a trusted signer.
     *
     * @param payload           the decrypted bytes, exactly as signed
     * @param signerFingerprint the primary-key fingerprint of the certificate that signed
     */
    record Verified(byte[] payload, String signerFingerprint) implements PgpVerification {
        public Verified {
            payload = Objects.requireNonNull(payload, "payload == null").clone();
            Objects.requireNonNull(signerFingerprint, "signerFingerprint == null");
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Verified other
                    && Arrays.equals(payload, other.payload)
                    && signerFingerprint.equals(other.signerFingerprint);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(payload) + signerFingerprint.hashCode();
        }

        @Override
        public String toString() {
            return "Verified[" + payload.length + " bytes, signer=" + signerFingerprint + "]";
        }
    }

    /**
     * The message was refused.
     *
     * @param reason what was wrong
     * @param detail a short explanation for logs; never contains plaintext
     */
    record Failed(PgpFailure reason, String detail) implements PgpVerification {
        public Failed {
            Objects.requireNonNull(reason, "reason == null");
            Objects.requireNonNull(detail, "detail == null");
        }
    }
}
