package dev.qrauth.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.testkit.QrAuthExtension;
import dev.qrauth.testkit.TestTokenServer;
import dev.qrauth.testkit.VirtualPhone;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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

    static Process portal;
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
        int port = freePort();
        portalUrl = URI.create("http://127.0.0.1:" + port);
        File log = File.createTempFile("example-portal", ".log");
        log.deleteOnExit();
        ProcessBuilder start = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dportal.public-url=" + portalUrl,
                // The four values a portal needs from the token server:
                "-Dportal.token-server.url=" + server.url(),
                "-Dportal.client-id=" + server.clientId(),
                "-jar", System.getProperty("qrauth.portal.jar")));
        // The two secrets go in the environment: every user of the machine can read a command line (ps).
        start.environment().put("PORTAL_CLIENT_SECRET", server.clientSecret());
        start.environment().put("PORTAL_CALLBACK_SIGNING_SECRET", server.callbackSigningSecret());
        portal = start.redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        awaitUp(portalUrl);
    }

    @AfterAll
    static void stopPortal() throws InterruptedException {
        if (portal != null) {
            portal.destroy();
            if (!portal.waitFor(20, TimeUnit.SECONDS)) {
                portal.destroyForcibly();
            }
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

    private static void awaitUp(URI url) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            assertThat(portal.isAlive()).as("the portal exited").isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                portal.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("The portal did not come up within 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
