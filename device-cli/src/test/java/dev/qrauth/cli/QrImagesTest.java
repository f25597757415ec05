package dev.qrauth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import dev.qrauth.protocol.otp.OtpCode;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpPayload;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QrImagesTest {

    static final String OTP = OtpCodec.encode(new OtpPayload(UUID.randomUUID(), OtpCode.generate(new SecureRandom())));

    @TempDir
    Path directory;

    static BufferedImage qr(String text, int size) throws Exception {
        return MatrixToImageWriter.toBufferedImage(new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, size, size,
                Map.of(EncodeHintType.MARGIN, 2)));
    }

    /** {@code image} in colour, as JPEG, BMP and screenshots have it. */
    static BufferedImage rgb(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        return rgb;
    }

    static byte[] bytes(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).as("a writer for " + format).isTrue();
        return out.toByteArray();
    }

    /**
     * A real screenshot of the login page (from an end-to-end run) whose code ZXing's
     * single-code reader misreads: it finds the code but fails its checksum.
     */
    @Test
    void decodesAScreenshotThatTheSingleCodeReaderMisreads() throws Exception {
        Path screenshot = directory.resolve("login-page.png");
        try (var in = QrImagesTest.class.getResourceAsStream("/login-page-single-reader-misreads.png")) {
            Files.copy(in, screenshot);
        }
        String text = QrImages.decode(screenshot);
        assertThat(OtpCodec.decode(text)).isInstanceOf(dev.qrauth.protocol.otp.OtpDecoding.Accepted.class);
        assertThat(text).startsWith("eyJ0cmFuc2FjdGlvbl9pZCI6IjMxZWI0ZGJm");
    }

    @ParameterizedTest
    @CsvSource({"120,png", "300,png", "800,png", "300,jpg", "800,jpg"})
    void decodesQrCodesOfSeveralSizesAndFormats(int size, String format) throws Exception {
        Path file = directory.resolve("qr." + format);
        BufferedImage image = format.equals("jpg") ? rgb(qr(OTP, size)) : qr(OTP, size);
        assertThat(ImageIO.write(image, format.equals("jpg") ? "jpeg" : "png", file.toFile())).isTrue();
        assertThat(QrImages.decode(file)).isEqualTo(OTP);
    }

    /** Texts whose codes the plain single-code reader cannot find at these sizes. */
    @ParameterizedTest
    @CsvSource({
            "2HhUAd86YEKkM/9vGoZHypbqLK0NqDU1Nsx4dEh+UtembldxfOqMcBRaMLjxTXNC3npsIEbkjJhSCORVzjmnvHYI4j9HlLfuO8aGesboQW4An3ThBPhq9GBNQ1dy8hyslZohXMinc9jz9GCq3Q==,300",
            "2HhUAd86YEKkM/9vGoZHypbqLK0NqDU1Nsx4dEh+UtembldxfOqMcBRaMLjxTXNC3npsIEbkjJhSCORVzjmnvHYI4j9HlLfuO8aGesboQW4An3ThBPhq9GBNQ1dy8hyslZohXMinc9jz9GCq3Q==,800",
            "dwlbhsK8JaT9DJWfWiarZJzB2YLxJ2juupr1Jv8jocCrEw3xhJYq2uSzesGOTZiAMce0bN7FDD0AHkTWFqOA2fSc51cbzcDnYigSq4o4Kk1p3+6nddY/5r5zeLnEJ6PkaAZmuumKRq39Hr1IzA==,300"})
    void decodesCodesThatLookLikeExtraFinderPatterns(String text, int size) throws Exception {
        Path file = directory.resolve("hard.png");
        ImageIO.write(qr(text, size), "png", file.toFile());
        assertThat(QrImages.decode(file)).isEqualTo(text);
    }

    @Test
    void decodesTheCodeFromABrowserScreenshot() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assumeTrue(Files.isExecutable(chromium),
                "Chromium is not installed; install it with: apt-get install -y chromium chromium-driver");
        Path png = directory.resolve("qr.png");
        ImageIO.write(qr(OTP, 300), "png", png.toFile());
        Path page = directory.resolve("login.html");
        Files.writeString(page, "<!DOCTYPE html><html><body style='font-family:sans-serif'><h1>Example Portal</h1>"
                + "<p>Scan this code with your phone</p><img alt='QR code' src='data:image/png;base64,"
                + Base64.getEncoder().encodeToString(Files.readAllBytes(png)) + "'><p>Can't scan? " + OTP
                + "</p></body></html>");
        Path screenshot = directory.resolve("screenshot.png");
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + directory.resolve("profile"), "--window-size=1024,800",
                "--screenshot=" + screenshot, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("chromium.log").toFile()).start();
        assertThat(browser.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(screenshot).exists();
        assertThat(QrImages.decode(screenshot)).isEqualTo(OTP);
    }

    @Test
    void imagesWithoutACodeOrNotImagesAreRefusedClearly() throws Exception {
        Path blank = directory.resolve("blank.png");
        ImageIO.write(new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB), "png", blank.toFile());
        assertThatThrownBy(() -> QrImages.decode(blank)).isInstanceOf(QrImages.UnreadableQrImageException.class)
                .hasMessage("No QR code found in " + blank + ".");
        Path text = Files.writeString(directory.resolve("text.png"), "not an image");
        assertThatThrownBy(() -> QrImages.decode(text)).isInstanceOf(QrImages.UnreadableQrImageException.class)
                .hasMessageContaining("is not a PNG, JPEG or GIF image");
        assertThatThrownBy(() -> QrImages.decode(directory.resolve("missing.png")))
                .isInstanceOf(QrImages.UnreadableQrImageException.class).hasMessageContaining("No such image");
    }

    @Test
    void bytesWithoutACodeOrNotAnImageAreRefusedClearly() throws Exception {
        assertThatThrownBy(() -> QrImages.decode(bytes(new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB), "png")))
                .isInstanceOf(QrImages.UnreadableQrImageException.class).hasMessage("No QR code found in the image.");
        assertThatThrownBy(() -> QrImages.decode(new byte[] {1, 2, 3}))
                .isInstanceOf(QrImages.UnreadableQrImageException.class)
                .hasMessage("Not a PNG, JPEG or GIF image (3 bytes).");
    }

    /** The bytes a portal serves or a browser screenshots, in any of the formats the JDK reads. */
    @ParameterizedTest
    @CsvSource({"png", "gif", "jpeg", "bmp"})
    void decodesImageBytes(String format) throws Exception {
        assertThat(QrImages.decode(bytes(rgb(qr(OTP, 300)), format))).isEqualTo(OTP);
    }

    /**
     * A light code on a dark background, as a page in a dark theme may show it; the second is one
     * that only the multi-code detector finds, also in the negative.
     */
    @ParameterizedTest
    @ValueSource(strings = {"otp-device", "2HhUAd86YEKkM/9vGoZHypbqLK0NqDU1Nsx4dEh+UtembldxfOqMcBRaMLjxTXNC3npsIEbkj"
            + "JhSCORVzjmnvHYI4j9HlLfuO8aGesboQW4An3ThBPhq9GBNQ1dy8hyslZohXMinc9jz9GCq3Q=="})
    void decodesAnInvertedCode(String text) throws Exception {
        BufferedImage inverted = rgb(qr(text, 300));
        for (int x = 0; x < inverted.getWidth(); x++) {
            for (int y = 0; y < inverted.getHeight(); y++) {
                inverted.setRGB(x, y, ~inverted.getRGB(x, y) | 0xFF000000);
            }
        }
        assertThat(QrImages.decode(bytes(inverted, "png"))).isEqualTo(text);
    }

    @Test
    void theImageCommandLineWorksEndToEnd() throws Exception {
        Path png = directory.resolve("qr.png");
        ImageIO.write(qr("not an otp at all", 300), "png", png.toFile());
        CliRun run = CliRun.run(directory.resolve("home"), "--json", "scan", "--image", png.toString(), "--approve");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).contains("LOCAL_STATE");
    }
}
