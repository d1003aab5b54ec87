package dev.creditgate;

import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import java.time.Instant;
import java.util.Optional;

/**
 * The three ways out of a denial, as the help article tells them: top up with a pack, upgrade the
 * plan, or wait for the renewal. Immutable.
 */
public record WaysOut(TopUpOption topUp, Optional<UpgradeOption> upgrade, RenewalOption renewal) {

  /**
   * Option 1, top up (instant).
   *
   * @param smallestPack the pack with the fewest credits that covers the shortfall, if one does
   * @param customPrice the cheapest Custom pack price that covers it, if within the custom bounds
   */
  public record TopUpOption(Optional<Pack> smallestPack, Optional<Money> customPrice) {}

  /** Option 2, upgrade: the next plan up, effective at once with its full allowance. */
  public record UpgradeOption(Plan plan) {
    public Money price() {
      return plan.monthlyPrice();
    }

    public Credits monthlyCredits() {
      return plan.monthlyCredits();
    }
  }

  /** Option 3, wait: when the subscription renews and the credits that arrive then. */
  public record RenewalOption(Instant renewsAt, String plan, Credits credits) {}
}
