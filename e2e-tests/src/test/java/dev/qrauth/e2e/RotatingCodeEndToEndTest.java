package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.cli.QrImages;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Rotating codes in a real browser (docs/PROTOCOL.md, "Rotating codes" and "Reference portal"):
 * headless Chromium on a portal whose login type rotates its code every few seconds sees a new
 * QR code each period without a reload; a phone scanning the current one logs it in, while a
 * code two frames old no longer fetches anything.
 */
class RotatingCodeEndToEndTest {

    private static final int PERIOD = 3;
    /** A new frame must reach the page within a period and a few seconds of slack. */
    private static final Duration NEXT_FRAME = Duration.ofSeconds(PERIOD + 7);

    static LoginSystem system;
    static PortalProcess portal;

    private final List<ChromeDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void start() {
        if (!Chromium.isInstalled() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(Chromium.MISSING);
        }
        Assumptions.assumeTrue(Chromium.isInstalled(), Chromium.MISSING);
        system = LoginSystem.start();
        system.tokenServer.admin().createType(MobileAuthTypeView.otp("rotating-login", 60).withRotationSeconds(PERIOD));
        portal = system.anotherPortal("rotating-login");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    @Test
    void thePageShowsANewCodeEachPeriodAndThePhoneScanningTheCurrentOneLogsItIn() throws Exception {
        LoginSystem.Phone phone = newPhone();
        ChromeDriver browser = browser();
        browser.get(portal.uri + "/login");
        awaitQrImage(browser);
        String first = otpText(browser);
        assertThat(QrImages.decode(browser.getScreenshotAs(OutputType.BYTES))).isEqualTo(first);

        String second = awaitCodeOtherThan(browser, first);
        awaitQrImage(browser);
        // The image was replaced too: it shows a newer frame than the first, as the text does.
        String shown = QrImages.decode(browser.getScreenshotAs(OutputType.BYTES));
        assertThat(shown).isNotEqualTo(first);
        String third = awaitCodeOtherThan(browser, second);
        assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
        assertThat(browser.getCurrentUrl()).isEqualTo(portal.uri + "/login");

        assertThat(Outcome.confirm(phone.client(), otpText(browser))).isEqualTo("CONFIRMED");

        new WebDriverWait(browser, NEXT_FRAME).until(ExpectedConditions.urlToBe(portal.uri + "/account"));
        assertThat(browser.findElement(By.id("user-id")).getText()).isEqualTo(phone.userId());
    }

    @Test
    void aCodeTwoFramesOldFetchesNothing() throws Exception {
        LoginSystem.Phone phone = newPhone();
        ChromeDriver browser = browser();
        browser.get(portal.uri + "/login");
        awaitQrImage(browser);
        String first = otpText(browser);
        String second = awaitCodeOtherThan(browser, first);
        awaitCodeOtherThan(browser, second);

        assertThat(Outcome.confirm(phone.client(), first)).isEqualTo("NOT_FOUND");

        assertThat(Outcome.confirm(phone.client(), otpText(browser))).isEqualTo("CONFIRMED");
        new WebDriverWait(browser, NEXT_FRAME).until(ExpectedConditions.urlToBe(portal.uri + "/account"));
    }

    private ChromeDriver browser() {
        ChromeDriver browser = Chromium.start();
        browsers.add(browser);
        return browser;
    }

    private static LoginSystem.Phone newPhone() {
        String[] user = system.newUser();
        return system.phone(LoginSystem.tempDir("qrauth-e2e-rotating-phone"), user[0], user[1]);
    }

    private static String awaitCodeOtherThan(WebDriver browser, String previous) {
        new WebDriverWait(browser, NEXT_FRAME).until(driver -> !otpText(driver).equals(previous));
        return otpText(browser);
    }

    private static void awaitQrImage(WebDriver browser) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> Boolean.TRUE.equals(
                ((ChromeDriver) driver).executeScript(
                        "const i = document.getElementById('qr-image'); return i !== null && i.complete && i.naturalWidth > 0;")));
    }

    /** The code under "Can't scan?", read even while that section is folded. */
    private static String otpText(WebDriver browser) {
        return browser.findElement(By.id("otp-text")).getAttribute("textContent").trim();
    }
}
