package dev.creditgate;

import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;


import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a wallet's transitions follow: the catalog, the spend order, the overdraft and upgrade
 * policies, and the warnings: the thresholds in percent (highest first; the highest is the meter's
 * LOW line), the absolute thresholds (highest first), whether a depletion is published, and the
 * lead time of a promotional grant's expiry warning ({@link Duration#ZERO}: none).
 *
 * <p>A wallet keeps which warnings it raised this period as one bit each in an {@code int}: the
 * percent thresholds' indexes first, then the absolute thresholds' after them, and
 * {@link #DEPLETED_BIT} for the depletion; so there are at most {@link #MAX_THRESHOLDS} thresholds
 * of both kinds together. Immutable; built by {@code CreditGate.builder()}.
 */
record WalletRules(Catalog catalog, SpendOrder spendOrder, OverdraftPolicy overdraft,
    UpgradePolicy upgradePolicy, List<Integer> warningPercents, List<Credits> warningCredits,
    boolean warnWhenDepleted, Duration expiryWarningLead) {

  /** The most thresholds, in percent and absolute together: one bit each, below {@link #DEPLETED_BIT}. */
  static final int MAX_THRESHOLDS = 31;
  /** The bit of a wallet's raised warnings that records the depletion: the sign bit. */
  static final int DEPLETED_BIT = 1 << 31;

  /** Percent warnings only, no depletion or expiry warning: the rules before absolute thresholds. */
  WalletRules(Catalog catalog, SpendOrder spendOrder, OverdraftPolicy overdraft, UpgradePolicy upgradePolicy,
      List<Integer> warningPercents) {
    this(catalog, spendOrder, overdraft, upgradePolicy, warningPercents, List.of(), false, Duration.ZERO);
  }

  /** The article's thresholds: the balance widget warns at 20% and at 0%. */
  public static final List<Integer> DEFAULT_WARNING_PERCENTS = List.of(20, 0);

  public WalletRules {
    Arguments.require(catalog, "catalog");
    Arguments.require(spendOrder, "spendOrder");
    Arguments.require(overdraft, "overdraft");
    Arguments.require(upgradePolicy, "upgradePolicy");
    Arguments.require(warningPercents, "warningPercents");
    List<Integer> sorted = new ArrayList<>(warningPercents);
    for (Integer percent : sorted) {
      if (percent == null || percent < 0 || percent > 100) {
        throw new InvalidRequestException("warning percent must be in 0..100 but was " + percent);
      }
    }
    sorted.sort((a, b) -> Integer.compare(b, a));
    if (sorted.stream().distinct().count() != sorted.size()) {
      throw new InvalidRequestException("warning percents must be distinct but were " + warningPercents);
    }
    List<Credits> amounts = new ArrayList<>(Arguments.require(warningCredits, "warningCredits"));
    for (Credits amount : amounts) {
      if (amount == null || amount.isNegative()) {
        throw new InvalidRequestException("warning credits must be zero or more but were " + amount);
      }
    }
    amounts.sort(java.util.Comparator.reverseOrder());
    if (amounts.stream().distinct().count() != amounts.size()) {
      throw new InvalidRequestException("warning credits must be distinct but were " + warningCredits);
    }
    if (sorted.size() + amounts.size() > MAX_THRESHOLDS) {
      throw new InvalidRequestException("at most " + MAX_THRESHOLDS + " warning thresholds, got " + sorted.size()
          + " in percent and " + amounts.size() + " in credits");
    }
    Arguments.require(expiryWarningLead, "expiryWarningLead");
    if (expiryWarningLead.isNegative()) {
      throw new InvalidRequestException("the expiry warning's lead time must not be negative but was "
          + expiryWarningLead);
    }
    warningPercents = List.copyOf(sorted);
    warningCredits = List.copyOf(amounts);
  }

  public static WalletRules defaults() {
    return new WalletRules(Catalog.defaults(), SpendOrder.SUBSCRIPTION_FIRST, OverdraftPolicy.NONE,
        UpgradePolicy.RESTART_PERIOD, DEFAULT_WARNING_PERCENTS);
  }

  /** The meter's LOW line in percent: the highest non-zero threshold, or 0 when there is none. */
  int lowPercent() {
    for (int i = 0; i < warningPercents.size(); i++) {
      if (warningPercents.get(i) > 0) {
        return warningPercents.get(i);
      }
    }
    return 0;
  }

  /** {@code percent}% of {@code reference}, rounded down, without overflow. */
  static long percentOf(Credits reference, int percent) {
    long units = reference.thousandths();
    return units / 100 * percent + units % 100 * percent / 100;
  }
}
