package dev.creditgate.testkit;

import dev.creditgate.model.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
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
 * the promotional grants with credits left (by ledger name {@code "promo:<key>"}, with their
 * expiry, scope and priority),
 * the open holds (by reserve key, in reserve order), the debt, the plan in force and the plan from
 * the next renewal on, the billing period (monthly from an anchor, in UTC), and the idempotency keys
 * recorded with the call each was first used for, what each charge or capture took and how much of
 * it was refunded.
 *
 * <p>The rules it states, in the gate's default configuration:
 * <ul>
 *   <li>Spending takes subscription credits first, then promotional grants (priority 0 first, then
 *       the soonest expiry), then pack grants oldest first; a promotion scoped to an operation pays
 *       for that operation only. With no overdraft a charge is allowed exactly when its cost is at
 *       most the credits available to its operation (balance less held, less the promotions scoped
 *       to others), and a reserve when it is at most the common credits (available less every
 *       scoped promotion: those never back a hold); otherwise the call is denied with nothing
 *       written and the key not recorded. The common credits a spend takes never eat into what the
 *       holds reserve while a scoped promotion of its operation has credits.
 *   <li>A promotion expires at its time: from then on none of it is spent; if it paid for every
 *       operation, the holds the common credits no longer cover are cut back, the latest first.
 *   <li>A reserve holds its cost for the hold time-to-live; a capture charges the outcome policy's
 *       share of the metered cost of the actual quantity ({@link #policyCharge}), capped at the hold
 *       plus the credits available beside it, and closes the hold; a release closes it for nothing.
 *   <li>A hold expires when its time is up: at or after its expiry instant it is no longer open.
 *   <li>At each monthly renewal the unused subscription credits expire, the allowance of the plan
 *       then in force is granted (repaying debt first), and holds the wallet no longer covers are cut
 *       back, the latest first. With the chains' catalog ({@link InFlightWork#CATALOG}) the unused
 *       credits of the ending period, up to its plan's cap (free 20, pro 25% of 150, team none),
 *       come back as a promotion {@code "rollover:<renewal>"} of every operation, priority 0,
 *       expiring at the next renewal; when several renewals pass at once only the last period's
 *       (its whole allowance) roll. An upgrade is immediate and restarts the period with the new
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

  /**
   * An open hold.
   *
   * @param operation the id of the operation reserved
   * @param amount the thousandths it holds (positive; less than reserved after a renewal cut it back)
   * @param expiresAt when it stops being open: reserve time plus the hold time-to-live
   */
  public record Hold(String operation, long amount, Instant expiresAt) {
  }

  /**
   * A promotional grant with credits left.
   *
   * @param remaining the thousandths left of it (positive)
   * @param grantedAt when it was granted
   * @param expiresAt when what is left of it expires: from then on it is never spent
   * @param scope the one operation it may pay for, or {@code ""} for every operation
   * @param priority its place among promotions in the spend order, 0 (first) to 100 (last)
   */
  public record Promo(long remaining, Instant grantedAt, Instant expiresAt, String scope, int priority) {
    Promo withRemaining(long left) {
      return new Promo(left, grantedAt, expiresAt, scope, priority);
    }
  }

  // The credits, the plan and period, and the keys with what each call expects (see each class).
  private final ModelBalances wallet;
  private final ModelPeriod billing;
  private final CallExpectations calls;

  /**
   * A wallet opened at {@code start} on the free plan: its allowance granted, its period anchored
   * there (renewing monthly on the same day and time, UTC).
   *
   * @param start when the wallet was opened
   * @param holdTimeToLive how long a hold stays open: the gate's {@code holdTimeToLive}
   */
  public GateModel(Instant start, Duration holdTimeToLive) {
    Objects.requireNonNull(holdTimeToLive, "holdTimeToLive");
    wallet = new ModelBalances();
    billing = new ModelPeriod(LocalDateTime.ofInstant(Objects.requireNonNull(start, "start"), ZoneOffset.UTC));
    calls = new CallExpectations(holdTimeToLive, wallet, billing);
    wallet.grantSubscription(allowance(billing.plan()));
  }

  private GateModel(GateModel m) {
    wallet = m.wallet.copy();
    billing = m.billing.copy();
    calls = m.calls.copy(wallet, billing);
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
    return Prices.allowance(plan);
  }

  /**
   * The credits of a pack, in thousandths: small 100, medium 250, large 1,000 credits.
   *
   * @param pack the pack's id
   * @return the credits, in thousandths
   * @throws IllegalArgumentException for another pack id
   */
  public static long packCredits(String pack) {
    return Prices.packCredits(pack);
  }

  /**
   * The credits a custom top-up of {@code cents} US cents buys, in thousandths (one credit per
   * cent), or -1 outside the $5 to $1,000 the catalogue accepts.
   *
   * @param cents the price in US cents
   * @return the credits, in thousandths, or -1
   */
  public static long customPackCredits(long cents) {
    return Prices.customPackCredits(cents);
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
    return Prices.cost(operation, quantity);
  }

  /**
   * Whether {@code operation} has a fixed price per unit (rather than a metered one).
   *
   * @param operation the operation's id
   * @return whether it costs a fixed price per unit
   */
  public static boolean isFixedPrice(String operation) {
    return Prices.isFixedPrice(operation);
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
    return Prices.policyCharge(kind, metered);
  }

  // The state -----------------------------------------------------------------------------------

  /**
   * The subscription credits left this period, in thousandths.
   *
   * @return thousandths
   */
  public long subscription() {
    return wallet.subscription;
  }

  /**
   * Each reversed pack, by ledger name, with what its reversal owed: what had been spent of it.
   * Read-only view.
   *
   * @return thousandths owed, by grant
   */
  public Map<String, Long> reversedOwed() {
    return Collections.unmodifiableMap(wallet.reversedOwed);
  }

  /**
   * The credits each pack topped up granted, by ledger name (reversed ones included). Read-only view.
   *
   * @return thousandths granted, by grant
   */
  public Map<String, Long> packGranted() {
    return Collections.unmodifiableMap(wallet.packGranted);
  }

  /**
   * The credits refunded of each pack, by ledger name. Read-only view.
   *
   * @return thousandths refunded, by grant
   */
  public Map<String, Long> packRefunded() {
    return Collections.unmodifiableMap(wallet.packRefunded);
  }

  /**
   * The credits owed, in thousandths (without an overdraft, only what reversals owe).
   *
   * @return thousandths
   */
  public long debt() {
    return wallet.debt;
  }

  /**
   * The grants with credits left, oldest first: ledger name to thousandths left. Read-only view.
   *
   * @return the grants
   */
  public Map<String, Long> packs() {
    return Collections.unmodifiableMap(wallet.packs);
  }

  /** The model's auto top-up (live, not a copy). */
  ModelAutoTopUp autoTopUp() {
    return calls.autoTopUp;
  }

  /**
   * The promotional grants with credits left, in their spend order: ledger name to what is left.
   *
   * @return the promotions, a copy
   */
  public Map<String, Promo> promotions() {
    Map<String, Promo> ordered = new java.util.LinkedHashMap<>();
    for (String id : wallet.promoOrder()) {
      ordered.put(id, wallet.promos.get(id));
    }
    return Collections.unmodifiableMap(ordered);
  }

  /**
   * What a charge of {@code operation} may spend: the available credits but the promotions scoped
   * to another operation.
   *
   * @param operation the operation's id
   * @return thousandths
   */
  public long availableFor(String operation) {
    return wallet.availableFor(operation);
  }

  /**
   * The credits left of all grants together, in thousandths.
   *
   * @return thousandths
   */
  public long packTotal() {
    return wallet.packTotal();
  }

  /**
   * The open holds, by reserve key, in reserve order. Read-only view.
   *
   * @return the open holds
   */
  public Map<String, Hold> holds() {
    return Collections.unmodifiableMap(wallet.holds);
  }

  /**
   * The credits the open holds reserve, in thousandths.
   *
   * @return thousandths
   */
  public long held() {
    return wallet.held();
  }

  /**
   * Subscription plus packs, less debt; held credits are still part of it.
   *
   * @return thousandths
   */
  public long balance() {
    return wallet.balance();
  }

  /**
   * The balance less what is held: what a charge may spend.
   *
   * @return thousandths, never negative without an overdraft
   */
  public long available() {
    return wallet.available();
  }

  /**
   * The plan in force.
   *
   * @return the plan's id
   */
  public String plan() {
    return billing.plan();
  }

  /**
   * The plan from the next renewal on.
   *
   * @return the plan's id
   */
  public String renewalPlan() {
    return billing.renewalPlan();
  }

  /**
   * How many renewals since the anchor (the opening, or the last upgrade).
   *
   * @return the period's number, 0 for the first
   */
  public long period() {
    return billing.period();
  }

  /**
   * When period {@code n} since the anchor starts: the anchor plus {@code n} months, UTC.
   *
   * @param n the period's number (0: the anchor itself)
   * @return the instant
   */
  public Instant periodStart(long n) {
    return billing.periodStart(n);
  }

  /**
   * When the current period ends.
   *
   * @return the instant
   */
  public Instant nextRenewal() {
    return billing.nextRenewal();
  }

  /**
   * Each recorded key's value, with the call it was first used for, in order. Read-only view.
   *
   * @return the recorded keys
   */
  public Map<String, GateCall> recorded() {
    return Collections.unmodifiableMap(calls.recorded);
  }

  /**
   * What each charge or capture took, by its key, in thousandths. Read-only view.
   *
   * @return thousandths taken, by key
   */
  public Map<String, Long> charged() {
    return Collections.unmodifiableMap(calls.charged);
  }

  /**
   * What was refunded of each charge or capture, by its key, in thousandths. Read-only view.
   *
   * @return thousandths refunded, by key
   */
  public Map<String, Long> refunded() {
    return Collections.unmodifiableMap(calls.refunded);
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
    billing.rollForward(wallet, at);
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
    return calls.expect(call, key, at);
  }

  @Override
  public String toString() {
    return "plan " + billing.plan() + "->" + billing.renewalPlan() + ", subscription " + wallet.subscription
        + ", packs " + wallet.packs + ", holds " + wallet.holds.keySet() + ", debt " + wallet.debt + ", available "
        + wallet.available() + " (thousandths)";
  }
}
