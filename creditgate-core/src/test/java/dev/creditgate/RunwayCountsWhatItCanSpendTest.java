package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Promotion;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The runway counts only what the wallet can spend (docs/gate.md, "The runway"): a promotion up to
 * what the forecast's rate spends of it before its expiry, after the credits before it in the spend
 * order; credits scoped to some operations not at all.
 */
class RunwayCountsWhatItCanSpendTest {
  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);
  /** A day after the first spend of 10 credits: the rate is 10 credits a day, 20 subscription credits left. */
  private static final Instant AT = APRIL.plus(DAY);
  private int keys;

  private IdempotencyKey key() {
    return IdempotencyKey.of("k" + ++keys);
  }

  private CreditGate spentTenOnTheFirstDay(SpendOrder order) {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).spendOrder(order).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    gate.charge(MAYA, Operation.CONNECT_INTEGRATION, 2, key(), APRIL);
    return gate;
  }

  /** What the runway counts with a 10-credit promotion expiring at {@code expiry}. */
  private Credits counted(SpendOrder order, Instant expiry) {
    CreditGate gate = spentTenOnTheFirstDay(order);
    gate.grantPromotion(MAYA, Credits.of(10), expiry, "bonus", key(), APRIL.plusSeconds(1));
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class, gate.forecast(MAYA, AT));
    assertEquals(Credits.of(10), p.perDay());
    return p.available();
  }

  @Test
  void aPromotionCountsOnlyWhatTheRateSpendsOfItBeforeItsExpiry() {
    // The 20 subscription credits take two days; a promotion expiring one day from now is never reached.
    assertEquals(Credits.of(20), counted(SpendOrder.SUBSCRIPTION_FIRST, AT.plus(DAY)));
    assertEquals(Credits.of(25), counted(SpendOrder.SUBSCRIPTION_FIRST, AT.plus(Duration.ofHours(60))), "half of it");
    assertEquals(Credits.of(30), counted(SpendOrder.SUBSCRIPTION_FIRST, AT.plus(DAY.multipliedBy(3))), "all of it");
    assertEquals(Credits.parse("29.999"), counted(SpendOrder.SUBSCRIPTION_FIRST,
        AT.plus(DAY.multipliedBy(3)).minusNanos(1)), "one nanosecond short: rounded down");
    assertEquals(Credits.of(20), counted(SpendOrder.SUBSCRIPTION_FIRST, AT.plus(DAY.multipliedBy(2))),
        "expiring exactly when the subscription credits are spent");
  }

  @Test
  void underPacksFirstThePromotionIsSpentFirstAndCountsWhole() {
    assertEquals(Credits.of(30), counted(SpendOrder.PACKS_FIRST, AT.plus(DAY)));
    assertEquals(Credits.parse("29.999"), counted(SpendOrder.PACKS_FIRST, AT.plus(DAY).minusNanos(1)));
  }

  @Test
  void creditsScopedToSomeOperationsAreNotCounted() {
    CreditGate gate = spentTenOnTheFirstDay(SpendOrder.SUBSCRIPTION_FIRST);
    gate.grantPromotion(MAYA, Promotion.of(Credits.of(50), AT.plus(DAY.multipliedBy(90)), "images")
        .scopedTo(Operation.GENERATE_IMAGE), key(), APRIL.plusSeconds(1));
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class, gate.forecast(MAYA, AT));
    assertEquals(Credits.of(20), p.available());
    assertEquals(AT.plus(DAY.multipliedBy(2)), p.runsOutAt(), "the image credits do not lengthen the runway");
    assertEquals(Credits.of(70), gate.status(MAYA, AT).available(), "the status still shows them");
  }

  @Test
  void withoutARateScopedCreditsStillDoNotCountAndPromotionsCountWhole() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    gate.grantPromotion(MAYA, Credits.of(10), APRIL.plus(DAY), "bonus", key(), APRIL);
    gate.grantPromotion(MAYA, Promotion.of(Credits.of(5), APRIL.plus(DAY), "images")
        .scopedTo(Operation.GENERATE_IMAGE), key(), APRIL);
    Forecast f = gate.forecast(MAYA, APRIL.plusSeconds(60));
    assertInstanceOf(Forecast.NoSpend.class, f);
    assertEquals(Credits.of(40), f.available());
  }
}
