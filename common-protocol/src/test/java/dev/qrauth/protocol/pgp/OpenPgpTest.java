package dev.qrauth.protocol.pgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.api.MessageEncryptionMechanism;
import org.bouncycastle.openpgp.api.OpenPGPApi;
import org.bouncycastle.openpgp.api.OpenPGPEncryptionNegotiator;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPMessageGenerator;
import org.bouncycastle.openpgp.api.OpenPGPMessageOutputStream;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OpenPgpTest {

    static final OpenPgp PGP = OpenPgp.withDefaultPolicy();
    static final byte[] PLAINTEXT = "{\"transaction_id\":\"6f1c2a9e-3b7d-4c1e-9a55-0d2f8b7e4c10\"}"
            .getBytes(StandardCharsets.UTF_8);

    static PgpKey server;
    static PgpKey device;
    static PgpKey otherDevice;

    @BeforeAll
    static void generateKeys() {
        server = PGP.generateKey("token-server");
        device = PGP.generateKey("device");
        otherDevice = PGP.generateKey("other-device");
    }

    static PgpFailure failureOf(PgpVerification verification) {
        assertThat(verification).isInstanceOf(PgpVerification.Failed.class);
        return ((PgpVerification.Failed) verification).reason();
    }

    @Nested
    class Keys {
        @Test
        void generatesV6Ed25519KeysWithAnX25519Subkey() {
            String armored = device.certificate().toArmoredString();
            assertThat(armored).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
            assertThat(device.fingerprint()).matches("[0-9A-F]{64}");
            assertThat(device.fingerprint()).isNotEqualTo(otherDevice.fingerprint());
        }

        @Test
        void certificateRoundTripsThroughArmor() {
            PgpCertificate read = PGP.readCertificate(device.certificate().toArmoredString());
            assertThat(read).isEqualTo(device.certificate());
            assertThat(read.fingerprint()).isEqualTo(device.fingerprint());
            assertThat(read.toArmoredString()).isEqualTo(device.certificate().toArmoredString());
        }

        @Test
        void secretKeyRoundTripsThroughArmorAndStillDecrypts() {
            PgpKey read = PGP.readKey(device.toArmoredSecret());
            assertThat(read.fingerprint()).isEqualTo(device.fingerprint());
            byte[] message = PGP.encryptAndSign(PLAINTEXT, device.certificate(), server);
            assertThat(PGP.decryptAndVerify(message, read, List.of(server.certificate())))
                    .isEqualTo(new PgpVerification.Verified(PLAINTEXT, server.fingerprint()));
        }

        @Test
        void toStringNeverShowsSecretMaterial() {
            assertThat(device.toString()).doesNotContain("PRIVATE").contains(device.fingerprint());
        }

        @Test
        void garbageIsNotACertificate() {
            assertThatThrownBy(() -> PGP.readCertificate("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n"))
                    .isInstanceOf(PgpFormatException.class)
                    .extracting(e -> ((PgpFormatException) e).reason()).isEqualTo(PgpFailure.MALFORMED);
            assertThatThrownBy(() -> PGP.readCertificate("hello"))
                    .isInstanceOf(PgpFormatException.class);
        }

        @Test
        void aSecretKeyIsNotAcceptedAsACertificate() {
            assertThatThrownBy(() -> PGP.readCertificate(device.toArmoredSecret()))
                    .isInstanceOf(PgpFormatException.class)
                    .extracting(e -> ((PgpFormatException) e).reason()).isEqualTo(PgpFailure.MALFORMED);
        }

        @Test
        void aVersion4CertificateIsRefusedByPolicy() throws Exception {
            OpenPGPKey v4 = new BcOpenPGPApi().generateKey(4).ed25519x25519Key("legacy").build();
            assertThatThrownBy(() -> PGP.readCertificate(v4.toCertificate().toAsciiArmoredString()))
                    .isInstanceOf(PgpFormatException.class)
                    .extracting(e -> ((PgpFormatException) e).reason()).isEqualTo(PgpFailure.REFUSED_BY_POLICY);
        }

        @Test
        void aSignOnlyCertificateIsRefusedByPolicy() throws Exception {
            OpenPGPKey signOnly = new BcOpenPGPApi().generateKey(6).signOnlyKey().build();
            assertThatThrownBy(() -> PGP.readCertificate(signOnly.toCertificate().toAsciiArmoredString()))
                    .isInstanceOf(PgpFormatException.class)
                    .extracting(e -> ((PgpFormatException) e).reason()).isEqualTo(PgpFailure.REFUSED_BY_POLICY);
        }
    }

    @Nested
    class EncryptAndVerify {
        @Test
        void theRightKeyDecryptsAndNamesTheSigner() {
            byte[] message = PGP.encryptAndSign(PLAINTEXT, device.certificate(), server);
            PgpVerification result = PGP.decryptAndVerify(message, device, List.of(server.certificate()));
            assertThat(result).isEqualTo(new PgpVerification.Verified(PLAINTEXT, server.fingerprint()));
        }

        @Test
        void theSignerIsPickedAmongSeveralTrustedCertificates() {
            byte[] message = PGP.encryptAndSign(PLAINTEXT, server.certificate(), device);
            PgpVerification result = PGP.decryptAndVerify(message, server,
                    List.of(otherDevice.certificate(), device.certificate()));
            assertThat(result).isEqualTo(new PgpVerification.Verified(PLAINTEXT, device.fingerprint()));
        }

        @Test
        void theCiphertextDoesNotContainThePlaintext() {
            byte[] message = PGP.encryptAndSign(PLAINTEXT, device.certificate(), server);
            assertThat(new String(message, StandardCharsets.ISO_8859_1)).doesNotContain("transaction_id");
        }

        @Test
        void oneFlippedByteAnywhereIsRejected() {
            byte[] message = PGP.encryptAndSign(PLAINTEXT, device.certificate(), server);
            for (int i = 0; i < message.length; i++) {
                for (int bit : new int[] {0x01, 0x80}) {
                    byte[] tampered = message.clone();
                    tampered[i] ^= (byte) bit;
                    PgpVerification result = PGP.decryptAndVerify(tampered, device, List.of(server.certificate()));
                    assertThat(result)
                            .as("byte %d bit %x", i, bit)
                            .isInstanceOf(PgpVerification.Failed.class);
                }
            }
        }

        @Test
        void aTruncatedMessageIsRejected() {
            byte[] message = PGP.encryptAndSign(PLAINTEXT, device.certificate(), server);
            for (int length : new int[] {1, 10, message.length / 2, message.length - 1}) {
                byte[] truncated = java.util.Arrays.copyOf(message, length);
                assertThat(PGP.decryptAndVerify(truncated, device, List.of(server.certificate())))
                        .as("length %d", length)
                        .isInstanceOf(PgpVerification.Failed.class);
            }
        }

        @Test
        void aMessageForAnotherKeyIsNotForUs() {
            byte[] message = PGP.encryptAndSign(PLAINTEXT, otherDevice.certificate(), server);
            assertThat(failureOf(PGP.decryptAndVerify(message, device, List.of(server.certificate()))))
                    .isEqualTo(PgpFailure.NOT_FOR_US);
        }

        @Test
        void aMessageSignedByAnUntrustedKeyNamesAnUnknownSigner() {
            byte[] message = PGP.encryptAndSign(PLAINTEXT, server.certificate(), otherDevice);
            assertThat(failureOf(PGP.decryptAndVerify(message, server, List.of(device.certificate()))))
                    .isEqualTo(PgpFailure.UNKNOWN_SIGNER);
        }

        @Test
        void withNoTrustedSignersNothingVerifies() {
            byte[] message = PGP.encryptAndSign(PLAINTEXT, server.certificate(), device);
            assertThat(failureOf(PGP.decryptAndVerify(message, server, List.of())))
                    .isEqualTo(PgpFailure.UNKNOWN_SIGNER);
        }

        @Test
        void anUnsignedMessageIsRejected() throws Exception {
            byte[] message = encryptWith(new BcOpenPGPApi().signAndOrEncryptMessage()
                    .addEncryptionCertificate(device.certificate().bc()));
            assertThat(failureOf(PGP.decryptAndVerify(message, device, List.of(server.certificate()))))
                    .isEqualTo(PgpFailure.UNSIGNED);
        }

        @Test
        void aSignedButUnencryptedMessageIsRefusedByPolicy() throws Exception {
            byte[] message = encryptWith(new BcOpenPGPApi().signAndOrEncryptMessage()
                    .addSigningKey(server.bc()));
            assertThat(failureOf(PGP.decryptAndVerify(message, device, List.of(server.certificate()))))
                    .isEqualTo(PgpFailure.REFUSED_BY_POLICY);
        }

        @Test
        void encryptionWithoutAeadIsRefusedByPolicy() throws Exception {
            OpenPGPApi api = new BcOpenPGPApi();
            byte[] message = encryptWith(api.signAndOrEncryptMessage()
                    .addEncryptionCertificate(device.certificate().bc())
                    .addSigningKey(server.bc())
                    .setPublicKeyBasedEncryptionNegotiator(new OpenPGPEncryptionNegotiator() {
                        @Override
                        public MessageEncryptionMechanism negotiateEncryption(OpenPGPMessageGenerator generator) {
                            return MessageEncryptionMechanism.integrityProtected(SymmetricKeyAlgorithmTags.AES_256);
                        }
                    }));
            assertThat(failureOf(PGP.decryptAndVerify(message, device, List.of(server.certificate()))))
                    .isEqualTo(PgpFailure.REFUSED_BY_POLICY);
        }

        @Test
        void garbageEmptyAndOversizedInputAreMalformed() {
            assertThat(failureOf(PGP.decryptAndVerify("hello".getBytes(StandardCharsets.UTF_8), device,
                    List.of(server.certificate())))).isEqualTo(PgpFailure.MALFORMED);
            assertThat(failureOf(PGP.decryptAndVerify(new byte[0], device, List.of(server.certificate()))))
                    .isEqualTo(PgpFailure.MALFORMED);
            byte[] huge = new byte[PgpPolicy.DEFAULT.maxMessageBytes() + 1];
            assertThat(failureOf(PGP.decryptAndVerify(huge, device, List.of(server.certificate()))))
                    .isEqualTo(PgpFailure.MALFORMED);
        }

        @Test
        void aLargeMessageWithinThePolicyVerifies() {
            byte[] large = new byte[16 * 1024];
            byte[] message = PGP.encryptAndSign(large, device.certificate(), server);
            assertThat(PGP.decryptAndVerify(message, device, List.of(server.certificate())))
                    .isInstanceOf(PgpVerification.Verified.class);
        }

        private byte[] encryptWith(OpenPGPMessageGenerator generator) throws Exception {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (OpenPGPMessageOutputStream out = generator.setArmored(false).open(sink)) {
                out.write(PLAINTEXT);
            }
            return sink.toByteArray();
        }
    }

    @Nested
    class Policy {
        @Test
        void refusesAPolicyThatWouldRefuseItsOwnKeys() {
            assertThatThrownBy(() -> new PgpPolicy(6, java.util.EnumSet.of(PgpPolicy.PublicKeyAlgorithm.ED448),
                    PgpPolicy.DEFAULT.symmetricAlgorithms(), PgpPolicy.DEFAULT.hashAlgorithms(), true, 4096))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void theDefaultPolicyIsImmutable() {
            assertThatThrownBy(() -> PgpPolicy.DEFAULT.publicKeyAlgorithms().add(PgpPolicy.PublicKeyAlgorithm.X448))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
