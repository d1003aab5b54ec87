package dev.creditgate;

import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives a wallet its {@link Advice}, by the rule that type documents, from what the wallet keeps
 * of its use (its periods and its {@link Forecast}). Pure and immutable.
 */
final class Advisor {
  private final Catalog catalog;
  private final Runway runway;
  private final int periodsShort;
  private final int ofLastPeriods;
  private final int packsPercent;

  /**
   * @param periodsShort how many of the last periods must have run out or bought packs to advise
   *     an upgrade
   * @param ofLastPeriods how many periods the rule looks at, the one in force included
   * @param packsPercent the share of the plan's price difference, in percent, that a period's pack
   *     purchases must exceed to advise an upgrade
   */
  Advisor(Catalog catalog, Runway runway, int periodsShort, int ofLastPeriods, int packsPercent) {
    this.catalog = catalog;
    this.runway = runway;
    this.periodsShort = periodsShort;
    this.ofLastPeriods = ofLastPeriods;
    this.packsPercent = packsPercent;
  }

  Runway runway() {
    return runway;
  }

  /**
   * The advice for {@code wallet} as it stands at {@code at}; for a denial, {@code shortfall} is
   * what the denied operation misses.
   */
  Advice advise(Wallet wallet, Instant at, Optional<Credits> shortfall) {
    Forecast forecast = runway.forecast(wallet, at);
    Optional<Advice> upgrade = upgrade(wallet, at, forecast);
    if (upgrade.isPresent()) {
      return upgrade.get();
    }
    Credits available = wallet.available();
    Credits missing = shortfall.orElse(Credits.ZERO);
    if (forecast instanceof Forecast.Projected p && p.runsOutBeforeRenewal()) {
      return buy(wallet, at, forecast, p.neededToReachRenewal().max(missing));
    }
    // A denial is never told to wait: what it misses now is what a pack must cover, at least.
    boolean out = !available.isPositive();
    if (out || shortfall.isPresent()) {
      return buy(wallet, at, forecast, missing.max(available.negate()));
    }
    return new Advice.WaitForRenewal(wallet.account(), at, forecast,
        forecast instanceof Forecast.NoSpend ? Advice.WaitForRenewal.Why.NO_SPEND
            : forecast instanceof Forecast.NotEnoughHistory ? Advice.WaitForRenewal.Why.NOT_ENOUGH_HISTORY
                : Advice.WaitForRenewal.Why.FORECAST_REACHES_RENEWAL);
  }

  /** What a denial for a member's cap is advised: only the renewal resets it. */
  Advice memberCap(Wallet wallet, Instant at) {
    return new Advice.WaitForRenewal(wallet.account(), at, runway.forecast(wallet, at),
        Advice.WaitForRenewal.Why.MEMBER_CAP_REACHED);
  }

  private Advice buy(Wallet wallet, Instant at, Forecast forecast, Credits gap) {
    Optional<Pack> pack = catalog.smallestPackCovering(gap);
    Optional<Money> custom = catalog.customPacks().flatMap(terms -> terms.cheapestPriceFor(gap));
    if (pack.isEmpty() && custom.isEmpty()) {
      return new Advice.WaitForRenewal(wallet.account(), at, forecast,
          Advice.WaitForRenewal.Why.NOTHING_COVERS_THE_GAP);
    }
    return new Advice.BuyPack(wallet.account(), at, forecast, gap, pack, custom);
  }

  private Optional<Advice> upgrade(Wallet wallet, Instant at, Forecast forecast) {
    Optional<Plan> next = catalog.nextPlanAfter(wallet.planId());
    if (next.isEmpty()) {
      return Optional.empty();
    }
    Plan from = catalog.plan(wallet.planId());
    Plan to = next.get();
    List<PeriodSummary> periods = lastPeriods(wallet, at);
    boolean sameCurrency = from.monthlyPrice().currency().equals(to.monthlyPrice().currency());
    Money difference = new Money(sameCurrency
        ? Math.max(0, to.monthlyPrice().minorUnits() - from.monthlyPrice().minorUnits()) : to.monthlyPrice().minorUnits(),
        to.monthlyPrice().currency());
    Credits more = to.monthlyCredits().minus(from.monthlyCredits());
    int shortCount = 0;
    boolean packsCostMore = false;
    BigInteger threshold = BigInteger.valueOf(difference.minorUnits()).multiply(BigInteger.valueOf(packsPercent));
    for (PeriodSummary p : periods) {
      if (p.ranOut() || p.boughtPacks()) {
        shortCount++;
      }
      Optional<Money> paid = p.packsPaid();
      if (sameCurrency && paid.isPresent() && paid.get().currency().equals(difference.currency())
          && BigInteger.valueOf(paid.get().minorUnits()).multiply(BigInteger.valueOf(100)).compareTo(threshold) > 0) {
        packsCostMore = true;
      }
    }
    Advice.Upgrade.Why why = shortCount >= periodsShort ? Advice.Upgrade.Why.RAN_OUT_OR_BOUGHT_PACKS
        : packsCostMore ? Advice.Upgrade.Why.PACKS_COST_MORE_THAN_THE_PLAN : null;
    return why == null ? Optional.empty() : Optional.of(new Advice.Upgrade(wallet.account(), at, forecast,
        from.id(), to, why, periods, difference, more));
  }

  /** The period in force (up to {@code at}) and the completed ones before it, as many as the rule looks at. */
  private List<PeriodSummary> lastPeriods(Wallet wallet, Instant at) {
    UsageHistory usage = wallet.usage();
    List<PeriodSummary> periods = new ArrayList<>(ofLastPeriods);
    Instant start = wallet.schedule().periodStart(wallet.period());
    periods.add(usage.current(start, at.isBefore(start) ? start : at));
    List<PeriodSummary> closed = usage.periods();
    for (int i = 0; i < closed.size() && periods.size() < ofLastPeriods; i++) {
      periods.add(closed.get(i));
    }
    return periods;
  }
}
