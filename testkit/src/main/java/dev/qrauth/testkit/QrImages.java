package dev.qrauth.testkit;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.Result;
import com.google.zxing.ChecksumException;
import com.google.zxing.FormatException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** The text of the QR code in an image: the QR image itself, or a screenshot that shows it. */
final class QrImages {

    private QrImages() {
    }

    static String decode(byte[] image) {
        BufferedImage picture;
        try {
            picture = ImageIO.read(new ByteArrayInputStream(image));
        } catch (IOException e) {
            throw new UncheckedIOException("The image cannot be read", e);
        }
        if (picture == null) {
            throw new IllegalArgumentException("Not a PNG, JPEG or GIF image (" + image.length + " bytes)");
        }
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(picture)));
        // The QR image alone decodes as a pure code, which never misses; a screenshot needs the
        // detector, and of the detectors the multi-code one misses fewest codes.
        try {
            return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
        } catch (NotFoundException | ChecksumException | FormatException notPure) {
            // a screenshot: search for it below
        }
        Map<DecodeHintType, Object> search = Map.of(
                DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE),
                DecodeHintType.TRY_HARDER, Boolean.TRUE);
        try {
            Result[] found = new QRCodeMultiReader().decodeMultiple(bitmap, search);
            if (found.length > 0) {
                return found[0].getText();
            }
        } catch (NotFoundException e) {
            // try the single-code detector
        }
        try {
            return new QRCodeReader().decode(bitmap, search).getText();
        } catch (NotFoundException | ChecksumException | FormatException e) {
            throw new IllegalArgumentException("No QR code found in the image");
        }
    }
}
