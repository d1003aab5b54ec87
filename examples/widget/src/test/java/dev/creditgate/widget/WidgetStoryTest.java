package dev.creditgate.widget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.Forecast;
import dev.creditgate.HoldSettlement;
import dev.creditgate.WalletStatus;
import dev.creditgate.WaysOut;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.CostBreakdown;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Pack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.Color;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * The help article's story, in a real browser on the PostgreSQL-backed application: build until the
 * widget warns at 20%, then at 0%; an AI change is refused and the three ways out appear with the
 * gate's numbers, while publishing and exporting still work; a Medium pack is bought and building
 * goes on; an upgrade to Pro brings its credits at once. Along the way, the runway line (no spend
 * yet, then not enough history) and each answer's cost sentence. A second test opens a wallet with
 * nine days of history, written through the gate at past instants, whose runway says when it runs
 * out before its renewal. Each step's screenshot is saved under {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WidgetStoryTest {
  private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
  /** The meter's colours (widget.css): amber at 20%, red at 0%. */
  private static final String LOW_COLOUR = "#e59a0b";
  private static final String EMPTY_COLOUR = "#d6453d";
  /** The page's dates, as en-US writes them. */
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMMM d", Locale.US);
  private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("MMMM d, h:mm a", Locale.US);

  @LocalServerPort
  int port;
  @Autowired
  CreditGate gate;
  @Autowired
  JsonMapper mapper;

  ChromeDriver browser;
  WebDriverWait wait;
  AccountId account;
  int answers;

  @BeforeEach
  void startTheBrowser() throws IOException {
    browser = Browser.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    Files.createDirectories(SCREENSHOTS);
  }

  /** Opens the page on the account's wallet ({@code ?account=}) and waits until it has read it. */
  private void openThePage(AccountId wallet) {
    account = wallet;
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
    openThePage(Wallets.open(gate, "maya"));
    // A new wallet: the Free plan's 30 credits, renewing in a month.
    WalletStatus start = gate.status(account);
    assertThat(text("balance")).isEqualTo("30");
    assertThat(meter()).isEqualTo("OK");
    assertThat(attribute("plan-name", "data-plan")).isEqualTo("free");
    assertThat(text("plan-name")).isEqualToIgnoringCase("Free");   // a badge, in capitals
    assertThat(attribute("renewal-date", "data-instant")).isEqualTo(start.nextRenewal().toString());
    shot("01-start");

    // The runway: nothing spent yet, so nothing to project.
    assertThat(gate.forecast(account)).isInstanceOf(Forecast.NoSpend.class);
    click("credit-widget-button");
    WebElement runway = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("runway")));
    assertThat(runway.getAttribute("data-forecast")).isEqualTo("no-spend");
    assertThat(runway.getText()).isEqualTo("You haven\u2019t spent anything recently");
    click("ai-title");   // closes the popover

    // Four features of 50,000 tokens (5.1 credits each; 60,000 set aside first), then one of 35,000:
    // 6 of 30 credits left, 20%, and the widget warns. The first answer explains its cost, and the
    // runway now waits for a day of history.
    assertThat(sendAiChange(60_000, 50_000)).isEqualTo("200");
    assertThat(meter()).isEqualTo("OK");
    HoldSettlement first = answerJson(HoldSettlement.class);
    assertThat(first.costBreakdown()).isEqualTo(gate.costTable().costOf(Operation.AI_CHAT_MESSAGE).explain(50_000));
    assertThat(answerSentence()).isEqualTo(first.costBreakdown().sentence())
        .isEqualTo("0.1 base + 50 x 0.1 per 1,000 tokens = 5.1 credits");
    assertThat(answerCost()).startsWith("Cost: ");
    Forecast.NotEnoughHistory early = (Forecast.NotEnoughHistory) gate.forecast(account);
    click("credit-widget-button");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("runway")));
    assertThat(attribute("runway", "data-forecast")).isEqualTo("not-enough-history");
    assertThat(attribute("runway", "data-enough-at")).isEqualTo(early.enoughAt().toString());
    assertThat(spaced(text("runway")))
        .isEqualTo("Not enough history yet: a forecast from " + DAY_AND_TIME.format(early.enoughAt().atZone(browserZone())));
    click("ai-title");
    for (int i = 2; i <= 4; i++) {
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
    // The gate recommends one way out (a fresh wallet: the pack that covers the gap); the page marks it alone.
    assertThat(ways.recommended().orElseThrow().way()).isEqualTo(WaysOut.Way.TOP_UP);
    assertThat(browser.findElements(By.cssSelector(".tag--recommended")).stream().filter(WebElement::isDisplayed)
        .map(tag -> tag.getAttribute("id"))).containsExactly("recommended-top-up");
    assertThat(text("ways-out-cost")).isEqualTo(denied.cost().toString()).isEqualTo("0.35");
    assertThat(text("ways-out-available")).isEqualTo("0");
    assertThat(text("ways-out-shortfall")).isEqualTo(denied.shortfall().toString()).isEqualTo("0.35");
    assertThat(text("ways-out-cost-breakdown")).isEqualTo(denied.costBreakdown().sentence())
        .isEqualTo("0.1 base + 2.5 x 0.1 per 1,000 tokens = 0.35 credits");
    assertThat(answerCost()).isEqualTo("Would have cost: " + denied.costBreakdown().sentence());
    assertThat(answerJson(Decision.Denied.class).costBreakdown()).isEqualTo(denied.costBreakdown());
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
    assertThat(answerSentence()).isEqualTo(CostBreakdown.of(gate.costTable().costOf(Operation.of("publish-update")), 1).sentence())
        .isEqualTo("free: 0 credits");
    click("action-export-data");
    assertThat(awaitAnswer()).isEqualTo("200");
    assertThat(lastAnswer()).contains("Allowed: free");
    assertThat(answerSentence()).isEqualTo("free: 0 credits");
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
    assertThat(attribute("billing-runway", "data-forecast")).isEqualTo("not-enough-history");
    assertThat(attribute("billing-runway", "data-enough-at")).isEqualTo(early.enoughAt().toString());
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

  @Test
  void aWalletWithNineDaysOfHistorySeesWhenItRunsOutBeforeItsRenewalAndWhatReachesIt() throws IOException {
    openThePage(Wallets.withHistory(gate, "runway", Instant.now()));
    ZoneId zone = browserZone();

    // The popover's runway line: the gate's projection at the time the page asked.
    click("credit-widget-button");
    WebElement runway = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("runway")));
    assertThat(runway.getAttribute("data-forecast")).isEqualTo("projected");
    Forecast.Projected shown = (Forecast.Projected) gate.forecast(account, Instant.parse(runway.getAttribute("data-at")));
    assertThat(shown.runsOutBeforeRenewal()).isTrue();
    assertThat(Instant.parse(runway.getAttribute("data-runs-out-at"))).isEqualTo(shown.runsOutAt());
    assertThat(runway.getAttribute("data-needed-to-reach-renewal")).isEqualTo(shown.neededToReachRenewal().toString());
    long days = ChronoUnit.DAYS.between(shown.runsOutAt().atZone(zone).toLocalDate(), shown.nextRenewal().atZone(zone).toLocalDate());
    assertThat(days).isGreaterThan(1);
    assertThat(runway.getAttribute("data-days-before-renewal")).isEqualTo(Long.toString(days));
    String line = "At this rate you run out on " + DAY.format(shown.runsOutAt().atZone(zone)) + ", " + days
        + " days before your renewal";
    String detail = "At about " + shown.perDay() + " credits a day, " + shown.neededToReachRenewal()
        + " more credits reach your renewal on " + DAY.format(shown.nextRenewal().atZone(zone)) + ".";
    assertThat(runway.findElement(By.className("runway__line")).getText()).isEqualTo(line);
    assertThat(runway.findElement(By.className("runway__detail")).getText()).isEqualTo(detail);
    assertThat(runway.getAttribute("class")).contains("runway--short");
    shot("09-runway");

    // Account -> Billing says the same.
    click("account-menu");
    click("menu-billing");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("billing-runway")));
    assertThat(element("billing-runway").findElement(By.className("runway__line")).getText()).isEqualTo(line);
    assertThat(attribute("billing-runway", "data-runs-out-at")).isEqualTo(runway.getAttribute("data-runs-out-at"));

    // An AI change that failed at the model: its answer explains both roundings and the outcome's
    // share, and the runway is read again after it.
    click("nav-build");
    new Select(element("outcome")).selectByValue("FAILED_AT_MODEL");
    assertThat(sendAiChange(2_000, 1_801)).isEqualTo("200");
    HoldSettlement failed = answerJson(HoldSettlement.class);
    assertThat(failed.costBreakdown())
        .isEqualTo(gate.costTable().costOf(Operation.AI_CHAT_MESSAGE).explain(1_801).withShare(5_000));
    assertThat(answerSentence()).isEqualTo(failed.costBreakdown().sentence())
        .isEqualTo("(0.1 base + 1.801 x 0.1 per 1,000 tokens = 0.281 credits (rounded up to the credit unit, 0.001))"
            + " x 50% = 0.141 credits (rounded up to the credit unit, 0.001)");
    Instant askedAgain = Instant.parse(attribute("runway", "data-at"));
    assertThat(askedAgain).isAfter(shown.at());
    Forecast.Projected after = (Forecast.Projected) gate.forecast(account, askedAgain);
    assertThat(after.spent()).isEqualTo(Credits.parse("21.141"));
    assertThat(Instant.parse(attribute("runway", "data-runs-out-at"))).isEqualTo(after.runsOutAt());
    assertThat(attribute("runway", "data-needed-to-reach-renewal")).isEqualTo(after.neededToReachRenewal().toString());
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

  /** The last answer's cost line: "Cost: " or "Would have cost: ", then the sentence. */
  private String answerCost() {
    return element("answer-" + answers).findElement(By.className("answer__cost")).getText();
  }

  /** The sentence of the last answer's cost line. */
  private String answerSentence() {
    return element("answer-" + answers).findElement(By.className("answer__sentence")).getText();
  }

  /** The JSON the service sent for the last answer (in its folded details), read as creditgate's type. */
  private <T> T answerJson(Class<T> type) {
    return mapper.readValue(element("answer-" + answers).findElement(By.tagName("pre")).getAttribute("textContent"), type);
  }

  /** The time zone the browser formats dates in. */
  private ZoneId browserZone() {
    return ZoneId.of((String) browser.executeScript("return Intl.DateTimeFormat().resolvedOptions().timeZone"));
  }

  /** Text with the narrow and no-break spaces browsers put into times ("9:30\u202fAM") as plain ones. */
  private static String spaced(String text) {
    return text.replace('\u202f', ' ').replace('\u00a0', ' ');
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
