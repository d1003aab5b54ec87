package dev.creditgate.widget;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium through its chromedriver: Debian's {@code chromium} and {@code chromium-driver}
 * ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}; other paths with the environment
 * variables {@code CHROMIUM_BIN} and {@code CHROMEDRIVER}). Selenium Manager is not used: it cannot
 * download browsers here. Without them the browser test fails when {@code CI} is set, and is skipped
 * otherwise.
 */
final class Browser {
  private Browser() {}

  static ChromeDriver start() {
    File chromium = new File(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
    File chromedriver = new File(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    if (!chromium.canExecute() || !chromedriver.canExecute()) {
      String missing = "no browser for the widget's end-to-end test: " + chromium + " and " + chromedriver
          + " must both exist (apt-get install -y chromium chromium-driver)";
      if (System.getenv("CI") != null) {
        fail(missing + "; CI is set, so the test fails rather than skips");
      }
      Assumptions.abort(missing + "; skipped because CI is not set");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
        "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).build();
    return new ChromeDriver(service, options);
  }
}
