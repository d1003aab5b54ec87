package dev.creditgate.testkit;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The plan and billing period of {@link GateModel}'s wallet: the plan in force, the plan from the
 * next renewal on, and the periods, monthly from an anchor (the opening, or the last upgrade) in
 * UTC. It applies the renewals due and the plan changes to the wallet's {@link ModelBalances}.
 * Mutable, not thread-safe.
 */
final class ModelPeriod {
  private String plan = "free";
  private String renewalPlan = "free";
  private LocalDateTime anchor;
  private long period;

  /** The free plan, its first period starting at {@code anchor}. */
  ModelPeriod(LocalDateTime anchor) {
    this.anchor = anchor;
  }

  private ModelPeriod(ModelPeriod p) {
    plan = p.plan;
    renewalPlan = p.renewalPlan;
    anchor = p.anchor;
    period = p.period;
  }

  /** An independent copy. */
  ModelPeriod copy() {
    return new ModelPeriod(this);
  }

  String plan() {
    return plan;
  }

  String renewalPlan() {
    return renewalPlan;
  }

  long period() {
    return period;
  }

  Instant periodStart(long n) {
    return anchor.plusMonths(n).toInstant(ZoneOffset.UTC);
  }

  Instant nextRenewal() {
    return periodStart(period + 1);
  }

  /**
   * Applies each renewal due by {@code at} to {@code wallet} in turn, after expiring the
   * promotions and holds due by it: the renewal plan comes into force and a new period starts, with
   * its allowance only for the last one (a period the wallet slept through grants nothing, as the
   * gate renews once). Then expires the promotions and holds due by {@code at}.
   */
  void rollForward(ModelBalances wallet, Instant at) {
    while (!periodStart(period + 1).isAfter(at)) {
      Instant renewal = periodStart(period + 1);
      wallet.expirePromos(renewal);
      wallet.expireHolds(renewal);
      String ending = plan;
      long unused = wallet.subscription;
      plan = renewalPlan;
      period++;
      if (periodStart(period + 1).isAfter(at)) {
        wallet.subscription = 0; // unused subscription credits expire
        wallet.grantSubscription(Prices.allowance(plan));
        // The ending period's unused credits, up to its plan's cap, come back until the next renewal.
        long rolled = Math.min(unused, Prices.rolloverCap(ending));
        if (rolled > 0 && wallet.promos.size() < 100) {
          wallet.promos.put("rollover:" + renewal, new GateModel.Promo(rolled, renewal, periodStart(period + 1), "", 0));
        }
        // Then holds the common credits no longer cover are cut back: the rollover, a promotion of
        // every operation, backs them too (found by the stateful property).
        wallet.trimHolds();
      } else if (wallet.debt > 0) {
        // While a debt (a reversal's) is owed the gate walks the periods one by one: each
        // allowance repays it first, and what is left of it expires at the next renewal.
        wallet.subscription = 0;
        wallet.grantSubscription(Prices.allowance(plan));
      } else {
        // A period the wallet slept through: the gate renews once, granting only the last allowance;
        // the slept period's allowance counts as unused, for the last renewal's rollover.
        wallet.subscription = Prices.allowance(plan);
      }
    }
    wallet.expirePromos(at);
    wallet.expireHolds(at);
  }

  /** Whether a change to {@code to} is an upgrade, which takes effect at once. */
  boolean isUpgrade(String to) {
    return Prices.rank(to) > Prices.rank(plan);
  }

  /**
   * An upgrade to {@code to} at {@code at}: in force at once, and from every renewal on; a new
   * period starts there, whose allowance replaces what is left of the subscription credits.
   */
  void upgrade(String to, Instant at, ModelBalances wallet) {
    plan = to;
    renewalPlan = to;
    anchor = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    period = 0;
    wallet.startPeriod(Prices.allowance(plan));
  }

  /** A downgrade, or a change back to the current plan: {@code to} from the next renewal on. */
  void scheduleRenewalPlan(String to) {
    renewalPlan = to;
  }
}
