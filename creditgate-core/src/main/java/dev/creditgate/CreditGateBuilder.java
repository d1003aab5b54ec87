package dev.creditgate;

import dev.creditgate.model.Catalog;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.OutcomePolicy;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.GateObserver;
import dev.creditgate.spi.WalletStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configures a {@link CreditGate}: {@code CreditGate.builder(store)...build()}. Every setting but
 * the store has a default: the article's catalog and cost table, subscription credits first, no
 * overdraft, upgrades restarting the period, warnings at 20% and 0%, holds open for 15 minutes,
 * the system clock in UTC.
 *
 * <p>Each setter checks its value when it is called: a null, or a value out of the range it
 * documents, throws {@link InvalidRequestException} naming the setting and the value, and leaves
 * the builder as it was. Not thread-safe; the gate it builds is.
 */
public final class CreditGateBuilder {
  /** How long a hold stays open without a capture or release: 15 minutes. */
  public static final Duration DEFAULT_HOLD_TIME_TO_LIVE = Duration.ofMinutes(15);
  /** The longest a hold may stay open: 365 days. Work in flight for longer is not in flight. */
  public static final Duration MAX_HOLD_TIME_TO_LIVE = Duration.ofDays(365);
  /**
   * The most balance warnings a gate keeps: thresholds in percent ({@link #warnAt}) and in credits
   * ({@link #warnBelow}) together.
   */
  public static final int MAX_WARNINGS = WalletRules.MAX_THRESHOLDS;
  /** The longest lead time of a promotional grant's expiry warning: 365 days. */
  public static final Duration MAX_EXPIRY_WARNING_LEAD = Duration.ofDays(365);
  /** The window a forecast measures the burn rate over by default: the last 14 days. */
  public static final Duration DEFAULT_FORECAST_WINDOW = Duration.ofDays(14);
  /** The longest forecast window, and the most days a wallet keeps its spend of: 31 days. */
  public static final Duration MAX_FORECAST_WINDOW = Duration.ofDays(UsageHistory.DAYS_KEPT);
  /** The periods the advice looks at, the one in force included, by default: 3. */
  public static final int DEFAULT_UPGRADE_ADVICE_OF_LAST_PERIODS = 3;
  /** In how many of those the wallet must have run out or bought packs to be advised to upgrade: 2. */
  public static final int DEFAULT_UPGRADE_ADVICE_PERIODS_SHORT = 2;
  /** The share of a plan's price difference, in percent, pack purchases in a period must exceed: 100. */
  public static final int DEFAULT_UPGRADE_ADVICE_PACKS_PERCENT = 100;
  /** The most periods the advice can look at: the one in force and the 6 a wallet keeps. */
  public static final int MAX_UPGRADE_ADVICE_PERIODS = UsageHistory.PERIODS_KEPT + 1;

  /** The history a forecast needs by default: a first recorded spend at least 1 day before it. */
  public static final Duration DEFAULT_FORECAST_MINIMUM_HISTORY = Duration.ofDays(1);

  final WalletStore store;
  EventSink events = EventSink.discarding();
  Catalog catalog = Catalog.defaults();
  CostTable costs = CostTable.defaults();
  SpendOrder spendOrder = SpendOrder.SUBSCRIPTION_FIRST;
  OverdraftPolicy overdraft = OverdraftPolicy.NONE;
  UpgradePolicy upgradePolicy = UpgradePolicy.RESTART_PERIOD;
  List<Integer> warningPercents = WalletRules.DEFAULT_WARNING_PERCENTS;
  List<Credits> warningCredits = List.of();
  boolean warnWhenDepleted;
  Duration expiryWarningLead = Duration.ZERO;
  OutcomePolicy outcomes = OutcomePolicy.defaults();
  Duration holdTimeToLive = DEFAULT_HOLD_TIME_TO_LIVE;
  Clock clock = Clock.systemUTC();
  GateObserver observer = Observers.NONE;
  Duration forecastWindow = DEFAULT_FORECAST_WINDOW;
  Duration forecastMinimumHistory = DEFAULT_FORECAST_MINIMUM_HISTORY;
  int upgradeAdvicePeriodsShort = DEFAULT_UPGRADE_ADVICE_PERIODS_SHORT;
  int upgradeAdviceOfLastPeriods = DEFAULT_UPGRADE_ADVICE_OF_LAST_PERIODS;
  int upgradeAdvicePacksPercent = DEFAULT_UPGRADE_ADVICE_PACKS_PERCENT;

  CreditGateBuilder(WalletStore store) {
    this.store = store;
  }

