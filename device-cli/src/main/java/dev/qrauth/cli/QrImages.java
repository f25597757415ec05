package dev.qrauth.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Reads the text of the QR code in an image, as a phone's camera would: the QR image itself (the
 * PNG a portal serves) or a screenshot that shows it among other things, in any format the JDK
 * reads (PNG, JPEG, GIF, BMP), dark on light or inverted.
 *
 * <p>This is the project's one QR decoder: {@code otp-device scan --image} reads screenshots with
 * it, and the test kit's virtual phone and the portal's tests read login pages with it. It decodes
 * only; it says nothing about whether the text is an OTP.
 */
public final class QrImages {

    private static final Map<DecodeHintType, Object> SEARCH = Map.of(
            DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE),
            DecodeHintType.TRY_HARDER, Boolean.TRUE);

    private QrImages() {
    }

    /**
     * The text of the QR code in the image file {@code image}.
     *
     * @throws UnreadableQrImageException when the file does not exist, cannot be read, is not an
     *                                    image, or shows no QR code that can be read; the message
     *                                    names the file and says which
     */
    public static String decode(Path image) {
        if (!Files.isRegularFile(image)) {
            throw new UnreadableQrImageException("No such image: " + image);
        }
        BufferedImage picture;
        try {
            picture = ImageIO.read(image.toFile());
        } catch (IOException e) {
            throw new UnreadableQrImageException("Cannot read the image " + image + ": " + e.getMessage());
        }
        if (picture == null) {
            throw new UnreadableQrImageException(image + " is not a PNG, JPEG or GIF image.");
        }
        return decode(picture, image.toString());
    }

    /**
     * The text of the QR code in {@code image}, the bytes of an image file (such as a browser's
     * screenshot or a portal's QR image).
     *
     * @throws UnreadableQrImageException when the bytes are not an image, or it shows no QR code
     *                                    that can be read
     */
    public static String decode(byte[] image) {
        BufferedImage picture;
        try {
            picture = ImageIO.read(new ByteArrayInputStream(image));
        } catch (IOException e) {
            throw new UnreadableQrImageException("The image cannot be read: " + e.getMessage());
        }
        if (picture == null) {
            throw new UnreadableQrImageException("Not a PNG, JPEG or GIF image (" + image.length + " bytes).");
        }
        return decode(picture, "the image");
    }

    private static String decode(BufferedImage picture, String name) {
        LuminanceSource image = new BufferedImageLuminanceSource(picture);
        // A page in a dark theme may show the code light on dark: its negative is read second.
        for (LuminanceSource candidate : List.of(image, image.invert())) {
            Optional<String> text = find(new BinaryBitmap(new HybridBinarizer(candidate)));
            if (text.isPresent()) {
                return text.get();
            }
        }
        throw new UnreadableQrImageException("No QR code found in " + name + ".");
    }

    private static Optional<String> find(BinaryBitmap bitmap) {
        // The multi-code detector weighs more candidate finder patterns: it found every one of
        // thousands of generated OTP codes, where the single-code one misses about one in fifty
        // whose data happens to look like a finder pattern. No pure-code reading first, then: it
        // found nothing the multi-code detector missed.
        try {
            Result[] found = new QRCodeMultiReader().decodeMultiple(bitmap, SEARCH);
            if (found.length > 0) {
                return Optional.of(found[0].getText());
            }
        } catch (NotFoundException e) {
            // try the single-code detector
        }
        try {
            return Optional.of(new QRCodeReader().decode(bitmap, SEARCH).getText());
        } catch (NotFoundException | ChecksumException | FormatException e) {
            return Optional.empty();
        }
    }

    /** An image that gives no QR code text: missing, unreadable, not an image, or without a readable code. */
    public static final class UnreadableQrImageException extends IllegalArgumentException {

        UnreadableQrImageException(String message) {
            super(message);
        }
    }
}
