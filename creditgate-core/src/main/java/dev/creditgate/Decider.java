package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Cost;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Plan;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides, from a wallet as it stands, whether a cost may be spent: allowed with the balances
 * before and after, or denied with the shortfall and the ways out. Pure.
 */
final class Decider {
  private final WalletRules rules;
  private final CostTable costs;
  private final Advisor advisor;

  Decider(WalletRules rules, CostTable costs, Advisor advisor) {
    this.rules = rules;
    this.costs = costs;
    this.advisor = advisor;
  }

  CostTable costs() {
    return costs;
  }

  /** How the cost table prices {@code operation}. */
  Cost pricingOf(Operation operation) {
    Arguments.require(operation, "operation");
    return costs.costOf(operation);
  }

  /**
   * Decides a cost of {@code cost}, which is {@code pricing.of(quantity)}, for {@code wallet} as it
   * stands at {@code at}; a denial's ways out carry the advice for then.
   */
  Decision decide(Wallet wallet, Optional<AccountId> member, Operation operation, long quantity, Cost pricing,
      Credits cost, Instant at) {
    // Only what the operation may spend: promotional credits scoped to other operations never count.
    Credits available = wallet.availableFor(operation);
    Optional<Credits> room = wallet.memberRoom(member);
    if (cost.isPositive() && room.isPresent() && cost.compareTo(room.get()) > 0) {
      return new Decision.Denied(operation, quantity, cost, available, wallet.meter(rules),
          Decision.Reason.MEMBER_CAP_REACHED, cost.minus(room.get()), renewalOnly(wallet, at), pricing.explain(quantity));
    }
    if (cost.isZero() || rules.overdraft().allows(available, cost)) {
      Credits after = available.minus(cost);
      return Decision.Allowed.priced(operation, quantity, pricing, cost, available, after, wallet.meterAt(after, rules));
    }
    Credits shortfall = cost.minus(available);
    return new Decision.Denied(operation, quantity, cost, available, wallet.meter(rules),
        Decision.Reason.INSUFFICIENT_CREDITS, shortfall, waysOut(wallet, shortfall, at), pricing.explain(quantity));
  }

  private WaysOut renewalOnly(Wallet wallet, Instant at) {
    return new WaysOut(new WaysOut.TopUpOption(Optional.empty(), Optional.empty()), Optional.empty(),
        renewal(wallet), Optional.of(advisor.memberCap(wallet, at)));
  }

  private WaysOut.RenewalOption renewal(Wallet wallet) {
    Plan renewalPlan = rules.catalog().plan(wallet.renewalPlanId());
    return new WaysOut.RenewalOption(wallet.nextRenewal(), renewalPlan.id(), renewalPlan.monthlyCredits());
  }

  private WaysOut waysOut(Wallet wallet, Credits shortfall, Instant at) {
    Catalog catalog = rules.catalog();
    WaysOut.TopUpOption topUp = new WaysOut.TopUpOption(catalog.smallestPackCovering(shortfall),
        catalog.customPacks().flatMap(terms -> terms.cheapestPriceFor(shortfall)));
    Optional<WaysOut.UpgradeOption> upgrade = catalog.nextPlanAfter(wallet.planId()).map(WaysOut.UpgradeOption::new);
    return new WaysOut(topUp, upgrade, renewal(wallet), Optional.of(advisor.advise(wallet, at, Optional.of(shortfall))));
  }
}
