package dev.creditgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.creditgate.BalanceChange;
import dev.creditgate.Decision;
import dev.creditgate.HoldSettlement;
import dev.creditgate.HoldStateException;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.PlanChange;
import dev.creditgate.TopUp;
import dev.creditgate.model.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reference model of one wallet's in-flight work: the independent specification the gate's
 * behaviour is checked against. It predicts, for every {@link GateCall}, what the gate must answer
 * and how the wallet's balances must move, in exact arithmetic: every amount is a {@code long} of
 * thousandths of a credit, every rounding is spelled out, and nothing is shared with the gate's own
 * code (the catalogue's prices are written out below).
 *
 * <p>What it tracks: the subscription credits left this period, the pack grants with credits left
 * (oldest purchase first, by ledger name {@code "pack:<payment key>"} or {@code "refund:<key>"}),
 * the open holds (by reserve key, in reserve order), the debt, the plan in force and the plan from
 * the next renewal on, the billing period (monthly from an anchor, in UTC), and the idempotency keys
 * recorded with the call each was first used for, what each charge or capture took and how much of
 * it was refunded.
 *
 * <p>The rules it states, in the gate's default configuration:
 * <ul>
 *   <li>Spending takes subscription credits first, then pack grants oldest first; with no overdraft
 *       a charge or reserve is allowed exactly when its cost is at most the available credits
 *       (balance less held), and is otherwise denied with nothing written and the key not recorded.
 *   <li>A reserve holds its cost for the hold time-to-live; a capture charges the outcome policy's
 *       share of the metered cost of the actual quantity ({@link #policyCharge}), capped at the hold
 *       plus the credits available beside it, and closes the hold; a release closes it for nothing.
 *   <li>A hold expires when its time is up: at or after its expiry instant it is no longer open.
 *   <li>At each monthly renewal the unused subscription credits expire, the allowance of the plan
 *       then in force is granted (repaying debt first), and holds the wallet no longer covers are cut
 *       back, the latest first. An upgrade is immediate and restarts the period with the new
 *       allowance; a downgrade, or a change back to the current plan, takes effect at the next
 *       renewal.
 *   <li>A pack refund takes back at most what is left of the grant and never the credits open
 *       holds reserve; a charge refund gives back at most what the charge took less what was
 *       refunded of it, as a grant of its own.
 *   <li>A key already recorded with equal arguments replays the first result and changes nothing;
 *       with other arguments it is a conflict.
 * </ul>
 *
 * <p>Its deliberate simplifications: one account; UTC (no daylight saving); the default catalogue,
 * cost table and policies (subscription first, then packs oldest first; no overdraft; the default
 * outcome policy; upgrades restart the period); it does not model the meter, the warnings, the
 * events, teams or adjustments.
 *
 * <p>Use it beside a gate: before each call, {@link #rollForward} the model to the call's time and
 * ask {@link #expect}; the {@link Expectation} says what the gate must do and, when the call
 * commits, checks the gate's result. {@link InFlightWork} does exactly that after every step of a
 * random sequence. A model is mutable and not thread-safe; {@link #copy()} takes a snapshot.
 */
public final class GateModel {

  /** The ids of the plans, in rank order: a change to a higher rank is an upgrade. */
  private static final List<String> PLANS = List.of("free", "pro", "team");

  /**
   * An open hold.
   *
   * @param operation the id of the operation reserved
   * @param amount the thousandths it holds (positive; less than reserved after a renewal cut it back)
   * @param expiresAt when it stops being open: reserve time plus the hold time-to-live
   */
  public record Hold(String operation, long amount, Instant expiresAt) {
  }

  private final Duration holdTimeToLive;
  private long subscription;
  private long debt;
  private final LinkedHashMap<String, Long> packs = new LinkedHashMap<>();
  private final LinkedHashMap<String, Hold> holds = new LinkedHashMap<>();
  private String plan = "free";
  private String renewalPlan = "free";
  private LocalDateTime anchor;
  private long period;
  private final Map<String, GateCall> recorded = new LinkedHashMap<>();
  private final Map<String, Long> charged = new LinkedHashMap<>();
  private final Map<String, Long> refunded = new HashMap<>();

  /**
   * A wallet opened at {@code start} on the free plan: its allowance granted, its period anchored
   * there (renewing monthly on the same day and time, UTC).
   *
   * @param start when the wallet was opened
   * @param holdTimeToLive how long a hold stays open: the gate's {@code holdTimeToLive}
   */
  public GateModel(Instant start, Duration holdTimeToLive) {
    this.holdTimeToLive = Objects.requireNonNull(holdTimeToLive, "holdTimeToLive");
    this.anchor = LocalDateTime.ofInstant(Objects.requireNonNull(start, "start"), ZoneOffset.UTC);
    grantSubscription(allowance(plan));
  }

  private GateModel(GateModel m) {
    holdTimeToLive = m.holdTimeToLive;
    subscription = m.subscription;
    debt = m.debt;
    packs.putAll(m.packs);
    holds.putAll(m.holds);
    plan = m.plan;
    renewalPlan = m.renewalPlan;
    anchor = m.anchor;
    period = m.period;
    recorded.putAll(m.recorded);
    charged.putAll(m.charged);
    refunded.putAll(m.refunded);
  }

  /**
   * An independent copy: changing either leaves the other as it was.
   *
   * @return the copy
   */
  public GateModel copy() {
    return new GateModel(this);
  }

  // The catalogue's prices ----------------------------------------------------------------------

  /**
   * The monthly allowance of a plan, in thousandths: free 30, pro 150, team 300 credits.
   *
   * @param plan the plan's id
   * @return the allowance, in thousandths
   * @throws IllegalArgumentException for another plan id
   */
  public static long allowance(String plan) {
    switch (plan) {
      case "free": return 30_000;
      case "pro": return 150_000;
      case "team": return 300_000;
      default: throw new IllegalArgumentException("no plan " + plan);
    }
  }

  /**
   * The credits of a pack, in thousandths: small 100, medium 250, large 1,000 credits.
   *
   * @param pack the pack's id
   * @return the credits, in thousandths
   * @throws IllegalArgumentException for another pack id
   */
  public static long packCredits(String pack) {
    switch (pack) {
      case "small": return 100_000;
      case "medium": return 250_000;
      case "large": return 1_000_000;
      default: throw new IllegalArgumentException("no pack " + pack);
    }
  }

  /**
   * The credits a custom top-up of {@code cents} US cents buys, in thousandths (one credit per
   * cent), or -1 outside the $5 to $1,000 the catalogue accepts.
   *
   * @param cents the price in US cents
   * @return the credits, in thousandths, or -1
   */
  public static long customPackCredits(long cents) {
    return cents < 500 || cents > 100_000 ? -1 : cents * 100;
  }

  /**
   * The cost of {@code quantity} of an operation of the default cost table, in thousandths, or -1
   * for a quantity the operation does not accept (none of a fixed-price operation). Metered costs
   * are rounded up once, to the thousandth.
   * <ul>
   *   <li>{@code ai-chat-message}: 0.1 plus 0.1 per 1,000 tokens;
   *   <li>{@code plan-mode-message}: 0.05 plus 0.05 per 1,000 tokens;
   *   <li>{@code generate-image}: 2 each; {@code connect-integration}: 5 each.
   * </ul>
   *
   * @param operation the operation's id
   * @param quantity units, or metered units such as tokens
   * @return the cost in thousandths, or -1
   * @throws IllegalArgumentException for another operation id
   */
  public static long cost(String operation, long quantity) {
    switch (operation) {
      case GateCall.AI_CHAT_MESSAGE: return 100 + ceilDiv(100 * quantity, 1000);
      case GateCall.PLAN_MODE_MESSAGE: return 50 + ceilDiv(50 * quantity, 1000);
      case GateCall.GENERATE_IMAGE: return quantity >= 1 ? 2_000 * quantity : -1;
      case GateCall.CONNECT_INTEGRATION: return quantity >= 1 ? 5_000 * quantity : -1;
      default: throw new IllegalArgumentException("no operation " + operation);
    }
  }

  /**
   * Whether {@code operation} has a fixed price per unit (rather than a metered one).
   *
   * @param operation the operation's id
   * @return whether it costs a fixed price per unit
   */
  public static boolean isFixedPrice(String operation) {
    return operation.equals(GateCall.GENERATE_IMAGE) || operation.equals(GateCall.CONNECT_INTEGRATION);
  }

  /**
   * What the default outcome policy charges for work of {@code metered} thousandths: 100 % when it
   * succeeded, 50 % when it failed at the model, 25 % on a platform error, 50 % for a retry; never
   * under 10 %; rounded up to the thousandth, and at least one thousandth unless nothing was
   * metered.
   *
   * @param kind how the work ended
   * @param metered the metered cost, in thousandths
   * @return the charge due, in thousandths
   */
  public static long policyCharge(Outcome.Kind kind, long metered) {
    if (metered <= 0) {
      return 0;
    }
    long share;
    switch (kind) {
      case SUCCEEDED: share = 100; break;
      case FAILED_AT_MODEL: share = 50; break;
      case PLATFORM_ERROR: share = 25; break;
      case RETRY: share = 50; break;
      default: throw new IllegalArgumentException("no outcome " + kind);
    }
    return Math.max(1, ceilDiv(metered * Math.max(share, 10), 100));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** A plan's rank: a change to a higher one is an upgrade. */
  static int rank(String plan) {
    return PLANS.indexOf(plan);
  }

  // The state -----------------------------------------------------------------------------------

  /**
   * The subscription credits left this period, in thousandths.
   *
   * @return thousandths
   */
  public long subscription() {
    return subscription;
  }

  /**
   * The credits owed, in thousandths (zero without an overdraft).
   *
   * @return thousandths
   */
  public long debt() {
    return debt;
  }

  /**
   * The grants with credits left, oldest first: ledger name to thousandths left. Read-only view.
   *
   * @return the grants
   */
  public Map<String, Long> packs() {
    return Collections.unmodifiableMap(packs);
  }

  /**
   * The credits left of all grants together, in thousandths.
   *
   * @return thousandths
   */
  public long packTotal() {
    return packs.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * The open holds, by reserve key, in reserve order. Read-only view.
   *
   * @return the open holds
   */
  public Map<String, Hold> holds() {
    return Collections.unmodifiableMap(holds);
  }

  /**
   * The credits the open holds reserve, in thousandths.
   *
   * @return thousandths
   */
  public long held() {
    return holds.values().stream().mapToLong(Hold::amount).sum();
  }

  /**
   * Subscription plus packs, less debt; held credits are still part of it.
   *
   * @return thousandths
   */
  public long balance() {
    return subscription + packTotal() - debt;
  }

  /**
   * The balance less what is held: what a charge may spend.
   *
   * @return thousandths, never negative without an overdraft
   */
  public long available() {
    return balance() - held();
  }

  /**
   * The plan in force.
   *
   * @return the plan's id
   */
  public String plan() {
    return plan;
  }

  /**
   * The plan from the next renewal on.
   *
   * @return the plan's id
   */
  public String renewalPlan() {
    return renewalPlan;
  }

  /**
   * How many renewals since the anchor (the opening, or the last upgrade).
   *
   * @return the period's number, 0 for the first
   */
  public long period() {
    return period;
  }

  /**
   * When period {@code n} since the anchor starts: the anchor plus {@code n} months, UTC.
   *
   * @param n the period's number (0: the anchor itself)
   * @return the instant
   */
  public Instant periodStart(long n) {
    return anchor.plusMonths(n).toInstant(ZoneOffset.UTC);
  }

  /**
   * When the current period ends.
   *
   * @return the instant
   */
  public Instant nextRenewal() {
    return periodStart(period + 1);
  }

  /**
   * Each recorded key's value, with the call it was first used for, in order. Read-only view.
   *
   * @return the recorded keys
   */
  public Map<String, GateCall> recorded() {
    return Collections.unmodifiableMap(recorded);
  }

  /**
   * What each charge or capture took, by its key, in thousandths. Read-only view.
   *
   * @return thousandths taken, by key
   */
  public Map<String, Long> charged() {
    return Collections.unmodifiableMap(charged);
  }

  /**
   * What was refunded of each charge or capture, by its key, in thousandths. Read-only view.
   *
   * @return thousandths refunded, by key
   */
  public Map<String, Long> refunded() {
    return Collections.unmodifiableMap(refunded);
  }

  // Transitions ---------------------------------------------------------------------------------

  /**
   * Applies each renewal due by {@code at} in turn, after expiring the holds due by it: unused
   * subscription credits expire, the allowance in force is granted, and holds the wallet no longer
   * covers are cut back, the latest first. (Granting every period and expiring it at the next ends
   * where the gate's "renew once" does.) Then expires the holds due by {@code at}. Idempotent;
   * an {@code at} in the past changes nothing.
   *
   * @param at the time to roll forward to
   */
  public void rollForward(Instant at) {
    while (!periodStart(period + 1).isAfter(at)) {
      Instant renewal = periodStart(period + 1);
      holds.values().removeIf(h -> !h.expiresAt().isAfter(renewal));
      subscription = 0; // unused subscription credits expire
      plan = renewalPlan;
      period++;
      grantSubscription(allowance(plan));
      trimHolds();
    }
    holds.values().removeIf(h -> !h.expiresAt().isAfter(at));
  }

  /** Holds beyond what the wallet holds are cut back, the latest first. */
  private void trimHolds() {
    long excess = held() - Math.max(0, balance());
    List<String> ids = new ArrayList<>(holds.keySet());
    for (int i = ids.size() - 1; i >= 0 && excess > 0; i--) {
      Hold hold = holds.get(ids.get(i));
      long cut = Math.min(excess, hold.amount());
      excess -= cut;
      if (cut == hold.amount()) {
        holds.remove(ids.get(i));
      } else {
        holds.put(ids.get(i), new Hold(hold.operation(), hold.amount() - cut, hold.expiresAt()));
      }
    }
  }

  private void grantSubscription(long credits) {
    subscription += credits;
    long repaid = Math.min(debt, subscription);
    subscription -= repaid;
    debt -= repaid;
  }

  private void credit(String grant, long credits) {
    long repaid = Math.min(debt, credits);
    debt -= repaid;
    if (credits - repaid > 0) {
      packs.put(grant, credits - repaid);
    }
  }

  /** Subscription first, then packs oldest first; what nothing covers becomes debt. */
  private void spend(long amount) {
    long fromSubscription = Math.min(amount, subscription);
    subscription -= fromSubscription;
    long left = amount - fromSubscription;
    var it = packs.entrySet().iterator();
    while (left > 0 && it.hasNext()) {
      var grant = it.next();
      long taken = Math.min(left, grant.getValue());
      left -= taken;
      if (taken == grant.getValue()) {
        it.remove();
      } else {
        grant.setValue(grant.getValue() - taken);
      }
    }
    debt += left;
  }

  /** With no overdraft, a cost is allowed when the available credits cover it. */
  private boolean affords(long cost) {
    return cost <= Math.max(0, available());
  }

  /**
   * What {@code call} made with the key {@code key} at {@code at} must do. Rolls the model forward to
   * {@code at} (see {@link #rollForward}); changes it otherwise only when it returns
   * {@link Expectation.Done}, which then checks the gate's result against what the model computed.
   *
   * @param call the call
   * @param key the value of the call's idempotency key
   * @param at the call's time, not before the model's previous calls
   * @return what the gate must do
   */
  public Expectation expect(GateCall call, String key, Instant at) {
    // What the gate validates before it looks at the key.
    if (call instanceof GateCall.Charge c && cost(c.operation(), c.quantity()) < 0
        || call instanceof GateCall.Reserve r && cost(r.operation(), r.quantity()) < 0
        || call instanceof GateCall.CustomTopUp t && customPackCredits(t.cents()) < 0) {
      return new Expectation.Fails(InvalidRequestException.class);
    }
    if (call instanceof GateCall.RefundCharge r && !(recorded.get(r.charge()) instanceof GateCall.Charge
        || recorded.get(r.charge()) instanceof GateCall.Capture)) {
      return new Expectation.Fails(InvalidRequestException.class);
    }
    if (recorded.containsKey(key)) {
      return recorded.get(key).equals(call) ? new Expectation.Replay() : new Expectation.Conflict();
    }
    rollForward(at);
    long before = available();
    if (call instanceof GateCall.Charge c) {
      long cost = cost(c.operation(), c.quantity());
      if (!affords(cost)) {
        return new Expectation.Denied(cost, before);
      }
      spend(cost);
      recorded.put(key, call);
      charged.put(key, cost);
      long after = available();
      return new Expectation.Done(result -> {
        Decision.Allowed d = assertInstanceOf(Decision.Allowed.class, result);
        assertEquals(List.of(c.operation(), c.quantity(), cost, before, after),
            List.of(d.operation().id(), d.quantity(), d.cost().thousandths(), d.balanceBefore().thousandths(),
                d.balanceAfter().thousandths()), "charge: op, quantity, cost, before, after");
      });
    }
    if (call instanceof GateCall.Reserve r) {
      long cost = cost(r.operation(), r.quantity());
      if (!affords(cost)) {
        return new Expectation.Denied(cost, before);
      }
      holds.put(key, new Hold(r.operation(), cost, at.plus(holdTimeToLive)));
      recorded.put(key, call);
      long after = available();
      return new Expectation.Done(result -> {
        Decision.Allowed d = assertInstanceOf(Decision.Allowed.class, result);
        assertEquals(List.of(r.operation(), r.quantity(), cost, before, after),
            List.of(d.operation().id(), d.quantity(), d.cost().thousandths(), d.balanceBefore().thousandths(),
                d.balanceAfter().thousandths()), "reserve: op, quantity, cost, before, after");
      });
    }
    if (call instanceof GateCall.Capture c) {
      Hold hold = holds.get(c.hold());
      if (hold == null) {
        return new Expectation.Fails(HoldStateException.class);
      }
      // zero units of a fixed cost: nothing produced, nothing metered (a charge would refuse them)
      long metered = c.quantity() == 0 && isFixedPrice(hold.operation()) ? 0 : cost(hold.operation(), c.quantity());
      if (metered < 0) {
        return new Expectation.Fails(InvalidRequestException.class);
      }
      long due = policyCharge(c.outcome(), metered);
      long take = Math.min(due, hold.amount() + Math.max(0, available()));
      holds.remove(c.hold());
      spend(take);
      recorded.put(key, call);
      charged.put(key, take);
      long after = available();
      return new Expectation.Done(result -> {
        HoldSettlement s = assertInstanceOf(HoldSettlement.class, result);
        assertEquals(List.of(c.hold(), hold.operation(), c.outcome(), c.retryOf(), hold.amount(), metered, due, take,
                after),
            List.of(s.hold(), s.operation().id(), s.outcome().kind(), s.outcome().retryOf(), s.held().thousandths(),
                s.metered().thousandths(), s.due().thousandths(), s.charged().thousandths(),
                s.balanceAfter().thousandths()),
            "capture: hold, op, outcome, retryOf, held, metered, due, charged, available after");
      });
    }
    if (call instanceof GateCall.Release r) {
      Hold hold = holds.remove(r.hold());
      if (hold == null) {
        return new Expectation.Fails(HoldStateException.class);
      }
      recorded.put(key, call);
      long after = available();
      return new Expectation.Done(result -> {
        HoldSettlement s = assertInstanceOf(HoldSettlement.class, result);
        assertNull(s.outcome());
        assertEquals(List.of(r.hold(), hold.amount(), 0L, after),
            List.of(s.hold(), s.held().thousandths(), s.charged().thousandths(), s.balanceAfter().thousandths()),
            "release: hold, held, charged, available after");
      });
    }
    if (call instanceof GateCall.TopUp || call instanceof GateCall.CustomTopUp) {
      String pack = call instanceof GateCall.TopUp t ? t.pack() : "custom";
      long credits = call instanceof GateCall.TopUp t ? packCredits(t.pack())
          : customPackCredits(((GateCall.CustomTopUp) call).cents());
      String grant = "pack:" + key;
      credit(grant, credits);
      recorded.put(key, call);
      long after = available();
      return new Expectation.Done(result -> {
        TopUp t = assertInstanceOf(TopUp.class, result);
        assertEquals(List.of(grant, pack, credits, after),
            List.of(t.grant(), t.pack(), t.credits().thousandths(), t.balanceAfter().thousandths()),
            "top-up: grant, pack, credits, available after");
      });
    }
    if (call instanceof GateCall.ChangePlan p) {
      String from = plan;
      boolean immediate = rank(p.plan()) > rank(plan);
      Instant effective = immediate ? at : nextRenewal();
      if (immediate) { // upgrade: the new allowance replaces what is left; a new period starts
        subscription = 0;
        plan = p.plan();
        renewalPlan = p.plan();
        anchor = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        period = 0;
        grantSubscription(allowance(plan));
        trimHolds();
      } else { // downgrade, or back to the current plan: from the next renewal
        renewalPlan = p.plan();
      }
      recorded.put(key, call);
      long after = available();
      return new Expectation.Done(result -> {
        PlanChange c = assertInstanceOf(PlanChange.class, result);
        assertEquals(List.of(from, p.plan(), immediate, effective, after),
            List.of(c.from(), c.to(), c.immediate(), c.effectiveAt(), c.balanceAfter().thousandths()),
            "plan change: from, to, immediate, effective, available after");
      });
    }
    if (call instanceof GateCall.RefundPack r) {
      String grant = "pack:" + r.payment();
      long remaining = packs.getOrDefault(grant, 0L);
      if (r.thousandths() <= 0 || r.thousandths() > remaining || r.thousandths() > available()) {
        return new Expectation.Fails(InvalidRequestException.class); // never the credits open holds reserve
      }
      if (remaining == r.thousandths()) {
        packs.remove(grant);
      } else {
        packs.put(grant, remaining - r.thousandths());
      }
      recorded.put(key, call);
      long after = available();
      return new Expectation.Done(result -> {
        BalanceChange c = assertInstanceOf(BalanceChange.class, result);
        assertEquals(List.of(grant, -r.thousandths(), after),
            List.of(c.grant(), c.amount().thousandths(), c.balanceAfter().thousandths()),
            "pack refund: grant, amount, available after");
      });
    }
    if (call instanceof GateCall.RefundCharge r) {
      long left = charged.get(r.charge()) - refunded.getOrDefault(r.charge(), 0L);
      if (r.thousandths() <= 0 || r.thousandths() > left) {
        return new Expectation.Fails(InvalidRequestException.class);
      }
      String grant = "refund:" + key;
      credit(grant, r.thousandths());
      refunded.merge(r.charge(), r.thousandths(), Long::sum);
      recorded.put(key, call);
      long after = available();
      return new Expectation.Done(result -> {
        BalanceChange c = assertInstanceOf(BalanceChange.class, result);
        assertEquals(List.of(grant, r.thousandths(), after),
            List.of(c.grant(), c.amount().thousandths(), c.balanceAfter().thousandths()),
            "charge refund: grant, amount, available after");
      });
    }
    throw new IllegalArgumentException("not a call the model knows: " + call);
  }

  @Override
  public String toString() {
    return "plan " + plan + "->" + renewalPlan + ", subscription " + subscription + ", packs " + packs + ", holds "
        + holds.keySet() + ", debt " + debt + ", available " + available() + " (thousandths)";
  }
}
