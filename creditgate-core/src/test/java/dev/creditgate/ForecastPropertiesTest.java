package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The runway, projected exactly from what the wallet keeps of its last days. */
class ForecastPropertiesTest {
  private static final AccountId MAYA = AccountId.of("maya");
  /** A Sunday, at midnight UTC: day boundaries fall on whole days from it. */
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);
  private static final BigInteger NANOS_PER_DAY = BigInteger.valueOf(DAY.toNanos());
  private static final Runway DEFAULTS = new Runway(14, DAY, dev.creditgate.model.SpendOrder.SUBSCRIPTION_FIRST);

  /** A wallet opened at {@link #T0} with {@code available} subscription credits and this usage. */
  private static Wallet wallet(long available, UsageHistory usage) {
    Credits credits = Credits.ofThousandths(available);
    return new Wallet(MAYA, "free", "free", RenewalSchedule.startingAt(T0, ZoneOffset.UTC), 0, credits, List.of(),
        List.of(), Credits.ZERO, credits, 0, Map.of(), List.of(), 0, usage);
  }

  /** {@code spends[i]} thousandths spent at the start of day {@code i} after {@link #T0}, and a pinch more. */
  private static UsageHistory spentDaily(List<Long> spends, long extraOnTheLastDay) {
    UsageHistory usage = UsageHistory.EMPTY;
    for (int i = 0; i < spends.size(); i++) {
      usage = usage.spent(T0.plus(DAY.multipliedBy(i)), Credits.ofThousandths(spends.get(i)));
    }
    return extraOnTheLastDay == 0 ? usage
        : usage.spent(T0.plus(DAY.multipliedBy(spends.size() - 1)).plusSeconds(5), Credits.ofThousandths(extraOnTheLastDay));
  }

  @Property(tries = 500)
  void theRunOutTimeIsMonotoneInTheBurnRate_moreSpentNeverRunsOutLater(
      @ForAll @Size(min = 1, max = 14) List<@LongRange(min = 1, max = 10_000_000) Long> spends,
      @ForAll @LongRange(min = 1, max = 10_000_000) long extra,
      @ForAll @LongRange(min = 0, max = 100_000_000) long available,
      @ForAll @LongRange(min = 0, max = 86_399) long secondsIntoTheDay) {
    Instant at = T0.plus(DAY.multipliedBy(spends.size())).plusSeconds(secondsIntoTheDay);
    Forecast.Projected slower = assertInstanceOf(Forecast.Projected.class,
        DEFAULTS.forecast(wallet(available, spentDaily(spends, 0)), at));
    Forecast.Projected faster = assertInstanceOf(Forecast.Projected.class,
        DEFAULTS.forecast(wallet(available, spentDaily(spends, extra)), at));
    assertTrue(faster.spent().compareTo(slower.spent()) > 0);
    assertTrue(!faster.runsOutAt().isAfter(slower.runsOutAt()),
        () -> "faster " + faster.runsOutAt() + " after slower " + slower.runsOutAt());
    assertTrue(faster.neededToReachRenewal().compareTo(slower.neededToReachRenewal()) >= 0);
  }

  @Property(tries = 300)
  void withNoSpendInTheWindowThereIsNoRunOutTime(
      @ForAll @LongRange(min = 0, max = 100_000_000) long available,
      @ForAll @IntRange(min = 14, max = 40) int daysSinceTheLastSpend,
      @ForAll @LongRange(min = 1, max = 10_000_000) long spent) {
    Instant at = T0.plus(DAY.multipliedBy(daysSinceTheLastSpend));
    assertInstanceOf(Forecast.NoSpend.class, DEFAULTS.forecast(wallet(available, UsageHistory.EMPTY), at), "never spent");
    UsageHistory onlyBought = UsageHistory.EMPTY.bought(Credits.of(100), Money.usd("10"));
    assertInstanceOf(Forecast.NoSpend.class, DEFAULTS.forecast(wallet(available, onlyBought), at), "only bought");
    UsageHistory old = UsageHistory.EMPTY.spent(T0, Credits.ofThousandths(spent));
    Forecast.NoSpend none = assertInstanceOf(Forecast.NoSpend.class, DEFAULTS.forecast(wallet(available, old), at),
        "spent only before the window");
    assertEquals(Credits.ofThousandths(available), none.available());
  }

  @Property(tries = 500)
  void atASteadyBurnTheRunOutTimeIsTheExactDivision(
      @ForAll @IntRange(min = 1, max = 13) int days,
      @ForAll @LongRange(min = 1, max = 10_000_000) long perDay,
      @ForAll @LongRange(min = 0, max = 1_000_000_000) long available) {
    List<Long> spends = java.util.Collections.nCopies(days, perDay);
    Instant at = T0.plus(DAY.multipliedBy(days));
    Wallet wallet = wallet(available, spentDaily(spends, 0));
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class, DEFAULTS.forecast(wallet, at));

    assertEquals(T0, p.windowStart(), "the window starts at the first spend");
    assertEquals(DAY.multipliedBy(days), p.window());
    assertEquals(Credits.ofThousandths(perDay), p.perDay());
    BigInteger runway = BigInteger.valueOf(available).multiply(NANOS_PER_DAY).divide(BigInteger.valueOf(perDay));
    BigInteger toLatest = BigInteger.valueOf(Duration.between(at, Runway.LATEST).getSeconds()).multiply(
        BigInteger.valueOf(1_000_000_000L));
    Instant expected = available == 0 ? at : runway.compareTo(toLatest) >= 0 ? Runway.LATEST
        : at.plusSeconds(runway.divide(BigInteger.valueOf(1_000_000_000L)).longValueExact())
            .plusNanos(runway.mod(BigInteger.valueOf(1_000_000_000L)).longValueExact());
    assertEquals(expected, p.runsOutAt(), "available x 1 day / spent per day, rounded down to the nanosecond");
    BigInteger untilRenewal = BigInteger.valueOf(perDay).multiply(BigInteger.valueOf(
        Duration.between(at, wallet.nextRenewal()).toNanos()));
    BigInteger[] q = untilRenewal.divideAndRemainder(NANOS_PER_DAY);
    long needed = (q[1].signum() == 0 ? q[0] : q[0].add(BigInteger.ONE)).longValueExact() - available;
    assertEquals(Credits.ofThousandths(Math.max(0, needed)), p.neededToReachRenewal());
  }

  @Property(tries = 500)
  void creditsAreNeededExactlyWhenTheyRunOutBeforeTheRenewal(
      @ForAll @Size(min = 1, max = 14) List<@LongRange(min = 1, max = 10_000_000) Long> spends,
      @ForAll @LongRange(min = -5_000, max = 100_000_000) long available,
      @ForAll @LongRange(min = 0, max = 86_399) long secondsIntoTheDay) {
    Instant at = T0.plus(DAY.multipliedBy(spends.size())).plusSeconds(secondsIntoTheDay);
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class,
        DEFAULTS.forecast(wallet(Math.max(0, available), spentDaily(spends, 0)), at));
    assertEquals(p.runsOutBeforeRenewal(), p.neededToReachRenewal().isPositive(), p::toString);
    assertEquals(p.runsOutBeforeRenewal(), p.marginBeforeRenewal().compareTo(Duration.ZERO) > 0, p::toString);
  }

  @Property(tries = 200)
  void aFirstSpendLessThanTheMinimumAgoIsNotEnoughHistory(
      @ForAll @LongRange(min = 0, max = 86_399) long secondsAfterTheFirstSpend,
      @ForAll @LongRange(min = 1, max = 10_000_000) long spent) {
    Instant first = T0.plusSeconds(3_600);
    Forecast.NotEnoughHistory n = assertInstanceOf(Forecast.NotEnoughHistory.class, DEFAULTS.forecast(
        wallet(30_000, UsageHistory.EMPTY.spent(first, Credits.ofThousandths(spent))),
        first.plusSeconds(secondsAfterTheFirstSpend)));
    assertEquals(first, n.since());
    assertEquals(first.plus(DAY), n.enoughAt());
  }

  @Example
  void theWindowCountsTheLastFourteenDaysOnly() {
    UsageHistory usage = UsageHistory.EMPTY;
    for (int i = 0; i < 30; i++) {
      usage = usage.spent(T0.plus(DAY.multipliedBy(i)), Credits.of(i < 16 ? 100 : 1));
    }
    Instant at = T0.plus(DAY.multipliedBy(30));
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class, DEFAULTS.forecast(wallet(30_000, usage), at));
    assertEquals(Credits.of(13), p.spent(), "the 13 whole days before the forecast's, at 1 credit each");
    assertEquals(Duration.ofDays(13), p.window(), "from the start of the 13th day back, to the forecast at midnight");
    assertEquals(Credits.of(1), p.perDay());
    assertEquals(at.plus(DAY.multipliedBy(30)), p.runsOutAt(), "30 credits at 1 a day");
    Forecast.Projected week = assertInstanceOf(Forecast.Projected.class, new Runway(7, DAY, dev.creditgate.model.SpendOrder.SUBSCRIPTION_FIRST).forecast(wallet(30_000,
        usage), at));
    assertEquals(Credits.of(6), week.spent());
    assertEquals(Duration.ofDays(6), week.window());
  }
}
