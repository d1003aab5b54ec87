package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the credit balance widget and Account, Billing show: a read-only snapshot of a wallet at a
 * time, after any renewal due by then. Immutable; made only by the gate, and changing it changes
 * no wallet.
 *
 * @param account the wallet's account
 * @param plan the plan in force
 * @param renewalPlan the plan from the next renewal on (differs from {@code plan} after a
 *     downgrade)
 * @param balance subscription plus packs plus promotional credits, less debt; held credits are
 *     still part of it
 * @param available what a charge may spend: the balance less what is held (for an operation,
 *     less the promotional credits scoped to other operations too)
 * @param held credits reserved by open holds
 * @param debt credits owed after an overdraft, repaid first from the next grant
 * @param subscription the subscription credits left this period (they expire at the renewal)
 * @param packs the pack credits left, all lots together (they never expire)
 * @param packLots each pack grant with credits left, oldest purchase first (the spend order's)
 * @param reference the period's reference amount the meter and warnings measure against
 * @param meter what the balance widget shows for the available credits
 * @param periodStart when the current billing period began
 * @param nextRenewal when it ends: the subscription credits refresh then
 * @param promotions each promotional grant with credits left, in the spend order (empty for a
 *     wallet without any)
 * @param autoTopUp the wallet's auto top-up (its rule, open request, this period's counts, the
 *     latest refusal and decline); empty for a wallet that never set a rule
 */
