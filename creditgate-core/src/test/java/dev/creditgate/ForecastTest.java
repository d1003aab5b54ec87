package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The article's runway: "at this rate you run out on 14 March, 5 days before your renewal". */
class ForecastTest {
  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant FEB_19 = Instant.parse("2026-02-19T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  /** Maya on Pro from 19 February (renewing on the 19th), spending 10 credits a day from the 27th. */
  private static CreditGate mayaSpendingTenADay(CreditGate gate, int days) {
    gate.openWallet(MAYA, ZoneOffset.UTC, FEB_19);
    gate.changePlan(MAYA, "pro", IdempotencyKey.of("upgrade"), FEB_19);
    for (int i = 0; i < days; i++) {
      Instant day = Instant.parse("2026-02-27T00:00:00Z").plus(DAY.multipliedBy(i));
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 5, IdempotencyKey.of("img-" + i), day);
    }
    return gate;
  }

  @Test
  void atTenCreditsADayMayaRunsOutOnTheFourteenthOfMarchFiveDaysBeforeHerRenewal() {
    CreditGate gate = mayaSpendingTenADay(CreditGate.inMemory(), 5);
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class,
        gate.forecast(MAYA, Instant.parse("2026-03-04T00:00:00Z")));
    assertEquals(Credits.of(100), p.available());
    assertEquals(Credits.of(50), p.spent());
    assertEquals(Duration.ofDays(5), p.window());
    assertEquals(Credits.of(10), p.perDay());
    assertEquals(Instant.parse("2026-03-14T00:00:00Z"), p.runsOutAt());
    assertEquals(Instant.parse("2026-03-19T00:00:00Z"), p.nextRenewal());
    assertTrue(p.runsOutBeforeRenewal());
    assertEquals(Duration.ofDays(5), p.marginBeforeRenewal());
    assertEquals(Credits.of(50), p.neededToReachRenewal(), "15 days at 10 a day, less the 100 left");
  }

  @Test
  void theForecastReadsTheSameFromAStoreThatKeepsOnlyText() {
    InMemoryWalletStore memory = InMemoryWalletStore.create();
    CreditGate gate = mayaSpendingTenADay(CreditGate.builder(new MeterExplanationTest.TextOnlyStore(memory)).build(), 5);
    Instant at = Instant.parse("2026-03-04T00:00:00Z");
    assertEquals(mayaSpendingTenADay(CreditGate.inMemory(), 5).forecast(MAYA, at), gate.forecast(MAYA, at));
  }

  @Test
  void aFirstSpendLessThanADayAgoIsNotEnoughHistoryAndAWalletThatNeverSpentNeverRunsOut() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, FEB_19);
    assertInstanceOf(Forecast.NoSpend.class, gate.forecast(MAYA, FEB_19.plus(DAY.multipliedBy(3))));
    Instant first = FEB_19.plus(DAY.multipliedBy(3));
    gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 2_000, IdempotencyKey.of("msg-1"), first);
    Forecast.NotEnoughHistory n = assertInstanceOf(Forecast.NotEnoughHistory.class,
        gate.forecast(MAYA, first.plusSeconds(3_600)));
    assertEquals(first.plus(DAY), n.enoughAt());
    assertEquals(Credits.parse("29.7"), n.available());
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class, gate.forecast(MAYA, first.plus(DAY)));
    assertFalse(p.runsOutBeforeRenewal(), "0.3 a day lasts the month: " + p);
    assertEquals(Credits.ZERO, p.neededToReachRenewal());
  }

  @Test
  void aShorterWindowAndHistoryAreTheGatesSettings() {
    CreditGate gate = mayaSpendingTenADay(CreditGate.builder(InMemoryWalletStore.create())
        .forecastWindow(Duration.ofDays(2)).forecastMinimumHistory(Duration.ofHours(1)).build(), 5);
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class,
        gate.forecast(MAYA, Instant.parse("2026-03-04T00:00:00Z")));
    assertEquals(Duration.ofDays(1), p.window(), "the two days of the window: yesterday, and today up to midnight");
    assertEquals(Credits.of(10), p.spent());
  }

  @Test
  void capturesCountAsSpendAndReservesDoNot() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, FEB_19);
    gate.reserve(MAYA, Operation.GENERATE_IMAGE, 5, IdempotencyKey.of("h-1"), FEB_19);
    assertInstanceOf(Forecast.NoSpend.class, gate.forecast(MAYA, FEB_19.plusSeconds(300)), "only held");
    gate.capture(MAYA, IdempotencyKey.of("h-1"), 3, dev.creditgate.model.Outcome.succeeded(),
        IdempotencyKey.of("h-1-end"), FEB_19.plusSeconds(600));
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class, gate.forecast(MAYA,
        FEB_19.plus(DAY.multipliedBy(3))));
    assertEquals(Credits.of(6), p.spent());
  }
}
