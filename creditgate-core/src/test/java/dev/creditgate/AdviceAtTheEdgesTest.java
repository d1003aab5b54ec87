package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The runway and the advice where a cold review found them wrong. */
class AdviceAtTheEdgesTest {
  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant JAN_1 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aOneDayWindowAtMidnightMeasuresTheDayBeforeAndADeniedChargeThenStillAnswers() {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).forecastWindow(Duration.ofDays(1)).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, JAN_1);
    Instant midnight = JAN_1.plus(Duration.ofDays(3));
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("first"), midnight.minus(Duration.ofHours(36)));
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 2, IdempotencyKey.of("day-before"), midnight.minus(Duration.ofHours(12)));
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("at-midnight"), midnight);

    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class, gate.forecast(MAYA, midnight));
    assertEquals(midnight.minus(Duration.ofDays(1)), p.windowStart());
    assertEquals(Credits.of(6), p.spent());
    // 22 credits left at 6 a day: 88 hours.
    assertEquals(midnight.plus(Duration.ofHours(88)), p.runsOutAt());
    Decision denied = gate.charge(MAYA, Operation.GENERATE_IMAGE, 100, IdempotencyKey.of("too-many"), midnight);
    assertFalse(denied.isAllowed());
  }

  @Test
  void aDenialIsNeverAdvisedToWaitEvenWhenTheRunwayReachesTheRenewal() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, JAN_1);
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("one"), JAN_1.plus(Duration.ofDays(1)));
    Instant at = JAN_1.plus(Duration.ofDays(3));
    // 2 credits in 3 days: 28 left last until the renewal, yet 40 credits of images cannot be had now.
    assertFalse(assertInstanceOf(Forecast.Projected.class, gate.forecast(MAYA, at)).runsOutBeforeRenewal());
    Decision.Denied denied = assertInstanceOf(Decision.Denied.class,
        gate.charge(MAYA, Operation.GENERATE_IMAGE, 20, IdempotencyKey.of("twenty"), at));
    Advice.BuyPack buy = assertInstanceOf(Advice.BuyPack.class, denied.waysOut().recommended().orElseThrow());
    assertTrue(buy.gap().compareTo(denied.shortfall()) >= 0, () -> buy.gap() + " < " + denied.shortfall());
    assertEquals("small", buy.pack().orElseThrow().id());
  }

  @Test
  void theRunwayIsExactToTheNanosecond() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, JAN_1);
    Instant first = JAN_1.plus(Duration.ofHours(10)).plusNanos(123_456_789);
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("first"), first);
    Instant at = first.plus(Duration.ofDays(2)).plusNanos(500);
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class, gate.forecast(MAYA, at));
    assertEquals(first, p.windowStart());
    // 2 credits over 2 days and 500 ns; 28 left last 14 times as long.
    assertEquals(at.plus(Duration.ofDays(28)).plusNanos(7_000), p.runsOutAt());
  }

  @Test
  void anUpgradeStartsTheHabitAfreshSoTheNextPlanUpIsNotAdvisedAtOnce() {
    for (UpgradePolicy policy : UpgradePolicy.values()) {
      CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).upgradePolicy(policy).build();
      Instant feb1 = Instant.parse("2026-02-01T00:00:00Z");
      Instant mar1 = Instant.parse("2026-03-01T00:00:00Z");
      gate.openWallet(MAYA, ZoneOffset.UTC, JAN_1);
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 15, IdempotencyKey.of("jan"), JAN_1.plus(Duration.ofDays(9)));
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 15, IdempotencyKey.of("feb"), feb1.plus(Duration.ofDays(9)));
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 15, IdempotencyKey.of("mar"), mar1.plus(Duration.ofDays(2)));
      Instant upgrade = mar1.plus(Duration.ofDays(4));
      assertInstanceOf(Advice.Upgrade.class, gate.advice(MAYA, upgrade), policy + ": ran out three months running");
      gate.changePlan(MAYA, "pro", IdempotencyKey.of("to-pro"), upgrade);
      Advice after = gate.advice(MAYA, upgrade.plusSeconds(60));
      assertFalse(after instanceof Advice.Upgrade, () -> policy + ": advised to upgrade again at once: " + after);
    }
  }

  @Test
  void packsThatCostExactlyTheUpgradeAreNotAdvisedItACentMoreAre() {
    for (String price : new String[] {"20.00", "20.10"}) {
      CreditGate gate = CreditGate.inMemory();
      gate.openWallet(MAYA, ZoneOffset.UTC, JAN_1);
      Instant feb1 = Instant.parse("2026-02-01T00:00:00Z");
      gate.topUpCustom(MAYA, dev.creditgate.model.Money.usd(price), IdempotencyKey.of("pay-" + price),
          feb1.plus(Duration.ofDays(2)));
      Advice advice = gate.advice(MAYA, feb1.plus(Duration.ofDays(10)));
      if (price.equals("20.00")) {
        assertFalse(advice instanceof Advice.Upgrade, () -> "$20.00 of packs is the difference, not more: " + advice);
      } else {
        assertEquals(Advice.Upgrade.Why.PACKS_COST_MORE_THAN_THE_PLAN,
            assertInstanceOf(Advice.Upgrade.class, advice).why());
      }
    }
  }

  @Test
  void aGapOnlyTheCustomPackCoversIsAdvisedItAndOneNothingCoversIsAdvisedToWait() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, JAN_1);
    Instant at = JAN_1.plus(Duration.ofDays(1));
    // 2,000 credits of chat: more than the Large pack (1,000), within a Custom one ($1,000 buys 10,000).
    Decision.Denied custom = assertInstanceOf(Decision.Denied.class,
        gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 20_000_000, IdempotencyKey.of("big"), at));
    Advice.BuyPack buy = assertInstanceOf(Advice.BuyPack.class, custom.waysOut().recommended().orElseThrow());
    assertTrue(buy.pack().isEmpty());
    assertTrue(buy.customPrice().isPresent());
    // 20,000 credits: nothing on sale covers it.
    Decision.Denied none = assertInstanceOf(Decision.Denied.class,
        gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 200_000_000, IdempotencyKey.of("huge"), at));
    Advice.WaitForRenewal wait = assertInstanceOf(Advice.WaitForRenewal.class, none.waysOut().recommended().orElseThrow());
    assertEquals(Advice.WaitForRenewal.Why.NOTHING_COVERS_THE_GAP, wait.why());
  }

  @Test
  void aWalletLeftWithOnlyImageCreditsHasRunOutOfChat() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, JAN_1);
    Instant feb1 = Instant.parse("2026-02-01T00:00:00Z");
    gate.grantPromotion(MAYA, dev.creditgate.model.Promotion.of(Credits.of(10), JAN_1.plus(Duration.ofDays(90)),
        "referral").scopedTo(Operation.GENERATE_IMAGE), IdempotencyKey.of("referral"), JAN_1);
    // January and February: chat spends every common credit; the 10 image credits stay.
    gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 299_000, IdempotencyKey.of("jan"), JAN_1.plus(Duration.ofDays(9)));
    gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 299_000, IdempotencyKey.of("feb"), feb1.plus(Duration.ofDays(9)));
    assertEquals(Credits.of(10), gate.status(MAYA, feb1.plus(Duration.ofDays(10))).available());
    Advice.Upgrade up = assertInstanceOf(Advice.Upgrade.class, gate.advice(MAYA, feb1.plus(Duration.ofDays(10))));
    assertEquals(Advice.Upgrade.Why.RAN_OUT_OR_BOUGHT_PACKS, up.why());
  }

  @Test
  void aWalletOutOnItsFirstDayIsAdvisedAPackWithoutBeingToldItNeedsNothing() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, JAN_1);
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 15, IdempotencyKey.of("all"), JAN_1.plusSeconds(60));
    Advice.BuyPack buy = assertInstanceOf(Advice.BuyPack.class, gate.advice(MAYA, JAN_1.plusSeconds(120)));
    assertEquals("small", buy.pack().orElseThrow().id());
    assertEquals("Buy the Small pack ($10.00, 100 credits): you are out of credits.", buy.sentence());
  }
}