public record WalletStatus(AccountId account, String plan, String renewalPlan, Credits balance,
    Credits available, Credits held, Credits debt, Credits subscription, Credits packs,
    List<PackLot> packLots, Credits reference, Meter meter, Instant periodStart, Instant nextRenewal,
    List<PromotionLot> promotions, Optional<AutoTopUpStatus> autoTopUp) {

  /**
   * A status without auto top-up, as creditgate 0.4's promotions made them.
   *
   * @param account the wallet's account
   * @param plan the plan in force
   * @param renewalPlan the plan from the next renewal on
   * @param balance subscription plus packs plus promotional credits, less debt
   * @param available the balance less what is held
   * @param held credits reserved by open holds
   * @param debt credits owed after an overdraft
   * @param subscription the subscription credits left this period
   * @param packs the pack credits left, all lots together
   * @param packLots each pack grant with credits left, oldest purchase first
   * @param reference the period's reference amount
   * @param meter what the balance widget shows
   * @param periodStart when the current billing period began
   * @param nextRenewal when it ends
   * @param promotions each promotional grant with credits left, in the spend order
   */
  public WalletStatus(AccountId account, String plan, String renewalPlan, Credits balance, Credits available,
      Credits held, Credits debt, Credits subscription, Credits packs, List<PackLot> packLots, Credits reference,
      Meter meter, Instant periodStart, Instant nextRenewal, List<PromotionLot> promotions) {
    this(account, plan, renewalPlan, balance, available, held, debt, subscription, packs, packLots, reference, meter,
        periodStart, nextRenewal, promotions, Optional.empty());
  }

  /**
   * A status without promotional grants, as creditgate 0.3 made them.
   *
   * @param account the wallet's account
   * @param plan the plan in force
   * @param renewalPlan the plan from the next renewal on
   * @param balance subscription plus packs, less debt
   * @param available the balance less what is held
   * @param held credits reserved by open holds
   * @param debt credits owed after an overdraft
   * @param subscription the subscription credits left this period
   * @param packs the pack credits left, all lots together
   * @param packLots each pack grant with credits left, oldest purchase first
   * @param reference the period's reference amount
   * @param meter what the balance widget shows
   * @param periodStart when the current billing period began
   * @param nextRenewal when it ends
   */
  public WalletStatus(AccountId account, String plan, String renewalPlan, Credits balance, Credits available,
      Credits held, Credits debt, Credits subscription, Credits packs, List<PackLot> packLots, Credits reference,
      Meter meter, Instant periodStart, Instant nextRenewal) {
    this(account, plan, renewalPlan, balance, available, held, debt, subscription, packs, packLots, reference, meter,
        periodStart, nextRenewal, List.of(), Optional.empty());
  }

  /**
   * Copies {@code packLots} and {@code promotions}, so the status stays immutable.
   *
   * @param account the wallet's account
   * @param plan the plan in force
   * @param renewalPlan the plan from the next renewal on
   * @param balance subscription plus packs, less debt
   * @param available the balance less what is held
   * @param held credits reserved by open holds
   * @param debt credits owed after an overdraft
   * @param subscription the subscription credits left this period
   * @param packs the pack credits left, all lots together
   * @param packLots each pack grant with credits left, oldest purchase first
   * @param reference the period's reference amount
   * @param meter what the balance widget shows
   * @param periodStart when the current billing period began
   * @param nextRenewal when it ends
   * @param promotions each promotional grant with credits left, in the spend order
   * @param autoTopUp the wallet's auto top-up, or empty
   */
  public WalletStatus {
    packLots = List.copyOf(Arguments.require(packLots, "packLots"));
    promotions = List.copyOf(Arguments.require(promotions, "promotions"));
    Arguments.require(autoTopUp, "autoTopUp");
  }

  /**
   * The promotional credits left, every grant together.
   *
   * @return the sum of {@link #promotions()}' remaining credits
   */
  public Credits promotionCredits() {
    Credits total = Credits.ZERO;
    for (PromotionLot lot : promotions) {
      total = total.plus(lot.remaining());
    }
    return total;
  }

  /**
   * One promotional grant with credits left: a welcome bonus, a referral, a support gesture.
   *
   * @param grant the grant's name in the ledger ({@code promo:} and the granting call's key)
   * @param reason why it was granted, as the host gave it
   * @param granted the credits granted
   * @param remaining the credits left of them
   * @param grantedAt the time of the call that granted it
   * @param expiresAt when what is left of it expires
   * @param scope the operations it may pay for, sorted by id; empty for every operation
   * @param priority its place in the spend order among promotions, 0 (first) to 100 (last)
   */
  public record PromotionLot(String grant, String reason, Credits granted, Credits remaining, Instant grantedAt,
      Instant expiresAt, List<Operation> scope, int priority) {
    /**
     * Copies {@code scope}, so the lot stays immutable.
     *
     * @param grant the grant's name in the ledger
     * @param reason why it was granted
     * @param granted the credits granted
     * @param remaining the credits left of them
     * @param grantedAt the time of the call that granted it
     * @param expiresAt when what is left of it expires
     * @param scope the operations it may pay for; empty for every operation
     * @param priority its place in the spend order among promotions
     */
    public PromotionLot {
      scope = List.copyOf(Arguments.require(scope, "scope"));
    }
  }

  /**
   * One pack grant: a purchase whose credits are not spent yet. The never-expiring grants that a
   * charge refund or a positive adjustment creates are lots too.
   *
   * @param grant the grant's name in the ledger ({@code pack:} and the payment id; for the other
   *     grants {@code refund:} or {@code adjustment:} and the call's key)
   * @param pack the pack bought ({@code small}, ..., {@code custom}), or {@code refund} or
   *     {@code adjustment}
   * @param granted the credits bought
   * @param remaining the credits left of them
   * @param purchasedAt the time of the call that added the grant
   */
  public record PackLot(String grant, String pack, Credits granted, Credits remaining, Instant purchasedAt) {}

  static WalletStatus of(Wallet w, WalletRules rules) {
    List<PackLot> lots = new ArrayList<>(w.packs().size());
    for (PackGrant p : w.packs()) {
      lots.add(new PackLot(p.id(), p.packId(), p.granted(), p.remaining(), p.purchasedAt()));
    }
    List<PromotionLot> promotions = new ArrayList<>(w.promotions().size());
    for (PromotionGrant p : w.promotions()) {
      List<Operation> scope = new ArrayList<>(p.scope().size());
      p.scope().forEach(id -> scope.add(Operation.of(id)));
      promotions.add(new PromotionLot(p.id(), p.reason(), p.granted(), p.remaining(), p.grantedAt(), p.expiresAt(),
          scope, p.priority()));
    }
    return new WalletStatus(w.account(), w.planId(), w.renewalPlanId(), w.balance(), w.available(), w.held(),
        w.debt(), w.subscription(), w.packCredits(), lots, w.reference(), w.meter(rules),
        w.schedule().periodStart(w.period()), w.nextRenewal(), promotions, w.autoTopUpStatus());
  }
}