  /**
   * Where committed changes' events go; by default they are dropped (and count as delivered). Each
   * event reaches the sink at least once, each account's in sequence order: see
   * {@link EventSink} and {@link CreditGate#deliverPendingEvents(int)}.
   *
   * @param sink receives each event once its change is committed; a sink that throws is logged,
   *     the change stands, and the event is handed over again by a later delivery
   * @return this builder
   */
  public CreditGateBuilder eventSink(EventSink sink) {
    this.events = Arguments.require(sink, "eventSink");
    return this;
  }

  /**
   * The plans and packs sold: {@link Catalog#defaults()} by default.
   *
   * @param catalog the plans, packs and custom pack terms; its lowest plan is where every new
   *     wallet starts
   * @return this builder
   */
  public CreditGateBuilder catalog(Catalog catalog) {
    this.catalog = Arguments.require(catalog, "catalog");
    return this;
  }

  /**
   * What each operation costs: {@link CostTable#defaults()} by default.
   *
   * @param costs the price of every operation the gate is asked about; an operation it does not
   *     list throws {@link UnknownOperationException}
   * @return this builder
   */
  public CreditGateBuilder costTable(CostTable costs) {
    this.costs = Arguments.require(costs, "costTable");
    return this;
  }

  /**
   * Which credits a charge takes first: {@link SpendOrder#SUBSCRIPTION_FIRST} by default.
   *
   * @param order whether subscription credits or pack credits go first
   * @return this builder
   */
  public CreditGateBuilder spendOrder(SpendOrder order) {
    this.spendOrder = Arguments.require(order, "spendOrder");
    return this;
  }

  /**
   * Whether the last operation may take the balance negative: {@link OverdraftPolicy#NONE} by
   * default.
   *
   * @param policy how far below zero a paid operation may take the available credits
   * @return this builder
   */
  public CreditGateBuilder overdraft(OverdraftPolicy policy) {
    this.overdraft = Arguments.require(policy, "overdraft");
    return this;
  }

  /**
   * What an upgrade does to the period and the subscription credits:
   * {@link UpgradePolicy#RESTART_PERIOD} by default (a new period with the full allowance);
   * {@link UpgradePolicy#KEEP_RENEWAL_DATE} grants the allowance difference prorated to the part
   * of the period left.
   *
   * @param policy whether an upgrade starts a new billing period or keeps the renewal date
   * @return this builder
   */
  public CreditGateBuilder upgradePolicy(UpgradePolicy policy) {
    this.upgradePolicy = Arguments.require(policy, "upgradePolicy");
    return this;
  }

  /**
   * The balance warnings, in percent of the period's reference amount: {@code 20, 0} by default;
   * none for an empty list.
   *
   * @param percents the thresholds, each 0 to 100, distinct, at most {@link #MAX_WARNINGS} with
   *     the {@link #warnBelow} amounts; a {@link dev.creditgate.model.WalletEvent.ThresholdCrossed}
   *     is published the first time in a period the available credits fall to or under one
   * @return this builder
   * @throws InvalidRequestException naming the value if a percent is outside 0..100, appears
   *     twice, or there are more than {@link #MAX_WARNINGS} with the {@link #warnBelow} amounts
   */
  public CreditGateBuilder warnAt(int... percents) {
    Arguments.require(percents, "percents");
    if (percents.length + warningCredits.size() > MAX_WARNINGS) {
      throw new InvalidRequestException("percents", Integer.toString(percents.length),
          "at most " + MAX_WARNINGS + " warnings, got " + percents.length + " percents and "
              + warningCredits.size() + " amounts");
    }
    List<Integer> list = new ArrayList<>();
    for (int percent : percents) {
      if (percent < 0 || percent > 100) {
        throw new InvalidRequestException("percents", Integer.toString(percent),
            "warning percent must be in 0..100 but was " + percent);
      }
      if (list.contains(percent)) {
        throw new InvalidRequestException("percents", Integer.toString(percent),
            "warning percents must be distinct but " + percent + " appears twice");
      }
      list.add(percent);
    }
    this.warningPercents = List.copyOf(list);
    return this;
  }

  /**
   * Balance warnings in credits ("under 5 credits"), besides those in percent: none by default;
   * none again for no amounts.
   *
   * @param amounts the thresholds, each zero or more, distinct, at most {@link #MAX_WARNINGS} with
   *     the {@link #warnAt} percents; a {@link dev.creditgate.model.WalletEvent.BalanceBelow} is
   *     published the first time in a period the available credits fall to or under one, and again
   *     only after a grant lifted them above it
   * @return this builder
   * @throws InvalidRequestException naming the value if an amount is null or negative, appears
   *     twice, or there are more than {@link #MAX_WARNINGS} with the {@link #warnAt} percents
   */
  public CreditGateBuilder warnBelow(Credits... amounts) {
    Arguments.require(amounts, "amounts");
    if (amounts.length + warningPercents.size() > MAX_WARNINGS) {
      throw new InvalidRequestException("amounts", Integer.toString(amounts.length),
          "at most " + MAX_WARNINGS + " warnings, got " + amounts.length + " amounts and "
              + warningPercents.size() + " percents");
    }
    List<Credits> list = new ArrayList<>();
    for (Credits amount : amounts) {
      Arguments.require(amount, "amounts");
      if (amount.isNegative()) {
        throw new InvalidRequestException("amounts", amount.toString(),
            "a warning amount must be zero or more but was " + amount);
      }
      if (list.contains(amount)) {
        throw new InvalidRequestException("amounts", amount.toString(),
            "warning amounts must be distinct but " + amount + " appears twice");
      }
      list.add(amount);
    }
    this.warningCredits = List.copyOf(list);
    return this;
  }

