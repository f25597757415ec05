package dev.qrauth.protocol.pgp;

import java.util.HexFormat;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;

final class Fingerprints {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Fingerprints() {
    }

    static String of(OpenPGPCertificate certificate) {
        return HEX.formatHex(certificate.getFingerprint());
    }
}
