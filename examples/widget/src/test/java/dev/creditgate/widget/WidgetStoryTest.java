package dev.creditgate.widget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.WalletStatus;
import dev.creditgate.WaysOut;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Pack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.Color;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The help article's story, in a real browser on the PostgreSQL-backed application: build until the
 * widget warns at 20%, then at 0%; an AI change is refused and the three ways out appear with the
 * gate's numbers, while publishing and exporting still work; a Medium pack is bought and building
 * goes on; an upgrade to Pro brings its credits at once. Each step's screenshot is saved under
 * {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WidgetStoryTest {
  private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
  /** The meter's colours (widget.css): amber at 20%, red at 0%. */
  private static final String LOW_COLOUR = "#e59a0b";
  private static final String EMPTY_COLOUR = "#d6453d";

  @LocalServerPort
  int port;
  @Autowired
  CreditGate gate;

  ChromeDriver browser;
  WebDriverWait wait;
  AccountId account;
  int answers;

  @BeforeEach
  void openThePage() throws IOException {
    browser = Browser.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    account = Wallets.open(gate, "maya");
    Files.createDirectories(SCREENSHOTS);
    browser.get("http://localhost:" + port + "/?account=" + account.value());
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
  }

  @AfterEach
  void closeTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void theArticlesStoryFromThirtyCreditsToZeroThroughTheWaysOutToPro() throws IOException {
    // A new wallet: the Free plan's 30 credits, renewing in a month.
    WalletStatus start = gate.status(account);
    assertThat(text("balance")).isEqualTo("30");
    assertThat(meter()).isEqualTo("OK");
    assertThat(attribute("plan-name", "data-plan")).isEqualTo("free");
    assertThat(text("plan-name")).isEqualToIgnoringCase("Free");   // a badge, in capitals
    assertThat(attribute("renewal-date", "data-instant")).isEqualTo(start.nextRenewal().toString());
    shot("01-start");

    // Four features of 50,000 tokens (5.1 credits each; 60,000 set aside first), then one of 35,000:
    // 6 of 30 credits left, 20%, and the widget warns.
    for (int i = 1; i <= 4; i++) {
      assertThat(sendAiChange(60_000, 50_000)).isEqualTo("200");
      assertThat(meter()).isEqualTo("OK");
    }
    assertThat(text("balance")).isEqualTo("9.6");
    assertThat(sendAiChange(40_000, 35_000)).isEqualTo("200");
    assertThat(text("balance")).isEqualTo("6").isEqualTo(available());
    assertThat(meter()).isEqualTo("LOW").isEqualTo(gate.status(account).meter().name());
    assertThat(element("credit-widget").getAttribute("class")).contains("credit-widget--low");
    assertThat(colour("meter-fill", "background-color")).isEqualTo(LOW_COLOUR);
    assertThat(element("notice").isDisplayed()).isTrue();
    assertThat(text("notice")).contains("running low");
    assertThat(notifications()).containsExactly("threshold-crossed:20");   // the gate's event, through the starter
    shot("02-warning-at-20-percent");

    // 59,000 tokens cost the last 6 credits: 0%, depleted.
    assertThat(sendAiChange(59_000, 59_000)).isEqualTo("200");
    assertThat(text("balance")).isEqualTo("0").isEqualTo(available());
    assertThat(meter()).isEqualTo("EMPTY").isEqualTo(Meter.EMPTY.name());
    assertThat(element("credit-widget").getAttribute("class")).contains("credit-widget--empty");
    assertThat(colour("credit-widget-button", "border-top-color")).isEqualTo(EMPTY_COLOUR);
    assertThat(text("notice")).contains("out of credits");
    assertThat(notifications()).containsExactly("threshold-crossed:0", "threshold-crossed:20");
    shot("03-depleted-at-0-percent");

    // The next change is refused: the three ways out, with the gate's own numbers.
    assertThat(sendAiChange(2_500, 2_000)).isEqualTo("402");
    Decision.Denied denied = (Decision.Denied) gate.check(account, Operation.AI_CHAT_MESSAGE, 2_500);
    WaysOut ways = denied.waysOut();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ways-out")));
    assertThat(text("ways-out-cost")).isEqualTo(denied.cost().toString()).isEqualTo("0.35");
    assertThat(text("ways-out-available")).isEqualTo("0");
    assertThat(text("ways-out-shortfall")).isEqualTo(denied.shortfall().toString()).isEqualTo("0.35");
    Pack smallest = ways.topUp().smallestPack().orElseThrow();
    assertThat(attribute("ways-out-smallest-pack", "data-pack")).isEqualTo(smallest.id()).isEqualTo("small");
    assertThat(text("ways-out-smallest-pack")).isEqualTo("Small, $10 for 100 credits");
    assertThat(browser.findElements(By.cssSelector("#ways-out-packs li")).stream().map(li -> li.getAttribute("data-pack")))
        .containsExactlyElementsOf(packsCovering(denied.shortfall()));
    assertThat(attribute("ways-out-custom-price", "data-amount"))
        .isEqualTo(ways.topUp().customPrice().orElseThrow().amount().toPlainString());
    WaysOut.UpgradeOption upgrade = ways.upgrade().orElseThrow();
    assertThat(attribute("ways-out-upgrade-plan", "data-plan")).isEqualTo(upgrade.plan().id()).isEqualTo("pro");
    assertThat(text("ways-out-upgrade-credits")).isEqualTo(upgrade.monthlyCredits().toString()).isEqualTo("150");
    assertThat(text("ways-out-upgrade-price")).isEqualTo("$20");
    assertThat(text("ways-out-renewal-credits")).isEqualTo(ways.renewal().credits().toString()).isEqualTo("30");
    assertThat(attribute("ways-out-renewal-date", "data-instant")).isEqualTo(ways.renewal().renewsAt().toString())
        .isEqualTo(start.nextRenewal().toString());
    shot("04-out-of-credits-three-ways-out");

    // What still works at zero: publishing and exporting, free.
    click("action-publish-update");
    assertThat(awaitAnswer()).isEqualTo("200");
    assertThat(lastAnswer()).contains("Allowed: free");
    click("action-export-data");
    assertThat(awaitAnswer()).isEqualTo("200");
    assertThat(lastAnswer()).contains("Allowed: free");
    assertThat(text("balance")).isEqualTo("0");
    shot("05-publish-and-export-at-zero");

    // Way out 1: the credit balance widget, Get more credits, Medium. The page plays the payment
    // provider and posts to the webhook; 250 credits arrive.
    click("credit-widget-button");
    click("get-more-credits");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("buy-medium")));
    assertThat(element("buy-medium").getText()).contains("Medium").contains("$25").contains("250 credits");
    shot("06-get-more-credits");
    click("buy-medium");
    assertThat(awaitAnswer()).isEqualTo("200");
    assertThat(text("balance")).isEqualTo("250").isEqualTo(available());
    assertThat(meter()).isEqualTo("OK");
    assertThat(element("ways-out").isDisplayed()).isFalse();
    assertThat(text("pack-credits")).isEqualTo("250");
    assertThat(notifications()).first().isEqualTo("credits-granted:");
    shot("07-medium-pack-bought");

    // Building goes on.
    click("ai-title");
    assertThat(sendAiChange(2_500, 2_000)).isEqualTo("200");
    assertThat(text("balance")).isEqualTo("249.7").isEqualTo(available());

    // Account -> Billing: the renewal date, and the upgrade to Pro, at once: its 150 credits beside the packs.
    click("account-menu");
    click("menu-billing");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-billing")));
    assertThat(attribute("billing-renewal-date", "data-instant")).isEqualTo(gate.status(account).nextRenewal().toString());
    assertThat(text("billing-plan")).isEqualTo("Free");
    click("change-plan-pro");
    assertThat(awaitAnswer()).isEqualTo("200");
    WalletStatus pro = gate.status(account);
    assertThat(pro.plan()).isEqualTo("pro");
    assertThat(pro.subscription()).isEqualTo(Credits.of(150));
    assertThat(attribute("plan-name", "data-plan")).isEqualTo("pro");
    assertThat(text("plan-name")).isEqualToIgnoringCase("Pro");
    assertThat(text("billing-plan")).isEqualTo("Pro");
    assertThat(text("billing-price")).contains("$20/mo").contains("150 credits a month");
    assertThat(text("balance")).isEqualTo("399.7").isEqualTo(pro.available().toString());
    assertThat(attribute("billing-renewal-date", "data-instant")).isEqualTo(pro.nextRenewal().toString());
    assertThat(notifications()).startsWith("plan-changed:", "credits-granted:");
    shot("08-upgraded-to-pro");
    click("credit-widget-button");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("subscription-credits")));
    assertThat(text("subscription-credits")).isEqualTo("150");
    assertThat(text("pack-credits")).isEqualTo("249.7");
  }

  /** Sends an AI change from the panel; answers its HTTP status, once the page shows the answer. */
  private String sendAiChange(long estimatedTokens, long actualTokens) {
    type("estimated-tokens", Long.toString(estimatedTokens));
    type("actual-tokens", Long.toString(actualTokens));
    click("send-ai-change");
    return awaitAnswer();
  }

  /**
   * Waits for the page's next answer (shown once the wallet has been read again) and returns its
   * HTTP status.
   */
  private String awaitAnswer() {
    answers++;
    WebElement answer = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("answer-" + answers)));
    return answer.getAttribute("data-status");
  }

  private String lastAnswer() {
    return element("answer-" + answers).findElement(By.className("answer__summary")).getText();
  }

  /** The notifications the page shows, newest first, as type:percent. */
  private List<String> notifications() {
    return browser.findElements(By.cssSelector("#notifications li")).stream()
        .map(li -> li.getAttribute("data-type") + ":" + (li.getAttribute("data-percent") == null ? "" : li.getAttribute("data-percent")))
        .toList();
  }

  private List<String> packsCovering(Credits shortfall) {
    return gate.catalog().packs().stream().filter(pack -> pack.credits().compareTo(shortfall) >= 0).map(Pack::id).toList();
  }

  private String available() {
    return gate.status(account).available().toString();
  }

  private String meter() {
    return attribute("credit-widget", "data-meter");
  }

  private WebElement element(String id) {
    return browser.findElement(By.id(id));
  }

  private String text(String id) {
    return element(id).getText();
  }

  private String attribute(String id, String name) {
    return element(id).getAttribute(name);
  }

  private String colour(String id, String property) {
    return Color.fromString(element(id).getCssValue(property)).asHex();
  }

  private void click(String id) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  private void type(String id, String value) {
    WebElement input = element(id);
    input.clear();
    input.sendKeys(value);
  }

  private void shot(String name) throws IOException {
    Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }
}
