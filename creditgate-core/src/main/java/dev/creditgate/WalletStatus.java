package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the credit balance widget and Account, Billing show: a read-only snapshot of a wallet at a
 * time, after any renewal due by then. Immutable; made only by the gate, and changing it changes no
 * wallet.
 *
 * @param plan the plan in force
 * @param renewalPlan the plan from the next renewal on (differs from {@code plan} after a downgrade)
 * @param balance subscription plus packs, less debt; held credits are still part of it
 * @param available what a charge may spend: the balance less what is held
 * @param held credits reserved by open holds
 * @param debt credits owed after an overdraft, repaid first from the next grant
 * @param subscription the subscription credits left this period (they expire at the renewal)
 * @param packs the pack credits left, all lots together (they never expire)
 * @param packLots each pack grant with credits left, oldest purchase first (the spend order's)
 * @param reference the period's reference amount the meter and warnings measure against
 * @param periodStart when the current billing period began
 * @param nextRenewal when it ends: the subscription credits refresh then
 */
public record WalletStatus(AccountId account, String plan, String renewalPlan, Credits balance,
    Credits available, Credits held, Credits debt, Credits subscription, Credits packs,
    List<PackLot> packLots, Credits reference, Meter meter, Instant periodStart, Instant nextRenewal) {

  public WalletStatus {
    packLots = List.copyOf(packLots);
  }

  /**
   * One pack grant: a purchase whose credits are not spent yet.
   *
   * @param grant the grant's name in the ledger ({@code pack:} and the payment id)
   * @param pack the pack bought ({@code small}, ..., {@code custom})
   * @param granted the credits bought
   * @param remaining the credits left of them
   */
  public record PackLot(String grant, String pack, Credits granted, Credits remaining, Instant purchasedAt) {}

  static WalletStatus of(Wallet w, WalletRules rules) {
    List<PackLot> lots = new ArrayList<>(w.packs().size());
    for (PackGrant p : w.packs()) {
      lots.add(new PackLot(p.id(), p.packId(), p.granted(), p.remaining(), p.purchasedAt()));
    }
    return new WalletStatus(w.account(), w.planId(), w.renewalPlanId(), w.balance(), w.available(), w.held(),
        w.debt(), w.subscription(), w.packCredits(), lots, w.reference(), w.meter(rules),
        w.schedule().periodStart(w.period()), w.nextRenewal());
  }
}
