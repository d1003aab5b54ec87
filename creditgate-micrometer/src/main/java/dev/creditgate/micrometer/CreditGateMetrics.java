package dev.creditgate.micrometer;

import dev.creditgate.Decision;
import dev.creditgate.HoldSettlement;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.GateObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A gate's {@link GateObserver} that counts in a Micrometer {@link MeterRegistry}. Set it on the
 * gate's builder:
 *
 * <pre>{@code
 * CreditGate gate = CreditGate.builder(store)
 *     .observer(new CreditGateMetrics(registry, Tags.of("service", "builder-api")))
 *     .build();
 * }</pre>
 *
 * <p>The meters (every one also carries the common tags given here):
 * <ul>
 *   <li>{@value #DECISIONS} (counter): the answers to checks, charges and reserves, tagged
 *       {@code call} ({@code check}, {@code charge}, {@code reserve}), {@code operation},
 *       {@code result} ({@code allowed}, {@code denied}) and {@code reason} ({@code none},
 *       {@code insufficient_credits}, {@code member_cap_reached}). A repeat of a recorded call
 *       counts again: it is an answer given.
 *   <li>{@value #SETTLEMENTS} (counter): the answers to captures and releases, tagged {@code call}
 *       ({@code capture}, {@code release}) and {@code operation}.
 *   <li>{@value #CREDITS_SPENT} (counter, in credits): what charges and captures took, tagged
 *       {@code operation}.
 *   <li>{@value #CREDITS_GRANTED} (counter, in credits): packs topped up ({@code source=pack}),
 *       subscription allowances renewed ({@code source=subscription}) and promotional grants
 *       ({@code source=promotion}).
 *   <li>{@value #CREDITS_EXPIRED} (counter, in credits): unused credits that lapsed, subscription
 *       credits at a renewal ({@code source=subscription}) and promotional ones at their expiry
 *       ({@code source=promotion}).
 *   <li>{@value #THRESHOLDS_CROSSED} (counter): balance warnings, tagged {@code percent}.
 *   <li>{@value #BALANCE_BELOW} (counter): balance warnings in credits, tagged {@code threshold}
 *       (the amount, as {@code Credits} writes it: {@code 5}, {@code 0.5}).
 *   <li>{@value #DEPLETIONS} (counter): wallets left with nothing available.
 *   <li>{@value #PROMOTIONS_EXPIRING} (counter): expiry warnings of promotional grants.
 *   <li>{@value #HOLDS_OPENED} and {@value #HOLDS_CLOSED} (counters), and {@value #HOLDS_OPEN}
 *       (gauge): the holds this instance opened less those it closed (captured, released or
 *       expired). With several instances, sum the gauge over them; a hold opened on one and closed
 *       on another shows on each.
 *   <li>{@value #CALLS} (timer): every gate call's time, tagged {@code call} (one of
 *       {@link GateObserver.Call}, lower case) and {@code outcome} ({@code ok}, or {@code error}
 *       when it threw; a denial is {@code ok}).
 *   <li>{@value #STORE_RETRIES} (counter): tagged {@code kind} ({@code lost_race},
 *       {@code store_failure}, {@code gave_up}), as {@code CreditGate.retryStatistics()} counts.
 * </ul>
 *
 * <p><b>Counted once.</b> Credits, thresholds and holds are counted by the instance whose commit
 * changed them, when it committed: a repeated call counts none of them again, and neither does an
 * event redelivered by another instance's relay.
 *
 * <p><b>Amounts are for dashboards.</b> Micrometer's counters are doubles: an amount is counted as
 * its exact thousandths divided by 1000, and a long-running sum may round. The exact amounts are in
 * the ledger ({@code CreditGate.ledger}); bill from it, never from a meter.
 *
 * <p><b>Bounded tags.</b> No tag names an account, a member, a key or a hold. The {@code operation}
 * tag takes the ids of the gate's cost table (only a listed operation is answered), and
 * {@code percent} and {@code threshold} the gate's warning percents and amounts: each as many as the host configured.
 *
 * <p>Thread-safe. It never breaks a call: whatever the registry throws is caught by the gate (see
 * {@link GateObserver}).
 */
public final class CreditGateMetrics implements GateObserver {
  /** The answers to checks, charges and reserves. */
  public static final String DECISIONS = "creditgate.decisions";
  /** The answers to captures and releases. */
  public static final String SETTLEMENTS = "creditgate.settlements";
  /** Credits spent by charges and captures. */
  public static final String CREDITS_SPENT = "creditgate.credits.spent";
  /** Credits granted by top-ups and renewals. */
  public static final String CREDITS_GRANTED = "creditgate.credits.granted";
  /** Subscription credits that lapsed. */
  public static final String CREDITS_EXPIRED = "creditgate.credits.expired";
  /** Balance warnings published. */
  public static final String THRESHOLDS_CROSSED = "creditgate.thresholds.crossed";
  /** Balance warnings in credits published. */
  public static final String BALANCE_BELOW = "creditgate.balance.below";
  /** Depletions published. */
  public static final String DEPLETIONS = "creditgate.depletions";
  /** Expiry warnings of promotional grants published. */
  public static final String PROMOTIONS_EXPIRING = "creditgate.promotions.expiring";
  /** Holds opened by reserves. */
  public static final String HOLDS_OPENED = "creditgate.holds.opened";
  /** Holds closed by captures, releases and expiries. */
  public static final String HOLDS_CLOSED = "creditgate.holds.closed";
  /** Holds opened less holds closed, on this instance. */
  public static final String HOLDS_OPEN = "creditgate.holds.open";
  /** The time of every gate call. */
  public static final String CALLS = "creditgate.calls";
  /** Attempts tried again, and calls that gave up. */
  public static final String STORE_RETRIES = "creditgate.store.retries";

  private static final String CREDITS = "credits";

  private final MeterRegistry registry;
  private final Tags common;
  private final AtomicLong openHolds = new AtomicLong();
  /** Meters by their name and tags, so that a call builds no tags once its meters exist. */
  private final ConcurrentMap<Object, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<Object, Timer> timers = new ConcurrentHashMap<>();

  /**
   * Metrics in {@code registry}, with no common tags.
   *
   * @param registry where the meters are registered
   * @throws NullPointerException if {@code registry} is null
   */
  public CreditGateMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /**
   * Metrics in {@code registry}, each meter with {@code commonTags} too (a service's name, a
   * region: never an account).
   *
   * @param registry where the meters are registered
   * @param commonTags tags every meter carries
   * @throws NullPointerException if an argument is null
   */
  public CreditGateMetrics(MeterRegistry registry, Iterable<Tag> commonTags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.common = Tags.of(Objects.requireNonNull(commonTags, "commonTags"));
    Gauge.builder(HOLDS_OPEN, openHolds, AtomicLong::get).tags(common)
        .description("holds opened less holds closed on this instance").strongReference(true).register(registry);
  }

  private record Key(String name, String a, String b, String c, String d) {}

  private Counter counter(String name, String... tags) {
    Key key = new Key(name, at(tags, 1), at(tags, 3), at(tags, 5), at(tags, 7));
    Counter counter = counters.get(key);
    if (counter == null) {
      counter = counters.computeIfAbsent(key,
          k -> Counter.builder(name).tags(common).tags(tags).baseUnit(baseUnit(name)).register(registry));
    }
    return counter;
  }

  private static String at(String[] tags, int i) {
    return i < tags.length ? tags[i] : "";
  }

  private static @Nullable String baseUnit(String name) {
    return name.startsWith("creditgate.credits.") ? CREDITS : null;
  }

  private static String tag(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static double amount(Credits credits) {
    return credits.thousandths() / 1000.0;
  }

  @Override
  public void decided(Call call, Decision decision) {
    String reason = decision instanceof Decision.Denied denied ? tag(denied.reason()) : "none";
    counter(DECISIONS, "call", tag(call), "operation", decision.operation().id(),
        "result", decision.isAllowed() ? "allowed" : "denied", "reason", reason).increment();
  }

  @Override
  public void settled(Call call, HoldSettlement settlement) {
    counter(SETTLEMENTS, "call", tag(call), "operation", settlement.operation().id()).increment();
  }

  @Override
  public void recorded(WalletEvent event) {
    if (event instanceof WalletEvent.CreditsGranted granted) {
      counter(CREDITS_GRANTED, "source", "pack").increment(amount(granted.credits()));
    } else if (event instanceof WalletEvent.SubscriptionRenewed renewed) {
      counter(CREDITS_GRANTED, "source", "subscription").increment(amount(renewed.credits()));
    } else if (event instanceof WalletEvent.PromotionGranted promotion) {
      counter(CREDITS_GRANTED, "source", "promotion").increment(amount(promotion.credits()));
    } else if (event instanceof WalletEvent.SubscriptionCreditsExpired expired) {
      counter(CREDITS_EXPIRED, "source", "subscription").increment(amount(expired.credits()));
    } else if (event instanceof WalletEvent.PromotionExpired expired) {
      counter(CREDITS_EXPIRED, "source", "promotion").increment(amount(expired.credits()));
    } else if (event instanceof WalletEvent.ThresholdCrossed crossed) {
      counter(THRESHOLDS_CROSSED, "percent", Integer.toString(crossed.percent())).increment();
    } else if (event instanceof WalletEvent.BalanceBelow below) {
      counter(BALANCE_BELOW, "threshold", below.threshold().toString()).increment();
    } else if (event instanceof WalletEvent.CreditsDepleted) {
      counter(DEPLETIONS).increment();
    } else if (event instanceof WalletEvent.PromotionExpiring) {
      counter(PROMOTIONS_EXPIRING).increment();
    }
  }

  @Override
  public void spent(Operation operation, Credits credits) {
    counter(CREDITS_SPENT, "operation", operation.id()).increment(amount(credits));
  }

  @Override
  public void holdsChanged(int opened, int closed) {
    openHolds.addAndGet((long) opened - closed);
    if (opened > 0) {
      counter(HOLDS_OPENED).increment(opened);
    }
    if (closed > 0) {
      counter(HOLDS_CLOSED).increment(closed);
    }
  }

  @Override
  public void finished(Call call, long nanos, boolean failed) {
    String outcome = failed ? "error" : "ok";
    Key key = new Key(CALLS, tag(call), outcome, "", "");
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = timers.computeIfAbsent(key,
          k -> Timer.builder(CALLS).tags(common).tags("call", tag(call), "outcome", outcome).register(registry));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void retried(Retry kind) {
    counter(STORE_RETRIES, "kind", tag(kind)).increment();
  }
}
