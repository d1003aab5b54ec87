package dev.creditgate.widget;

import static dev.creditgate.widget.Wallets.aiChange;
import static dev.creditgate.widget.Wallets.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.Forecast;
import dev.creditgate.HoldSettlement;
import dev.creditgate.PlanChange;
import dev.creditgate.TopUp;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.EventId;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spring.boot.CreditGateEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The REST endpoints over real HTTP, on the PostgreSQL-backed application (the embedded server). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RestApiTest {
  @LocalServerPort
  int port;
  @Autowired
  JsonMapper mapper;
  @Autowired
  CreditGate gate;
  @Autowired
  ApplicationEventPublisher publisher;

  Api api;
  AccountId account;

  @BeforeEach
  void openWallet() {
    api = new Api(port, mapper);
    account = Wallets.open(gate, "rest");
  }

  private String path(String rest) {
    return "/api/accounts/" + account.value() + rest;
  }

  @Test
  void statusIsTheWalletStatusInCreditgatesShape() {
    Api.Answer answer = api.get(path("/status"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.as(WalletStatus.class)).isEqualTo(gate.status(account));
    assertThat(answer.json().get("available").asString()).isEqualTo("30");
    assertThat(answer.json().get("plan").asString()).isEqualTo("free");
  }

  @Test
  void anAiChangeReservesTheEstimateThenChargesTheActualTokens() {
    Api.Answer answer = api.post(path("/ai-changes"), key(), aiChange(60_000, 50_000, "SUCCEEDED"));

    assertThat(answer.status()).isEqualTo(200);
    HoldSettlement settlement = answer.as(HoldSettlement.class);
    assertThat(settlement.held()).isEqualTo(Credits.parse("6.1"));
    assertThat(settlement.charged()).isEqualTo(Credits.parse("5.1"));
    assertThat(settlement.balanceAfter()).isEqualTo(Credits.parse("24.9"));
    assertThat(gate.status(account).available()).isEqualTo(Credits.parse("24.9"));
    assertThat(gate.status(account).held()).isEqualTo(Credits.ZERO);
  }

  @Test
  void aFailedAttemptIsChargedItsShareOfTheMeteredCost() {
    HoldSettlement settlement = api.post(path("/ai-changes"), key(), aiChange(50_000, 50_000, "FAILED_AT_MODEL"))
        .as(HoldSettlement.class);

    assertThat(settlement.metered()).isEqualTo(Credits.parse("5.1"));
    assertThat(settlement.charged()).isEqualTo(Credits.parse("2.55"));   // the default policy: 50% at the model
  }

  @Test
  void anAiChangeRepeatedWithTheSameKeyIsChargedOnce() {
    String key = key();
    Api.Answer first = api.post(path("/ai-changes"), key, aiChange(20_000, 19_000, "SUCCEEDED"));
    Api.Answer again = api.post(path("/ai-changes"), key, aiChange(20_000, 19_000, "SUCCEEDED"));

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.as(HoldSettlement.class)).isEqualTo(first.as(HoldSettlement.class));
    assertThat(gate.status(account).available()).isEqualTo(Credits.parse("28"));
  }

  @Test
  void aDenialIs402WithTheDeniedDecisionAndItsThreeWaysOut() {
    assertThat(api.post(path("/ai-changes"), key(), aiChange(296_000, 296_000, "SUCCEEDED")).status()).isEqualTo(200);
    WalletStatus before = gate.status(account);
    assertThat(before.available()).isEqualTo(Credits.parse("0.3"));

    Api.Answer answer = api.post(path("/ai-changes"), key(), aiChange(50_000, 50_000, "SUCCEEDED"));

    assertThat(answer.status()).isEqualTo(402);
    assertThat(answer.contentType()).startsWith("application/json");
    Decision.Denied denied = answer.as(Decision.Denied.class);
    // The denial's advice is dated: ask the gate at the same instant.
    Instant decidedAt = denied.waysOut().recommended().orElseThrow().at();
    assertThat(denied).isEqualTo(gate.check(account, Operation.AI_CHAT_MESSAGE, 50_000, decidedAt));
    assertThat(denied.shortfall()).isEqualTo(Credits.parse("4.8"));
    assertThat(denied.waysOut().topUp().smallestPack().orElseThrow().id()).isEqualTo("small");
    assertThat(denied.waysOut().upgrade().orElseThrow().plan().id()).isEqualTo("pro");
    assertThat(denied.waysOut().renewal().renewsAt()).isEqualTo(before.nextRenewal());
    JsonNode ways = answer.json().get("waysOut");
    assertThat(ways.get("upgrade").get("plan").get("monthlyCredits").asString()).isEqualTo("150");
    assertThat(ways.get("topUp").get("customPrice").get("amount").asString()).isEqualTo("5.00");
    assertThat(gate.status(account)).isEqualTo(before);   // a denial holds nothing
  }

  @Test
  void theForecastOfAWalletThatSpentOnSeveralDaysIsTheGatesProjectionAtTheTimeOfTheCall() {
    Instant now = Instant.now();
    AccountId spender = Wallets.withHistory(gate, "runway", now);

    Api.Answer answer = api.get("/api/accounts/" + spender.value() + "/forecast");
    Instant after = Instant.now();

    assertThat(answer.status()).isEqualTo(200);
    JsonNode json = answer.json();
    assertThat(json.get("forecast").asString()).isEqualTo("projected");
    Forecast.Projected sent = (Forecast.Projected) answer.as(Forecast.class);
    assertThat(sent.at()).isBetween(now, after);   // made at the server's now
    Forecast.Projected gates = (Forecast.Projected) gate.forecast(spender, sent.at());
    assertThat(sent).isEqualTo(gates);
    assertThat(Instant.parse(json.get("runsOutAt").asString())).isEqualTo(gates.runsOutAt());
    assertThat(json.get("neededToReachRenewal").asString()).isEqualTo(gates.neededToReachRenewal().toString());
    // 21 credits over the 9 days since the first spend, 9 left: they run out before the renewal.
    assertThat(sent.windowStart()).isEqualTo(now.minus(Wallets.FIRST_SPEND_BEFORE));
    assertThat(sent.spent()).isEqualTo(Credits.of(21));
    assertThat(sent.available()).isEqualTo(Credits.of(9)).isEqualTo(gate.status(spender, sent.at()).available());
    assertThat(sent.nextRenewal()).isEqualTo(gate.status(spender, sent.at()).nextRenewal());
    assertThat(sent.runsOutBeforeRenewal()).isTrue();
    assertThat(Duration.between(sent.at(), sent.runsOutAt())).isBetween(Duration.ofDays(3), Duration.ofDays(4));
    assertThat(sent.neededToReachRenewal().isPositive()).isTrue();
  }

  @Test
  void aFreshWalletHasNoSpendThenNotEnoughHistoryAfterItsFirstChangeAsTheGateDecides() {
    Api.Answer fresh = api.get(path("/forecast"));

    assertThat(fresh.status()).isEqualTo(200);
    assertThat(fresh.json().get("forecast").asString()).isEqualTo("no-spend");
    Forecast none = fresh.as(Forecast.class);
    assertThat(none).isInstanceOf(Forecast.NoSpend.class).isEqualTo(gate.forecast(account, none.at()));

    api.post(path("/ai-changes"), key(), aiChange(2_500, 2_000, "SUCCEEDED"));
    Api.Answer early = api.get(path("/forecast"));

    assertThat(early.json().get("forecast").asString()).isEqualTo("not-enough-history");
    Forecast.NotEnoughHistory history = (Forecast.NotEnoughHistory) early.as(Forecast.class);
    assertThat(history).isEqualTo(gate.forecast(account, history.at()));
    assertThat(history.enoughAt()).isEqualTo(history.since().plus(Duration.ofDays(1)));   // creditgate.forecast.minimum-history
    assertThat(early.json().get("enoughAt").asString()).isEqualTo(history.enoughAt().toString());
  }

  @Test
  void freeActionsAreAllowedAtZeroAndAPaidOneIsDenied() {
    api.post(path("/ai-changes"), key(), aiChange(299_000, 299_000, "SUCCEEDED"));
    assertThat(gate.status(account).meter()).isEqualTo(Meter.EMPTY);

    for (String operation : new String[] {"publish-update", "export-data", "share-app"}) {
      Api.Answer answer = api.post(path("/actions/" + operation), key(), null);
      assertThat(answer.status()).as(operation).isEqualTo(200);
      Decision decision = answer.as(Decision.class);
      assertThat(decision.isAllowed()).isTrue();
      assertThat(decision.cost()).isEqualTo(Credits.ZERO);
    }
    Api.Answer image = api.post(path("/actions/generate-image"), key(), null);
    assertThat(image.status()).isEqualTo(402);
    assertThat(image.as(Decision.Denied.class).shortfall()).isEqualTo(Credits.parse("2"));
  }

  @Test
  void aWebhookReplayedWithTheSamePaymentIdAddsItsCreditsOnce() {
    String payment = "{\"paymentId\":\"pi_" + key() + "\",\"account\":\"" + account.value() + "\",\"pack\":\"medium\"}";

    Api.Answer first = api.post("/api/webhooks/payments", null, payment);
    Api.Answer replayed = api.post("/api/webhooks/payments", null, payment);
    Api.Answer again = api.post("/api/webhooks/payments", null, payment);

    assertThat(first.status()).isEqualTo(200);
    TopUp topUp = first.as(TopUp.class);
    assertThat(topUp.credits()).isEqualTo(Credits.of(250));
    assertThat(replayed.as(TopUp.class)).isEqualTo(topUp);
    assertThat(again.as(TopUp.class)).isEqualTo(topUp);
    assertThat(gate.status(account).available()).isEqualTo(Credits.of(280));
    assertThat(gate.ledger(account, Instant.EPOCH, Instant.now().plusSeconds(60))
        .filter(entry -> entry.kind() == LedgerEntry.Kind.GRANT && entry.grant().startsWith("pack:")))
        .hasSize(1);
  }

  @Test
  void aCustomPriceTopsUpItsCredits() {
    String payment = "{\"paymentId\":\"pi_" + key() + "\",\"account\":\"" + account.value()
        + "\",\"customPrice\":{\"amount\":\"12.50\",\"currency\":\"USD\"}}";

    TopUp topUp = api.post("/api/webhooks/payments", null, payment).as(TopUp.class);

    assertThat(topUp.pack()).isEqualTo("custom");
    assertThat(topUp.credits()).isEqualTo(Credits.of(125));
  }

  @Test
  void theSamePaymentIdForAnotherPurchaseIs409AndChangesNothing() {
    String id = "pi_" + key();
    api.post("/api/webhooks/payments", null, "{\"paymentId\":\"" + id + "\",\"account\":\"" + account.value() + "\",\"pack\":\"small\"}");
    WalletStatus before = gate.status(account);

    Api.Answer answer = api.post("/api/webhooks/payments", null,
        "{\"paymentId\":\"" + id + "\",\"account\":\"" + account.value() + "\",\"pack\":\"large\"}");

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.json().get("key").asString()).isEqualTo(id);
    assertThat(gate.status(account)).isEqualTo(before);
  }

  @Test
  void anUpgradeTakesEffectAtOnce() {
    Api.Answer answer = api.put(path("/plan"), key(), "{\"plan\":\"pro\"}");

    assertThat(answer.status()).isEqualTo(200);
    PlanChange change = answer.as(PlanChange.class);
    assertThat(change.immediate()).isTrue();
    WalletStatus status = gate.status(account);
    assertThat(status.plan()).isEqualTo("pro");
    assertThat(status.subscription()).isEqualTo(Credits.of(150));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/status", "/forecast"})
  void anUnknownAccountIs404NamingIt(String resource) {
    Api.Answer answer = api.get("/api/accounts/nobody-" + key() + resource);

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("account").asString()).startsWith("nobody-");
  }

  @Test
  void anUnknownOperationIs404NamingIt() {
    Api.Answer answer = api.post(path("/actions/warp-drive"), key(), null);

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json().get("operation").asString()).isEqualTo("warp-drive");
  }

  @Test
  void aKeyReusedForAnotherRequestIs409() {
    String key = key();
    api.post(path("/ai-changes"), key, aiChange(2_000, 2_000, "SUCCEEDED"));
    WalletStatus before = gate.status(account);

    Api.Answer answer = api.post(path("/ai-changes"), key, aiChange(3_000, 3_000, "SUCCEEDED"));

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.json().get("key").asString()).isEqualTo(key);
    assertThat(gate.status(account)).isEqualTo(before);
  }

  @Test
  void theWalletsEventsAreListedNewestFirstEachOnceThoughDeliveredAgain() {
    api.post(path("/ai-changes"), key(), aiChange(239_000, 239_000, "SUCCEEDED"));   // 6 of 30 left: 20%

    Api.Answer answer = api.get(path("/events"));

    assertThat(answer.status()).isEqualTo(200);
    JsonNode events = answer.json();
    assertThat(events).hasSize(1);
    JsonNode crossed = events.get(0);
    assertThat(crossed.get("event").get("type").asString()).isEqualTo("threshold-crossed");
    assertThat(crossed.get("event").get("percent").asInt()).isEqualTo(20);
    assertThat(crossed.get("event").get("available").asString()).isEqualTo("6");
    assertThat(crossed.get("id").asString()).startsWith(account.value() + "#");

    // The outbox delivers at least once: the same event again is kept once.
    EventId id = mapper.readValue(crossed.get("id").toString(), EventId.class);
    WalletEvent event = mapper.readValue(crossed.get("event").toString(), WalletEvent.class);
    publisher.publishEvent(new CreditGateEvent<>(id, event));
    api.post(path("/actions/publish-update"), key(), null);   // free: no event
    api.put(path("/plan"), key(), "{\"plan\":\"pro\"}");

    JsonNode after = api.get(path("/events")).json();
    assertThat(after).hasSize(3);   // plan-changed, credits-granted (Pro's 150), threshold-crossed
    assertThat(after.get(0).get("event").get("type").asString()).isEqualTo("plan-changed");
    assertThat(after.get(2)).isEqualTo(crossed);
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("negative estimated tokens", "ai", aiChange(-5, 10, "SUCCEEDED"), "estimatedTokens", "-5"),
        Arguments.of("negative actual tokens", "ai", aiChange(2_000, -1, "SUCCEEDED"), "actualTokens", "-1"),
        Arguments.of("tokens that are not a number", "ai",
            "{\"estimatedTokens\":\"lots\",\"actualTokens\":1,\"outcome\":{\"kind\":\"SUCCEEDED\",\"retryOf\":\"\"}}",
            "estimatedTokens", "lots"),
        Arguments.of("an unknown outcome", "ai", aiChange(2_000, 2_000, "MAYBE"), "outcome", "MAYBE"),
        Arguments.of("a missing outcome", "ai", "{\"estimatedTokens\":1,\"actualTokens\":1}", "outcome", null),
        Arguments.of("a malformed body", "ai", "{\"estimatedTokens\":5,", null, null),
        Arguments.of("an unknown pack id", "pay", "{\"paymentId\":\"pi_x\",\"account\":\"%s\",\"pack\":\"huge\"}", "id", "huge"),
        Arguments.of("a custom price below the minimum", "pay",
            "{\"paymentId\":\"pi_x\",\"account\":\"%s\",\"customPrice\":{\"amount\":\"2.50\",\"currency\":\"USD\"}}",
            "price", "$2.50"),
        Arguments.of("a negative custom price", "pay",
            "{\"paymentId\":\"pi_x\",\"account\":\"%s\",\"customPrice\":{\"amount\":\"-12.50\",\"currency\":\"USD\"}}",
            "customPrice", "-12.50"),
        Arguments.of("a payment without a pack or price", "pay", "{\"paymentId\":\"pi_x\",\"account\":\"%s\"}", "pack", null),
        Arguments.of("an unknown plan", "plan", "{\"plan\":\"platinum\"}", "id", "platinum"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badInputIs400NamingTheValueAndChangesNothing(String what, String endpoint, String body, String argument,
      String value) {
    WalletStatus before = gate.status(account);
    long entries = Wallets.ledgerEntries(gate, account);

    Api.Answer answer = switch (endpoint) {
      case "ai" -> api.post(path("/ai-changes"), key(), body);
      case "pay" -> api.post("/api/webhooks/payments", null, body.formatted(account.value()));
      default -> api.put(path("/plan"), key(), body);
    };

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    JsonNode problem = answer.json();
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    if (argument != null) {
      JsonNode named = problem.has("argument") ? problem.get("argument") : problem.get("id");
      assertThat(named.asString()).isEqualTo(argument.equals("id") ? value : argument);
    }
    if (value != null) {
      assertThat(problem.get(problem.has("value") ? "value" : "id").asString()).isEqualTo(value);
      assertThat(problem.get("detail").asString()).contains(value);
    }
    assertThat(gate.status(account)).isEqualTo(before);
    assertThat(Wallets.ledgerEntries(gate, account)).isEqualTo(entries);
  }

  @Test
  void aChangeWithoutAnIdempotencyKeyIs400() {
    Api.Answer answer = api.post(path("/ai-changes"), null, aiChange(2_000, 2_000, "SUCCEEDED"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("detail").asString()).contains("Idempotency-Key");
    assertThat(gate.status(account).available()).isEqualTo(Credits.of(30));
  }
}
