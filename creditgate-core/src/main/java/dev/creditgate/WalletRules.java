package dev.creditgate;

import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;


import java.util.ArrayList;
import java.util.List;

/**
 * The rules a wallet's transitions follow: the catalog, the spend order, the overdraft and upgrade
 * policies, and the warning thresholds in percent (highest first; the highest is the meter's LOW
 * line). Immutable; built by {@code CreditGate.builder()}.
 */
record WalletRules(Catalog catalog, SpendOrder spendOrder, OverdraftPolicy overdraft,
    UpgradePolicy upgradePolicy, List<Integer> warningPercents) {

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
    if (sorted.size() > 31) {
      throw new InvalidRequestException("at most 31 warning percents, got " + sorted.size());
    }
    warningPercents = List.copyOf(sorted);
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
