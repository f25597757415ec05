package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.cli.QrImages;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/** A person at a real browser logs in and approves with a phone: headless Chromium against the real jars. */
class BrowserLoginTest {

    static final Path ROOT = Path.of(System.getProperty("qrauth.root", "..")).toAbsolutePath().normalize();
    /** The browser must move on by itself within this time once the phone answered. */
    static final Duration LIVE = Duration.ofSeconds(3);

    static LoginSystem system;
    static Path cliHome;
    static String cliUser;

    private final List<ChromeDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void startSystem() throws Exception {
        if (!Chromium.isInstalled() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            // On CI the browser is installed by .ci/run; a skip there would hide a broken setup.
            throw new AssertionError(Chromium.MISSING);
        }
        Assumptions.assumeTrue(Chromium.isInstalled(), Chromium.MISSING);
        system = LoginSystem.start();
        String[] user = system.newUser();
        cliUser = user[0];
        cliHome = LoginSystem.tempDir("qrauth-e2e-cli-phone");
        otpDevice("register", "--server", system.tokenServer.uri.toString(), "--user", cliUser,
                "--activation-code", user[1], "--pin", LoginSystem.PIN);
        otpDevice("enroll", "--pin", LoginSystem.PIN);
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    @Test
    void scanningTheScreenshotWithOtpDeviceLogsTheBrowserIn() throws Exception {
        ChromeDriver browser = browser();
        browser.get(system.portal.uri + "/");
        browser.findElement(By.linkText("Log in with your phone")).click();
        awaitQrImage(browser);

        byte[] screenshot = browser.getScreenshotAs(OutputType.BYTES);
        Path picture = ROOT.resolve("e2e-tests/target/screenshots/login-page.png");
        Files.createDirectories(picture.getParent());
        Files.write(picture, screenshot);
        assertThat(QrImages.decode(screenshot)).isEqualTo(otpText(browser));

        otpDevice("scan", "--image", picture.toString(), "--approve", "--pin", LoginSystem.PIN);

        new WebDriverWait(browser, LIVE).until(ExpectedConditions.urlToBe(system.portal.uri + "/account"));
        assertThat(browser.findElement(By.id("user-id")).getText()).isEqualTo(cliUser);
    }

    @Test
    void aDenialIsShownAtOnce() throws Exception {
        LoginSystem.Phone phone = newPhone();
        ChromeDriver browser = browser();
        browser.get(system.portal.uri + "/login");
        awaitQrImage(browser);

        assertThat(Outcome.handle(phone.client(), otpText(browser), (request, answer) -> answer.deny()))
                .isEqualTo("ACTION_CANCELLED");

        awaitStatus(browser, "Denied on the phone.");
        assertThat(browser.findElement(By.id("qr")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.linkText("Show a new code")).isDisplayed()).isTrue();
        assertThat(browser.getCurrentUrl()).isEqualTo(system.portal.uri + "/login");
    }

    @Test
    void anApprovalWithTheRightNumberCounts() throws Exception {
        LoginSystem.Phone phone = newPhone();
        ChromeDriver browser = loggedIn(phone);

        int number = askForApproval(browser);
        assertThat(Outcome.handle(phone.client(), otpText(browser), (request, answer) -> {
            assertThat(request.message()).isEqualTo("Transfer EUR 250 to NL91 ABNA 0417 1643 00");
            assertThat(request.numberChoices()).contains(number);
            answer.confirm(number);
        })).isEqualTo("CONFIRMED");

        // The page moves on by itself to the account page, which names the approved action.
        new WebDriverWait(browser, LIVE).until(ExpectedConditions.urlToBe(system.portal.uri + "/account"));
        assertThat(browser.findElement(By.id("approved")).getText())
                .isEqualTo("Approved with your phone: Transfer EUR 250 to NL91 ABNA 0417 1643 00");
    }

    @Test
    void anApprovalWithTheWrongNumberIsRefused() throws Exception {
        LoginSystem.Phone phone = newPhone();
        ChromeDriver browser = loggedIn(phone);

        int number = askForApproval(browser);
        Outcome.handle(phone.client(), otpText(browser), (request, answer) ->
                answer.confirm(request.numberChoices().stream().filter(n -> n != number).findFirst().orElseThrow()));

        awaitStatus(browser, "Not accepted: the number picked on the phone was not the one shown here.");
    }

    @Test
    void anotherBrowserGetsNothingFromThisLogin() throws Exception {
        LoginSystem.Phone phone = newPhone();
        ChromeDriver mine = browser();
        ChromeDriver other = browser();
        mine.get(system.portal.uri + "/login");
        other.get(system.portal.uri + "/login");
        awaitQrImage(mine);
        awaitQrImage(other);
        String othersCode = otpText(other);

        assertThat(Outcome.confirm(phone.client(), otpText(mine))).isEqualTo("CONFIRMED");

        new WebDriverWait(mine, LIVE).until(ExpectedConditions.urlToBe(system.portal.uri + "/account"));
        assertThat(other.getCurrentUrl()).isEqualTo(system.portal.uri + "/login");
        assertThat(otpText(other)).isEqualTo(othersCode);
        assertThat(other.findElement(By.id("status")).getText()).isEqualTo("Scan the code with the app on your phone.");
        other.get(system.portal.uri + "/account");
        assertThat(other.getCurrentUrl()).isEqualTo(system.portal.uri + "/login");
    }

    @Test
    void anExpiredCodeIsReplacedByANewOne() throws Exception {
        // A portal whose login codes live ten seconds, the shortest a type may have.
        PortalProcess shortLived = system.anotherPortal("short-login");
        ChromeDriver browser = browser();
        browser.get(shortLived.uri + "/login");
        awaitQrImage(browser);
        String first = otpText(browser);
        // Every count the countdown shows, with its word, as the page changes them.
        browser.executeScript("window.countdownShown = [];"
                + "new MutationObserver(function () { window.countdownShown.push("
                + "document.getElementById('countdown').textContent + ' ' + document.getElementById('countdown-unit').textContent); })"
                + ".observe(document.getElementById('qr'), {subtree: true, childList: true, characterData: true});");

        new WebDriverWait(browser, Duration.ofSeconds(25)).until(ExpectedConditions.attributeToBe(
                By.id("qr-image"), "src", shortLived.uri + "/challenge/login/qr.png?v=1"));
        @SuppressWarnings("unchecked")
        List<String> shown = (List<String>) browser.executeScript("return window.countdownShown;");
        // A timer tick late under load may skip a count, so "1 second" itself is not required.
        assertThat(shown).isNotEmpty().allSatisfy(
                count -> assertThat(count).matches("1 second|(0|[2-9]|[1-9][0-9]+) seconds"));

        awaitQrImage(browser);
        assertThat(otpText(browser)).isNotEqualTo(first);
        assertThat(QrImages.decode(browser.getScreenshotAs(OutputType.BYTES))).isEqualTo(otpText(browser));
        assertThat(browser.findElement(By.id("status")).getText()).startsWith("The previous code expired.");
    }

    private ChromeDriver browser() {
        ChromeDriver browser = Chromium.start();
        browsers.add(browser);
        return browser;
    }

    private static LoginSystem.Phone newPhone() {
        String[] user = system.newUser();
        return system.phone(LoginSystem.tempDir("qrauth-e2e-phone"), user[0], user[1]);
    }

    /** A browser logged in as the phone's user. */
    private ChromeDriver loggedIn(LoginSystem.Phone phone) throws Exception {
        ChromeDriver browser = browser();
        browser.get(system.portal.uri + "/login");
        awaitQrImage(browser);
        assertThat(Outcome.confirm(phone.client(), otpText(browser))).isEqualTo("CONFIRMED");
        new WebDriverWait(browser, LIVE).until(ExpectedConditions.urlToBe(system.portal.uri + "/account"));
        assertThat(browser.findElement(By.id("user-id")).getText()).isEqualTo(phone.userId());
        return browser;
    }

    /** Asks for the example approval from the account page; returns the number the browser shows. */
    private static int askForApproval(ChromeDriver browser) {
        browser.findElement(By.linkText("Approve an action with your phone")).click();
        browser.findElement(By.xpath("//button[text()='Ask my phone']")).click();
        awaitQrImage(browser);
        assertThat(browser.findElement(By.id("approval-form")).isDisplayed()).as("the form while the code is pending").isFalse();
        WebDriverWait wait = new WebDriverWait(browser, LIVE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("binding-code")));
        return Integer.parseInt(browser.findElement(By.id("binding-code")).getText());
    }

    private static void awaitQrImage(WebDriver browser) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> Boolean.TRUE.equals(
                ((ChromeDriver) driver).executeScript(
                        "const i = document.getElementById('qr-image'); return i !== null && i.complete && i.naturalWidth > 0;")));
    }

    private static void awaitStatus(WebDriver browser, String text) {
        new WebDriverWait(browser, LIVE).until(ExpectedConditions.textToBe(By.id("status"), text));
    }

    /** The code under "Can't scan?", read even while that section is folded. */
    private static String otpText(WebDriver browser) {
        return browser.findElement(By.id("otp-text")).getAttribute("textContent").trim();
    }

    /** Runs {@code bin/otp-device} with the CLI phone's home; it must succeed. */
    private static void otpDevice(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/otp-device").toString(), "--home", cliHome.toString()));
        command.addAll(List.of(args));
        Path output = Scratch.file("qrauth-e2e-otp-device", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("otp-device " + String.join(" ", args) + " did not finish: " + Files.readString(output));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("otp-device " + args[0] + " exited with " + process.exitValue() + ": " + Files.readString(output));
        }
    }
}
