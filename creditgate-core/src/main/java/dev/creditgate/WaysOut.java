package dev.creditgate;

import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import java.time.Instant;
import java.util.Optional;

/**
 * The three ways out of a denial, as the help article tells them: top up with a pack, upgrade the
 * plan, or wait for the renewal; and which of them the gate recommends, and why. Immutable.
 *
 * @param topUp the pack and the Custom pack price that would cover the shortfall, each if one
 *     does; both empty when a member's cap, which no top-up lifts, is what ran out
 * @param upgrade the next plan up, or empty on the top plan or for a member's cap
 * @param renewal when the credits come back on their own
 * @param recommended the one the gate advises, with its reason and numbers (see {@link Advice}:
 *     its {@link Advice#way()} names which of the three); empty only for ways out read from JSON
 *     written by creditgate 0.2
 */
public record WaysOut(TopUpOption topUp, Optional<UpgradeOption> upgrade, RenewalOption renewal,
    Optional<Advice> recommended) {

  /** The three ways out. */
  public enum Way {
    /** Option 1, top up with a pack. */
    TOP_UP,
    /** Option 2, upgrade the plan. */
    UPGRADE,
    /** Option 3, wait for the renewal. */
    RENEWAL
  }

  /**
   * Ways out without a recommendation, as read from JSON written by creditgate 0.2.
   *
   * @param topUp the pack and Custom price that would cover the shortfall
   * @param upgrade the next plan up, if any
   * @param renewal when the credits come back
   */
  public WaysOut(TopUpOption topUp, Optional<UpgradeOption> upgrade, RenewalOption renewal) {
    this(topUp, upgrade, renewal, Optional.empty());
  }

  /**
   * Option 1, top up (instant).
   *
   * @param smallestPack the pack with the fewest credits that covers the shortfall, if one does
   * @param customPrice the cheapest Custom pack price that covers it, if within the custom bounds
   */
  public record TopUpOption(Optional<Pack> smallestPack, Optional<Money> customPrice) {}

  /**
   * Option 2, upgrade: the next plan up, effective at once with its full allowance.
   *
   * @param plan the plan ranked just above the one in force
   */
  public record UpgradeOption(Plan plan) {
    /**
     * What the plan costs per month.
     *
     * @return the plan's monthly price
     */
    public Money price() {
      return plan.monthlyPrice();
    }

    /**
     * The allowance the plan grants each month, at once on an upgrade.
     *
     * @return the plan's monthly credits
     */
    public Credits monthlyCredits() {
      return plan.monthlyCredits();
    }
  }

  /**
   * Option 3, wait: when the subscription renews and the credits that arrive then.
   *
   * @param renewsAt when the current billing period ends
   * @param plan the id of the plan in force from then on (the scheduled one after a downgrade)
   * @param credits that plan's monthly allowance, granted at the renewal
   */
  public record RenewalOption(Instant renewsAt, String plan, Credits credits) {}
}
