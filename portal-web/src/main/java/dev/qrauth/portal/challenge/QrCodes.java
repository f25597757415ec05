package dev.qrauth.portal.challenge;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Draws the QR code of an OTP as a PNG. */
final class QrCodes {

    /** Big enough for a phone camera at arm's length; ZXing scales the modules by a whole number. */
    static final int SIZE = 320;

    private static final Map<EncodeHintType, Object> HINTS = Map.of(
            // M survives a smudged screen or a reflection and keeps the code small.
            EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
            // The four-module quiet zone the standard asks for.
            EncodeHintType.MARGIN, 4);

    private QrCodes() {
    }

    static byte[] png(String text) {
        try {
            BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, SIZE, SIZE, HINTS);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MatrixToImageWriter.writeToStream(matrix, "PNG", out);
            return out.toByteArray();
        } catch (WriterException e) {
            // An OTP is at most 1,024 ASCII characters, well within a QR code's capacity.
            throw new IllegalArgumentException("cannot draw a QR code of " + text.length() + " characters", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
