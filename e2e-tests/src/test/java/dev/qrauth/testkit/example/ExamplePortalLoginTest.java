package dev.qrauth.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.testkit.QrAuthExtension;
import dev.qrauth.testkit.ServerProcess;
import dev.qrauth.testkit.TestTokenServer;
import dev.qrauth.testkit.VirtualPhone;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The example to copy into a portal's own suite: a real browser logs in to a portal through the
 * QR flow, answered by a virtual phone. The portal here is qrauth's reference portal started from
 * its jar; in your suite, start your portal instead and give it the four values marked below.
 * Nothing here knows the device protocol.
 */
class ExamplePortalLoginTest {

    /** One token server for the class: a free port, a throw-away database, deleted afterwards. */
    @RegisterExtension
    static QrAuthExtension qrauth = new QrAuthExtension(TestTokenServer.builder().portalName("Example Portal"));

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static ServerProcess portal;
    static URI portalUrl;
    ChromeDriver browser;

    @BeforeAll
    static void startPortal() throws Exception {
        boolean browserInstalled = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!browserInstalled && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("Chromium is missing: apt-get install -y chromium chromium-driver");
        }
        Assumptions.assumeTrue(browserInstalled, "Chromium is not installed: apt-get install -y chromium chromium-driver");

        TestTokenServer server = qrauth.server();
        int port = ServerProcess.freePort();
        portalUrl = URI.create("http://127.0.0.1:" + port);
        // Any jar a portal runs from starts this way; the kit's launcher waits until "/" answers.
        portal = ServerProcess.builder(Path.of(System.getProperty("qrauth.portal.jar")))
                .quickStart() // it lives for this class: a start on half the CPU
                .port(port)
                .dataDirectoryProperty(null)
                .readinessPath("/")
                .startTimeout(Duration.ofSeconds(60))
                .property("portal.public-url", portalUrl.toString())
                // The four values a portal needs from the token server; the launcher puts the two
                // secrets in the environment: every user of the machine can read a command line (ps).
                .property("portal.token-server.url", server.url().toString())
                .property("portal.client-id", server.clientId())
                .property("portal.client-secret", server.clientSecret())
                .property("portal.callback-signing-secret", server.callbackSigningSecret())
                .start();
    }

    @AfterAll
    static void stopPortal() {
        if (portal != null) {
            portal.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1000,1000");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    @Test
    void theUserScansTheQrCodeAndIsLoggedIn(VirtualPhone phone) {
        String user = "alice-" + UUID.randomUUID();
        phone.enroll(user);

        browser.get(portalUrl + "/login");
        byte[] qrCode = awaitQrCode().getScreenshotAs(OutputType.BYTES);
        MobileAuthRequest shown = phone.approve(qrCode);

        assertThat(shown.portalName()).isEqualTo("Example Portal");
        awaitPage("/account");
        assertThat(browser.findElement(By.id("user-id")).getText()).isEqualTo(user);
    }

    @Test
    void theTestNeedNotSeeTheQrCode(VirtualPhone phone) {
        String user = "bob-" + UUID.randomUUID();
        phone.enroll(user);

        browser.get(portalUrl + "/login");
        phone.approveNext(user);

        awaitPage("/account");
        assertThat(browser.findElement(By.id("user-id")).getText()).isEqualTo(user);
    }

    @Test
    void aDenialOnThePhoneIsShownInTheBrowser(VirtualPhone phone) {
        String user = "carol-" + UUID.randomUUID();
        phone.enroll(user);

        browser.get(portalUrl + "/login");
        phone.deny(awaitQrCode().getScreenshotAs(OutputType.BYTES));

        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(ExpectedConditions.textToBe(By.id("status"), "Denied on the phone."));
        assertThat(browser.getCurrentUrl()).isEqualTo(portalUrl + "/login");
    }

    private org.openqa.selenium.WebElement awaitQrCode() {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> Boolean.TRUE.equals(browser.executeScript(
                "const qr = document.getElementById('qr-image'); return qr !== null && qr.complete && qr.naturalWidth > 0;")));
        return browser.findElement(By.id("qr-image"));
    }

    private void awaitPage(String path) {
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.urlToBe(portalUrl + path));
    }

}