  /**
   * Whether a {@link dev.creditgate.model.WalletEvent.CreditsDepleted} is published the first time
   * in a period a spend leaves nothing available (zero, or less after an overdraft); off by
   * default, as the 0% threshold of the default warnings already marks it. Once per depletion: a
   * grant that lifts the balance above zero re-arms it, so a later spend back to zero publishes it
   * again.
   *
   * @param enabled whether to publish it
   * @return this builder
   */
  public CreditGateBuilder warnWhenDepleted(boolean enabled) {
    this.warnWhenDepleted = enabled;
    return this;
  }

  /**
   * How long before a promotional grant expires its
   * {@link dev.creditgate.model.WalletEvent.PromotionExpiring} warning is due: none by default
   * ({@link Duration#ZERO}). It is published once per grant, by the first call at or after the
   * grant's expiry less {@code lead} that finds it unexpired with credits left (lazily, as the
   * expiry itself: a wallet nothing touches is not warned), or by the grant itself when it already
   * expires within {@code lead}; a call the gate refuses commits nothing, so publishes nothing.
   *
   * @param lead zero (no warning) or positive, at most {@link #MAX_EXPIRY_WARNING_LEAD}
   * @return this builder
   * @throws InvalidRequestException naming the value if it is negative or longer than
   *     {@link #MAX_EXPIRY_WARNING_LEAD}
   */
  public CreditGateBuilder warnBeforeExpiry(Duration lead) {
    Arguments.require(lead, "warnBeforeExpiry");
    if (lead.isNegative() || lead.compareTo(MAX_EXPIRY_WARNING_LEAD) > 0) {
      throw new InvalidRequestException("warnBeforeExpiry", lead.toString(),
          "the expiry warning's lead time must be 0 to " + MAX_EXPIRY_WARNING_LEAD + " but was " + lead);
    }
    this.expiryWarningLead = lead;
    return this;
  }

  /**
   * What errors and retries are charged; see {@link OutcomePolicy#defaults()}.
   *
   * @param policy the share of the metered cost a capture charges for each outcome
   * @return this builder
   */
  public CreditGateBuilder outcomePolicy(OutcomePolicy policy) {
    this.outcomes = Arguments.require(policy, "outcomePolicy");
    return this;
  }

