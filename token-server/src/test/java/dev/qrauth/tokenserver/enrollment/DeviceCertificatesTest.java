package dev.qrauth.tokenserver.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpFormatException;
import org.junit.jupiter.api.Test;

class DeviceCertificatesTest {

    private final OpenPgp pgp = OpenPgp.withDefaultPolicy();
    private final DeviceCertificates certificates = new DeviceCertificates(pgp);

    @Test
    void theSameStoredTextIsParsedOnce() {
        String stored = pgp.generateKey("device").certificate().toArmoredString();

        assertThat(certificates.of(stored)).isSameAs(certificates.of(stored));
    }

    @Test
    void aReEnrolledDeviceGetsItsNewCertificate() {
        String before = pgp.generateKey("device").certificate().toArmoredString();
        String after = pgp.generateKey("device").certificate().toArmoredString();

        assertThat(certificates.of(before).fingerprint()).isNotEqualTo(certificates.of(after).fingerprint());
        assertThat(certificates.of(after).fingerprint()).isEqualTo(pgp.readCertificate(after).fingerprint());
    }

    @Test
    void textThatIsNotACertificateIsStillRefused() {
        assertThatThrownBy(() -> certificates.of("not a certificate")).isInstanceOf(PgpFormatException.class);
    }
}
