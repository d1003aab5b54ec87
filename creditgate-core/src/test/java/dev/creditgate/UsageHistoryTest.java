package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** What a wallet keeps of its use stays bounded, and counts each spend on its own day. */
class UsageHistoryTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  @Property(tries = 200)
  void aHistoryKeepsAtMostItsDaysAndPeriodsHoweverLongTheWalletLives(
      @ForAll @IntRange(min = 1, max = 400) int days, @ForAll @IntRange(min = 0, max = 20) int periods,
      @ForAll @LongRange(min = 1, max = 1_000_000) long perDay) {
    UsageHistory u = UsageHistory.EMPTY;
    for (int i = 0; i < days; i++) {
      u = u.spent(T0.plus(DAY.multipliedBy(i)), Credits.ofThousandths(perDay));
    }
    for (int i = 0; i < periods; i++) {
      u = u.closePeriod(T0.plus(DAY.multipliedBy(i)), T0.plus(DAY.multipliedBy(i + 1)));
    }
    assertTrue(u.earlier().length <= UsageHistory.DAYS_KEPT - 1);
    assertEquals(Math.min(periods, UsageHistory.PERIODS_KEPT), u.periods().size());
    long lastDay = UsageHistory.dayOf(T0) + days - 1;
    assertEquals(Math.min(days, UsageHistory.DAYS_KEPT) * perDay, u.spentOnDays(lastDay - 40, lastDay));
    assertEquals(Optional.of(T0), u.since());
    assertEquals(u, WalletCodec.decode(withUsage(u).encoded()).usage(), "and reads back from its text");
  }

  @Example
  void eachSpendCountsOnItsDayEvenWhenDatedEarlierOrAfterAGap() {
    UsageHistory u = UsageHistory.EMPTY.spent(T0.plusSeconds(10), Credits.of(1))
        .spent(T0.plusSeconds(20), Credits.of(2))
        .spent(T0.plus(DAY.multipliedBy(3)), Credits.of(4))
        .spent(T0.plus(DAY).plusSeconds(1), Credits.of(8))            // a queued job, dated two days back
        .spent(T0.minus(DAY.multipliedBy(40)), Credits.of(16));       // older than anything kept
    long d0 = UsageHistory.dayOf(T0);
    assertEquals(3_000, u.spentOnDays(d0, d0));
    assertEquals(8_000, u.spentOnDays(d0 + 1, d0 + 1));
    assertEquals(0, u.spentOnDays(d0 + 2, d0 + 2));
    assertEquals(4_000, u.spentOnDays(d0 + 3, d0 + 3));
    assertEquals(0, u.spentOnDays(d0 - 41, d0 - 1), "the day 40 days back is not kept");
    assertEquals(Credits.of(31), u.periodSpent(), "but the period counts it");
    assertEquals(Optional.of(T0.minus(DAY.multipliedBy(40))), u.since());
  }

  @Example
  void aPeriodClosesWithWhatItSpentBoughtAndWhenItRanOut() {
    UsageHistory u = UsageHistory.EMPTY.spent(T0, Credits.of(30)).ranOut(T0.plusSeconds(5))
        .bought(Credits.of(100), Money.usd("10")).bought(Credits.of(250), Money.usd("25"))
        .bought(Credits.of(1), Money.of("1", "EUR")).ranOut(T0.plusSeconds(9))
        .closePeriod(T0.minus(DAY), T0.plus(DAY));
    PeriodSummary closed = u.periods().get(0);
    assertEquals(new PeriodSummary(T0.minus(DAY), T0.plus(DAY), Credits.of(30), Credits.of(351),
        Optional.of(Money.usd("35")), Optional.of(T0.plusSeconds(5))), closed);
    assertTrue(closed.ranOut() && closed.boughtPacks());
    assertEquals(Credits.ZERO, u.periodSpent());
    assertEquals(Optional.empty(), u.periodRanOutAt());
    assertEquals(Optional.empty(), u.periodPacksPaid());
  }

  @Example
  void aWalletThatNeverSpentNorBoughtKeepsTheSharedEmptyHistory() {
    assertSame(UsageHistory.EMPTY, UsageHistory.EMPTY.closePeriod(T0, T0.plus(DAY)));
    Wallet opened = Wallet.open(dev.creditgate.model.AccountId.of("idle"),
        dev.creditgate.model.Catalog.defaults().startingPlan(), java.time.ZoneOffset.UTC, T0).wallet();
    assertSame(UsageHistory.EMPTY, opened.usage());
    assertSame(UsageHistory.EMPTY, opened.at(T0.plus(DAY.multipliedBy(100)), WalletRules.defaults()).usage(),
        "renewals of an idle wallet record nothing");
  }

  private static Wallet withUsage(UsageHistory u) {
    Wallet w = Wallet.open(dev.creditgate.model.AccountId.of("maya"),
        dev.creditgate.model.Catalog.defaults().startingPlan(), java.time.ZoneOffset.UTC, T0).wallet();
    return new Wallet(w.account(), w.planId(), w.renewalPlanId(), w.schedule(), w.period(), w.subscription(),
        w.packs(), w.holds(), w.debt(), w.reference(), w.warningsRaised(), w.refunded().charges(), w.members(),
        w.eventsRecorded(), u);
  }
}