  /**
   * How long a hold stays open before it expires and returns its credits:
   * {@link #DEFAULT_HOLD_TIME_TO_LIVE} by default.
   *
   * @param ttl the time from a reserve to its hold's expiry: positive, at most
   *     {@link #MAX_HOLD_TIME_TO_LIVE}
   * @return this builder
   * @throws InvalidRequestException naming the value unless it is positive and at most
   *     {@link #MAX_HOLD_TIME_TO_LIVE}
   */
  public CreditGateBuilder holdTimeToLive(Duration ttl) {
    Arguments.require(ttl, "holdTimeToLive");
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_HOLD_TIME_TO_LIVE) > 0) {
      throw new InvalidRequestException("holdTimeToLive", ttl.toString(),
          "hold time-to-live must be positive and at most " + MAX_HOLD_TIME_TO_LIVE + " but was " + ttl);
    }
    this.holdTimeToLive = ttl;
    return this;
  }

  /**
   * The clock the calls without an explicit {@code Instant} read: {@link Clock#systemUTC()} by
   * default; tests pass a fixed or hand-moved one.
   *
   * @param clock read once per call without an explicit time; its instants must lie in the years
   *     1 to 9999
   * @return this builder
   */
  public CreditGateBuilder clock(Clock clock) {
    this.clock = Arguments.require(clock, "clock");
    return this;
  }

  /**
   * Who watches the gate's answers, commits, call times and retries, for metrics (for example
   * {@code creditgate-micrometer}'s {@code CreditGateMetrics}); by default no one. The observer can
   * never break a call: see {@link GateObserver}.
   *
   * @param observer told about each call on the calling thread, after the fact; what it throws is
   *     logged (at most once a minute per method) and the call goes on
   * @return this builder
   */
  public CreditGateBuilder observer(GateObserver observer) {
    this.observer = Arguments.require(observer, "observer");
    return this;
  }

  /**
   * The window a {@linkplain CreditGate#forecast forecast} measures the burn rate over:
   * {@link #DEFAULT_FORECAST_WINDOW} (14 days) by default.
   *
   * @param window whole days, 1 to 31 ({@link #MAX_FORECAST_WINDOW}): the last UTC days, the day
   *     of the forecast included up to its time
   * @return this builder
   * @throws InvalidRequestException naming the value unless it is a whole number of days in 1..31
   */
  public CreditGateBuilder forecastWindow(Duration window) {
    Arguments.require(window, "forecastWindow");
    if (window.compareTo(Duration.ofDays(1)) < 0 || window.compareTo(MAX_FORECAST_WINDOW) > 0
        || !window.equals(Duration.ofDays(window.toDays()))) {
      throw new InvalidRequestException("forecastWindow", window.toString(),
          "the forecast window must be a whole number of days from 1 to " + UsageHistory.DAYS_KEPT + " but was "
              + window);
    }
    this.forecastWindow = window;
    return this;
  }

  /**
   * How long a wallet's spend history must be before a forecast projects it:
   * {@link #DEFAULT_FORECAST_MINIMUM_HISTORY} (1 day) by default. A wallet whose first recorded
   * spend is more recent is forecast as {@link Forecast.NotEnoughHistory}, not guessed.
   *
   * @param minimum the time from the wallet's first recorded spend: positive, at most
   *     {@link #MAX_FORECAST_WINDOW}
   * @return this builder
   * @throws InvalidRequestException naming the value unless it is positive and at most 31 days
   */
  public CreditGateBuilder forecastMinimumHistory(Duration minimum) {
    Arguments.require(minimum, "forecastMinimumHistory");
    if (minimum.isNegative() || minimum.isZero() || minimum.compareTo(MAX_FORECAST_WINDOW) > 0) {
      throw new InvalidRequestException("forecastMinimumHistory", minimum.toString(),
          "the forecast's minimum history must be positive and at most " + MAX_FORECAST_WINDOW + " but was " + minimum);
    }
    this.forecastMinimumHistory = minimum;
    return this;
  }

  /**
   * When running out is a habit: the {@linkplain CreditGate#advice advice} is to upgrade when the
   * wallet ran out or bought packs in at least {@code periodsShort} of its last
   * {@code ofLastPeriods} periods (the one in force counted); 2 of 3 by default.
   *
   * @param periodsShort at least 1, at most {@code ofLastPeriods}
   * @param ofLastPeriods 1 to {@link #MAX_UPGRADE_ADVICE_PERIODS} (7)
   * @return this builder
   * @throws InvalidRequestException naming the value if either is out of range
   */
  public CreditGateBuilder upgradeAdvice(int periodsShort, int ofLastPeriods) {
    if (ofLastPeriods < 1 || ofLastPeriods > MAX_UPGRADE_ADVICE_PERIODS) {
      throw new InvalidRequestException("ofLastPeriods", Integer.toString(ofLastPeriods),
          "the advice looks at 1 to " + MAX_UPGRADE_ADVICE_PERIODS + " periods, not " + ofLastPeriods);
    }
    if (periodsShort < 1 || periodsShort > ofLastPeriods) {
      throw new InvalidRequestException("periodsShort", Integer.toString(periodsShort),
          "the periods short must be 1 to " + ofLastPeriods + " (of the last " + ofLastPeriods + ") but were "
              + periodsShort);
    }
    this.upgradeAdvicePeriodsShort = periodsShort;
    this.upgradeAdviceOfLastPeriods = ofLastPeriods;
    return this;
  }

  /**
   * When packs cost more than the plan: the {@linkplain CreditGate#advice advice} is to upgrade
   * when what the wallet paid for packs in one of the periods {@link #upgradeAdvice} looks at
   * exceeds {@code percent}% of the next plan's price difference; 100% by default (the packs cost
   * more than the upgrade would have).
   *
   * @param percent 1 to 10000
   * @return this builder
   * @throws InvalidRequestException naming the value if it is out of range
   */
  public CreditGateBuilder upgradeAdviceWhenPacksExceed(int percent) {
    if (percent < 1 || percent > 10_000) {
      throw new InvalidRequestException("percent", Integer.toString(percent),
          "the share of the price difference must be 1 to 10000 percent but was " + percent);
    }
    this.upgradeAdvicePacksPercent = percent;
    return this;
  }

  /**
   * The gate, with these settings. The builder may be used again.
   *
   * @return a new gate; changing the builder afterwards does not change it
   */
  public CreditGate build() {
    return new CreditGate(this);
  }
}
