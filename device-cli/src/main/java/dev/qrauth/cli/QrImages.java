package dev.qrauth.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Reads the text of the QR code in a PNG or JPEG, such as a screenshot of the login page. */
final class QrImages {

    private QrImages() {
    }

    static String decode(Path image) {
        if (!Files.isRegularFile(image)) {
            throw new UsageException("No such image: " + image);
        }
        BufferedImage picture;
        try {
            picture = ImageIO.read(image.toFile());
        } catch (IOException e) {
            throw new UsageException("Cannot read the image " + image + ": " + e.getMessage());
        }
        if (picture == null) {
            throw new UsageException(image + " is not a PNG or JPEG image.");
        }
        Map<DecodeHintType, Object> hints = Map.of(
                DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE),
                DecodeHintType.TRY_HARDER, Boolean.TRUE);
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(picture)));
        // The multi-code reader weighs more candidate finder patterns; the single-code reader
        // misses some codes (about one in a hundred OTPs at screenshot sizes) whose data happens
        // to look like a finder pattern.
        try {
            Result[] found = new QRCodeMultiReader().decodeMultiple(bitmap, hints);
            if (found.length > 0) {
                return found[0].getText();
            }
        } catch (NotFoundException e) {
            // try the single-code reader below
        }
        try {
            return new MultiFormatReader().decode(bitmap, hints).getText();
        } catch (NotFoundException e) {
            throw new UsageException("No QR code found in " + image + ".");
        }
    }
}
