package dev.qrauth.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the system's packages, driven by Selenium. Paths are given explicitly so
 * Selenium never tries to download a browser or a driver.
 */
final class Chromium {

    static final Path BINARY = Path.of(System.getProperty("qrauth.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("qrauth.chromedriver", "/usr/bin/chromedriver"));
    static final String MISSING = "Chromium is not installed, so the browser tests are skipped. Install it with "
            + "'sudo apt-get install -y chromium chromium-driver' (Debian, Ubuntu), or point -Dqrauth.chromium and "
            + "-Dqrauth.chromedriver at a browser and its driver.";

    private Chromium() {
    }

    static boolean isInstalled() {
        return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    }

    /** A new browser with an empty profile of its own. */
    static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1000,1000",
                "--user-data-dir=" + LoginSystem.tempDir("qrauth-e2e-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
