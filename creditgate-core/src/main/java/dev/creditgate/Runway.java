package dev.creditgate;

import dev.creditgate.model.Credits;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Computes a wallet's {@link Forecast} from its own usage history, never its ledger: the spend of
 * its last days over the window's length, projected exactly. Pure and immutable.
 */
final class Runway {
  /** The latest run-out time a forecast names: the end of the years a gate accepts. */
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
  private static final BigInteger NANOS_PER_DAY = BigInteger.valueOf(86_400_000_000_000L);

  private final int windowDays;
  private final Duration minimumHistory;
  private final dev.creditgate.model.SpendOrder spendOrder;

  /**
   * @param windowDays the UTC days the rate is measured over, 1..{@value UsageHistory#DAYS_KEPT}
   * @param minimumHistory how long before a forecast the first recorded spend must be, positive
   * @param spendOrder the order the wallet's credits are spent in
   */
  Runway(int windowDays, Duration minimumHistory, dev.creditgate.model.SpendOrder spendOrder) {
    this.windowDays = windowDays;
    this.minimumHistory = minimumHistory;
    this.spendOrder = spendOrder;
  }

  /** The forecast of {@code wallet}, as it stands at {@code at} (renewals due by then applied). */
  Forecast forecast(Wallet wallet, Instant at) {
    UsageHistory usage = wallet.usage();
    // Credits scoped to some operations never count: the rate is of every operation's spending.
    Credits available = wallet.commonAvailable();
    Instant renewal = wallet.nextRenewal();
    long lastDay = UsageHistory.dayOf(at);
    long firstDay = lastDay - windowDays + 1;
    if (UsageHistory.startOfDay(firstDay).equals(at)) {
      // A one-day window at midnight exactly would be empty: it is the day before.
      firstDay--;
    }
    Instant dayStart = UsageHistory.startOfDay(firstDay);
    Optional<Instant> first = usage.since();
    if (first.isEmpty()) {
      return new Forecast.NoSpend(wallet.account(), at, available, renewal, dayStart);
    }
    Instant since = first.get();
    if (Duration.between(since, at).compareTo(minimumHistory) < 0) {
      return new Forecast.NotEnoughHistory(wallet.account(), at, available, renewal, since, since.plus(minimumHistory));
    }
    Instant windowStart = since.isAfter(dayStart) ? since : dayStart;
    long spent = usage.spentOnDays(firstDay, lastDay);
    if (spent <= 0) {
      return new Forecast.NoSpend(wallet.account(), at, available, renewal, windowStart);
    }
    BigInteger elapsed = nanosBetween(windowStart, at);
    BigInteger rate = BigInteger.valueOf(spent);
    available = available.minus(expiringUnspent(wallet, at, rate, elapsed));
    Instant runsOutAt = available.isPositive()
        ? plusNanos(at, BigInteger.valueOf(available.thousandths()).multiply(elapsed).divide(rate))
        : at;
    BigInteger untilRenewal = rate.multiply(nanosBetween(at, renewal));
    BigInteger[] needed = untilRenewal.divideAndRemainder(elapsed);
    BigInteger neededUnits = (needed[1].signum() == 0 ? needed[0] : needed[0].add(BigInteger.ONE))
        .subtract(BigInteger.valueOf(available.thousandths())).max(BigInteger.ZERO);
    BigInteger twice = elapsed.shiftLeft(1);
    BigInteger perDay = rate.multiply(NANOS_PER_DAY).shiftLeft(1).add(elapsed).divide(twice);
    return new Forecast.Projected(wallet.account(), at, available, renewal, windowStart, Credits.ofThousandths(spent),
        credits(perDay), runsOutAt, runsOutAt.isBefore(renewal), credits(neededUnits));
  }

  /**
   * The promotional credits of every operation that would expire before they are spent at the rate
   * {@code spent / elapsed}: the wallet's credits are spent in its spend order (subscription, then
   * promotions, then packs; under {@link dev.creditgate.model.SpendOrder#PACKS_FIRST} promotions,
   * packs, subscription), and a promotion can pay at most what the rate spends up to its expiry,
   * less what the credits before it in the order take (rounded down: the runway never counts a
   * credit it cannot reach). Open holds are not placed on the time line.
   */
  private Credits expiringUnspent(Wallet wallet, Instant at, BigInteger spent, BigInteger elapsed) {
    if (wallet.promotions().isEmpty()) {
      return Credits.ZERO;
    }
    long before = spendOrder == dev.creditgate.model.SpendOrder.SUBSCRIPTION_FIRST
        ? wallet.subscription().thousandths() : 0;
    long wasted = 0;
    for (PromotionGrant p : wallet.promotions()) {
      if (p.isScoped()) {
        continue;
      }
      long reach = spent.multiply(nanosBetween(at, p.expiresAt())).divide(elapsed)
          .subtract(BigInteger.valueOf(before)).max(BigInteger.ZERO)
          .min(BigInteger.valueOf(p.remaining().thousandths())).longValueExact();
      wasted = Math.addExact(wasted, p.remaining().thousandths() - reach);
      before = Math.addExact(before, reach);
    }
    return Credits.ofThousandths(wasted);
  }

  /** Thousandths as credits, at most the largest amount (a rate over a nanosecond of history could exceed it). */
  private static Credits credits(BigInteger thousandths) {
    return Credits.ofThousandths(thousandths.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact());
  }

  private static BigInteger nanosBetween(Instant from, Instant to) {
    return BigInteger.valueOf(to.getEpochSecond()).subtract(BigInteger.valueOf(from.getEpochSecond()))
        .multiply(NANOS_PER_SECOND).add(BigInteger.valueOf(to.getNano() - from.getNano()));
  }

  /** {@code at} plus {@code nanos}, at most {@link #LATEST}. */
  private static Instant plusNanos(Instant at, BigInteger nanos) {
    if (nanos.compareTo(nanosBetween(at, LATEST)) >= 0) {
      return LATEST.isAfter(at) ? LATEST : at;
    }
    BigInteger[] parts = nanos.divideAndRemainder(NANOS_PER_SECOND);
    return at.plusSeconds(parts[0].longValueExact()).plusNanos(parts[1].longValueExact());
  }
}
