package dev.creditgate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditgate.Advice;
import dev.creditgate.CreditGate;
import dev.creditgate.Forecast;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.CustomPackTerms;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.model.WalletEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What {@code creditgate.*} sets, and that a bad value stops start-up naming the property. */
class PropertiesTest {

  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CreditGateAutoConfiguration.class))
      .withPropertyValues("creditgate.store=memory");

  @Test
  void nothingSetIsTheHelpArticlesCatalogAndCostTable() {
    runner.run(context -> {
      CreditGate gate = context.getBean(CreditGate.class);
      assertThat(gate.catalog().plans()).isEqualTo(Catalog.defaults().plans());
      assertThat(gate.catalog().packs()).isEqualTo(Catalog.defaults().packs());
      assertThat(gate.catalog().customPacks()).isEqualTo(Catalog.defaults().customPacks());
      assertThat(gate.costTable().costs()).isEqualTo(CostTable.defaults().costs());
    });
  }

  @Test
  void aCatalogAndCostTableFromPropertiesAreExactlyThoseListed() {
    runner.withPropertyValues(
        "creditgate.catalog.currency=EUR",
        "creditgate.catalog.plans[0].id=starter",
        "creditgate.catalog.plans[0].monthly-credits=40.5",
        "creditgate.catalog.plans[1].id=studio",
        "creditgate.catalog.plans[1].name=Studio",
        "creditgate.catalog.plans[1].monthly-price=39.99",
        "creditgate.catalog.plans[1].monthly-credits=400",
        "creditgate.catalog.plans[1].seats=3",
        "creditgate.catalog.plans[1].features=custom-domains,private-projects",
        "creditgate.catalog.plans[1].limits.projects=20",
        "creditgate.catalog.packs[0].id=boost",
        "creditgate.catalog.packs[0].name=Boost",
        "creditgate.catalog.packs[0].price=12.50",
        "creditgate.catalog.packs[0].credits=120",
        "creditgate.catalog.custom-pack.min-price=5",
        "creditgate.catalog.custom-pack.max-price=500",
        "creditgate.catalog.custom-pack.credits-per-unit=8",
        "creditgate.cost-table.ai-chat-message=metered 0.2 + 0.1 per 500",
        "creditgate.cost-table.generate-image=3",
        "creditgate.cost-table.publish-update=free").run(context -> {
          CreditGate gate = context.getBean(CreditGate.class);
          Catalog expected = Catalog.builder()
              .plan(new Plan("starter", "starter", Money.of("0", "EUR"), Credits.parse("40.5"), Set.of(),
                  Map.of(Plan.SEATS, 1L)))
              .plan(new Plan("studio", "Studio", Money.of("39.99", "EUR"), Credits.of(400),
                  Set.of("custom-domains", "private-projects"), Map.of(Plan.SEATS, 3L, "projects", 20L)))
              .pack(new Pack("boost", "Boost", Money.of("12.50", "EUR"), Credits.of(120)))
              .customPacks(new CustomPackTerms(Money.of("5", "EUR"), Money.of("500", "EUR"), Credits.of(8)))
              .build();
          assertThat(gate.catalog().plans()).isEqualTo(expected.plans());
          assertThat(gate.catalog().packs()).isEqualTo(expected.packs());
          assertThat(gate.catalog().customPacks()).isEqualTo(expected.customPacks());
          assertThat(gate.costTable().costs()).isEqualTo(CostTable.builder()
              .metered(Operation.AI_CHAT_MESSAGE, Credits.parse("0.2"), Credits.parse("0.1"), 500)
              .fixed(Operation.GENERATE_IMAGE, Credits.of(3))
              .free(Operation.PUBLISH_UPDATE)
              .build().costs());
          gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
          assertThat(gate.status(MAYA, NOW).balance()).isEqualTo(Credits.parse("40.5"));
        });
  }

  @Test
  void warningsOverdraftAndHoldTimeToLiveAreApplied() {
    runner.withPropertyValues("creditgate.warn-at=50", "creditgate.overdraft=5", "creditgate.hold-time-to-live=2m")
        .withBean(EventRecorder.class)
        .run(context -> {
          CreditGate gate = context.getBean(CreditGate.class);
          gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
          // 32 credits of 30: allowed only with the overdraft, and it crosses 50% on the way.
          assertThat(gate.charge(MAYA, Operation.GENERATE_IMAGE, 16, IdempotencyKey.of("images"), NOW).isAllowed())
              .isTrue();
          assertThat(gate.status(MAYA, NOW).balance()).isEqualTo(Credits.of(-2));
          assertThat(context.getBean(EventRecorder.class).warnings).extracting(WalletEvent.ThresholdCrossed::percent)
              .containsExactly(50);
          gate.topUp(MAYA, "small", IdempotencyKey.of("payment-1"), NOW);
          gate.reserve(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("hold-1"), NOW);
          assertThat(gate.expireHolds(NOW.plus(Duration.ofMinutes(2)).minusSeconds(1))).isZero();
          assertThat(gate.expireHolds(NOW.plus(Duration.ofMinutes(2)))).isEqualTo(1);
        });
  }

  @Test
  void theWarningsInCreditsTheDepletionAndTheExpiryWarningAreApplied() {
    runner.withPropertyValues("creditgate.warn-at=", "creditgate.warn-below=10,0.5", "creditgate.warn-when-depleted=true",
        "creditgate.warn-before-expiry=3d")
        .withBean(EventRecorder.class)
        .run(context -> {
          CreditGate gate = context.getBean(CreditGate.class);
          gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
          gate.grantPromotion(MAYA, Credits.of(2), NOW.plus(Duration.ofDays(2)), "sorry", IdempotencyKey.of("sorry"),
              NOW);
          assertThat(gate.charge(MAYA, Operation.GENERATE_IMAGE, 16, IdempotencyKey.of("images"), NOW).isAllowed())
              .isTrue();
          List<WalletEvent> events = context.getBean(EventRecorder.class).all.stream()
              .<WalletEvent>map(CreditGateEvent::event).toList();
          assertThat(events).filteredOn(WalletEvent.BalanceBelow.class::isInstance)
              .extracting(e -> ((WalletEvent.BalanceBelow) e).threshold())
              .containsExactly(Credits.of(10), Credits.parse("0.5"));
          assertThat(events).filteredOn(WalletEvent.CreditsDepleted.class::isInstance).hasSize(1);
          assertThat(events).filteredOn(WalletEvent.PromotionExpiring.class::isInstance).hasSize(1);
          assertThat(context.getBean(EventRecorder.class).warnings).isEmpty();
        });
  }

  @Test
  void aNegativeWarningAmountStopsStartup() {
    assertRefused("creditgate.warn-below", "5,-1", "creditgate.warn-below=5,-1");
  }

  @Test
  void anExpiryWarningLeadOverAYearStopsStartup() {
    assertRefused("creditgate.warn-before-expiry", "PT8784H", "creditgate.warn-before-expiry=366d");
  }

  @Test
  void theForecastsWindowAndMinimumHistoryAreApplied() {
    runner.withPropertyValues("creditgate.forecast.window=7d", "creditgate.forecast.minimum-history=2d").run(context -> {
      CreditGate gate = context.getBean(CreditGate.class);
      gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("image-1"), NOW);
      // A day and a half of history: enough by default (1 day), not with 2 days.
      assertThat(gate.forecast(MAYA, NOW.plus(Duration.ofHours(36)))).isInstanceOf(Forecast.NotEnoughHistory.class);
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("image-2"), NOW.plus(Duration.ofDays(10)));
      // Seven days back from the eleventh: the first day's spend is outside the window (it is inside 14).
      Forecast.Projected projected = (Forecast.Projected) gate.forecast(MAYA, NOW.plus(Duration.ofDays(10)));
      assertThat(projected.spent()).isEqualTo(Credits.of(2));
    });
  }

  @Test
  void theAdvicesRuleIsApplied() {
    // Maya ran out once, in the period in force: a habit only by a rule of 1 period in 1.
    runner.run(context -> assertThat(ranOutOnce(context.getBean(CreditGate.class))).isNotInstanceOf(Advice.Upgrade.class));
    runner.withPropertyValues("creditgate.advice.periods-short=1", "creditgate.advice.of-last-periods=1")
        .run(context -> assertThat(ranOutOnce(context.getBean(CreditGate.class))).isInstanceOf(Advice.Upgrade.class));
  }

  private static Advice ranOutOnce(CreditGate gate) {
    gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 15, IdempotencyKey.of("images"), NOW.plus(Duration.ofDays(2)));
    return gate.advice(MAYA, NOW.plus(Duration.ofDays(4)));
  }

  @Test
  void anAdviceRuleOfMorePeriodsShortThanLookedAtStopsStartup() {
    assertRefused("creditgate.advice.periods-short", "4", "creditgate.advice.periods-short=4");
  }

  @Test
  void aPacksShareOfNothingStopsStartup() {
    assertRefused("creditgate.advice.packs-exceed-percent", "0", "creditgate.advice.packs-exceed-percent=0");
  }

  @Test
  void aForecastWindowOfNoDaysStopsStartup() {
    assertRefused("creditgate.forecast.window", "PT0S", "creditgate.forecast.window=0d");
  }

  @Test
  void withoutAnOverdraftTheSameChargeIsDenied() {
    runner.run(context -> {
      CreditGate gate = context.getBean(CreditGate.class);
      gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
      assertThat(gate.charge(MAYA, Operation.GENERATE_IMAGE, 16, IdempotencyKey.of("images"), NOW).isAllowed())
          .isFalse();
    });
  }

  @Test
  void aBadCreditAmountStopsStartupNamingThePropertyAndValue() {
    assertRefused("creditgate.catalog.plans[0].monthly-credits", "lots",
        "creditgate.catalog.plans[0].id=free", "creditgate.catalog.plans[0].monthly-credits=lots");
  }

  @Test
  void aWarningOutOfRangeStopsStartup() {
    assertRefused("creditgate.warn-at", "20,120", "creditgate.warn-at=20,120");
  }

  @Test
  void aNegativeOverdraftStopsStartup() {
    assertRefused("creditgate.overdraft", "-5", "creditgate.overdraft=-5");
  }

  @Test
  void aCostThatDoesNotParseStopsStartup() {
    assertRefused("creditgate.cost-table.ai-chat-message", "metered 0.1 per 1000", "creditgate.cost-table.ai-chat-message=metered 0.1 per 1000");
  }

  @Test
  void aPackWithoutAPriceStopsStartup() {
    assertRefused("creditgate.catalog.packs[0].price", null, "creditgate.catalog.plans[0].id=free",
        "creditgate.catalog.packs[0].id=small", "creditgate.catalog.packs[0].credits=100");
  }

  @Test
  void twoPlansOfOneIdStopStartup() {
    assertRefused("creditgate.catalog", "free", "creditgate.catalog.plans[0].id=free",
        "creditgate.catalog.plans[1].id=free");
  }

  @Test
  void aPlanWithoutSeatsStopsStartupNamingItsSeats() {
    assertRefused("creditgate.catalog.plans[0].seats", "0", "creditgate.catalog.plans[0].id=free",
        "creditgate.catalog.plans[0].seats=0");
  }

  @Test
  void seatsAmongALimitsStopStartupRatherThanBeingOverwritten() {
    assertRefused("creditgate.catalog.plans[0].limits.seats", "4", "creditgate.catalog.plans[0].id=free",
        "creditgate.catalog.plans[0].limits.seats=4");
  }

  @Test
  void packsWithoutPlansStopStartup() {
    assertRefused("creditgate.catalog.plans", "", "creditgate.catalog.packs[0].id=small");
  }

  @Test
  void anUnknownCurrencyStopsStartup() {
    assertRefused("creditgate.catalog.currency", "XYZ", "creditgate.catalog.currency=XYZ",
        "creditgate.catalog.plans[0].id=free");
  }

  @Test
  void aHoldTimeToLiveOverAYearStopsStartup() {
    assertRefused("creditgate.hold-time-to-live", "PT8784H", "creditgate.hold-time-to-live=366d");
  }

  @Test
  void aRetryBudgetOfNoAttemptsStopsStartup() {
    runner.withPropertyValues("creditgate.store=postgresql", "creditgate.postgresql.max-attempts=0",
            "creditgate.postgresql.schema=" + EmbeddedDatabase.newSchema())
        .withBean(javax.sql.DataSource.class, EmbeddedDatabase::dataSource)
        .run(context -> assertRefusal(context.getStartupFailure(), "creditgate.postgresql.max-attempts", "0"));
  }

  @Test
  void aGroupCommitWindowOverTheMaximumStopsStartup() {
    runner.withPropertyValues("creditgate.store=postgresql", "creditgate.postgresql.group-commit=101ms",
            "creditgate.postgresql.schema=" + EmbeddedDatabase.newSchema())
        .withBean(javax.sql.DataSource.class, EmbeddedDatabase::dataSource)
        .run(context -> assertRefusal(context.getStartupFailure(), "creditgate.postgresql.group-commit", "PT0.101S"));
  }

  @Test
  void groupCommitWithOptimisticLockingStopsStartup() {
    runner.withPropertyValues("creditgate.store=postgresql", "creditgate.postgresql.group-commit=0ms",
            "creditgate.postgresql.locking=optimistic", "creditgate.postgresql.schema=" + EmbeddedDatabase.newSchema())
        .withBean(javax.sql.DataSource.class, EmbeddedDatabase::dataSource)
        .run(context -> assertRefusal(context.getStartupFailure(), "creditgate.postgresql.group-commit", "PT0S"));
  }

  private void assertRefused(String property, String value, String... properties) {
    runner.withPropertyValues(properties).run(context -> assertRefusal(context.getStartupFailure(), property, value));
  }

  private static void assertRefusal(Throwable failure, String property, String value) {
    assertThat(failure).isNotNull();
    Throwable cause = failure;
    while (!(cause instanceof InvalidConfigurationPropertyValueException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class);
    InvalidConfigurationPropertyValueException refusal = (InvalidConfigurationPropertyValueException) cause;
    assertThat(refusal.getName()).isEqualTo(property);
    assertThat(refusal.getValue() == null ? null : refusal.getValue().toString()).isEqualTo(value);
  }
}
