package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which to buy when: the one recommendation of the help article's "Credit packs vs subscriptions",
 * with its reason and its numbers. A closed set, one for each way out: {@link WaitForRenewal},
 * {@link BuyPack} or {@link Upgrade}. Made by {@link CreditGate#advice} and, for a denial, in its
 * {@link WaysOut#recommended()}. Immutable.
 *
 * <p><b>The rule</b>, in this order (the thresholds are the gate's settings, see
 * {@link CreditGateBuilder#upgradeAdvice} and {@link CreditGateBuilder#upgradeAdviceWhenPacksExceed}):
 * <ol>
 *   <li><b>Upgrade</b> to the next plan up, if there is one, when the wallet ran out or bought packs
 *       in at least 2 of its last 3 periods (the period in force counts as one), or when what it
 *       paid for packs in one of those periods exceeds the plan's price difference (100% of it by
 *       default).
 *   <li><b>Buy the smallest pack that covers the gap</b> when the {@link Forecast} runs out before
 *       the renewal: the gap is the credits needed to reach it (for a denial, at least the
 *       shortfall). A denial with no rate to project (too little history, or nothing spent in the
 *       window), or a wallet with nothing available, is advised the pack that covers what is
 *       missing now.
 *   <li>Otherwise <b>wait for the renewal</b>: the forecast reaches it.
 * </ol>
 */
public sealed interface Advice permits Advice.WaitForRenewal, Advice.BuyPack, Advice.Upgrade {

  /**
   * The wallet's account.
   *
   * @return the account advised
   */
  AccountId account();

  /**
   * When the advice was given.
   *
   * @return the time of the call
   */
  Instant at();

  /**
   * The runway the advice rests on.
   *
   * @return the wallet's forecast at {@link #at()}
   */
  Forecast forecast();

  /**
   * Which of the three ways out this is.
   *
   * @return {@link WaysOut.Way#RENEWAL}, {@link WaysOut.Way#TOP_UP} or {@link WaysOut.Way#UPGRADE}
   */
  WaysOut.Way way();

  /**
   * The advice and its reason in a sentence, in English, for logs and simple UIs; a UI in another
   * language renders the components itself.
   *
   * @return for example {@code "Upgrade to Pro: last month $35.00 in packs; Pro costs $20.00 a
   *     month more and brings 120 more credits a month."}
   */
  String sentence();

  /**
   * Wait for the renewal: at this rate the credits last until it, or nothing better can be said.
   *
   * @param account the wallet's account
   * @param at when the advice was given
   * @param forecast the runway it rests on
   * @param why why waiting is the advice
   */
  record WaitForRenewal(AccountId account, Instant at, Forecast forecast, Why why) implements Advice {
    /** Why waiting is the advice. */
    public enum Why {
      /** At this rate the credits last until the renewal. */
      FORECAST_REACHES_RENEWAL,
      /** Nothing was spent lately: at this rate the credits never run out. */
      NO_SPEND,
      /** The history is too short to forecast, and credits are left. */
      NOT_ENOUGH_HISTORY,
      /** A member's cap ran out, which only the renewal (or a higher cap) lifts. */
      MEMBER_CAP_REACHED,
      /** The gap is more than any pack or Custom price covers, and there is no plan up. */
      NOTHING_COVERS_THE_GAP
    }

    @Override
    public WaysOut.Way way() {
      return WaysOut.Way.RENEWAL;
    }

    @Override
    public String sentence() {
      switch (why) {
        case FORECAST_REACHES_RENEWAL:
          return "Wait for your renewal: at this rate your credits last until then.";
        case NO_SPEND:
          return "Wait for your renewal: you have spent nothing lately.";
        case NOT_ENOUGH_HISTORY:
          return "Wait for your renewal: there is not enough history yet to say more, and you have credits left.";
        case MEMBER_CAP_REACHED:
          return "Wait for the renewal: your spending cap resets then.";
        default:
          return "Wait for your renewal: no pack covers what you would need.";
      }
    }
  }

  /**
   * Buy the smallest pack that covers the gap.
   *
   * @param account the wallet's account
   * @param at when the advice was given
   * @param forecast the runway it rests on
   * @param gap the credits to cover, zero or more: what the forecast needs to reach the renewal
   *     (for a denial, at least the shortfall), or what is missing now
   * @param pack the pack with the fewest credits that covers the gap, if one does
   * @param customPrice the cheapest Custom pack price that covers it, if within the custom bounds;
   *     at least one of the two is present
   */
  record BuyPack(AccountId account, Instant at, Forecast forecast, Credits gap, Optional<Pack> pack,
      Optional<Money> customPrice) implements Advice {
    @Override
    public WaysOut.Way way() {
      return WaysOut.Way.TOP_UP;
    }

    @Override
    public String sentence() {
      String what = pack.map(p -> "the " + p.name() + " pack (" + p.price() + ", " + p.credits() + " credits)")
          .orElseGet(() -> "a Custom pack for " + customPrice.orElseThrow());
      String why = forecast instanceof Forecast.Projected p && p.runsOutBeforeRenewal()
          ? "at this rate you need " + gap + " more credits to reach your renewal"
          : gap.isPositive() ? "you need " + gap + " more credits now" : "you are out of credits";
      return "Buy " + what + ": " + why + ".";
    }
  }

  /**
   * Upgrade to the next plan up: running out or buying packs is a habit, or the packs cost more
   * than the plan would.
   *
   * @param account the wallet's account
   * @param at when the advice was given
   * @param forecast the runway it rests on
   * @param from the plan in force
   * @param plan the plan ranked just above it
   * @param why which part of the rule advised it
   * @param periods the periods the rule looked at, the one in force first (up to {@code at})
   * @param priceDifference what {@code plan} costs a month more than {@code from}
   * @param moreCredits what it grants a month more than {@code from}
   */
  record Upgrade(AccountId account, Instant at, Forecast forecast, String from, Plan plan, Why why,
      List<PeriodSummary> periods, Money priceDifference, Credits moreCredits) implements Advice {

    /** Which part of the rule advised the upgrade. */
    public enum Why {
      /** The wallet ran out or bought packs in enough of its last periods. */
      RAN_OUT_OR_BOUGHT_PACKS,
      /** What it paid for packs in one of its last periods exceeds the plan's price difference. */
      PACKS_COST_MORE_THAN_THE_PLAN
    }

    /**
     * Copies {@code periods}, so the advice stays immutable.
     *
     * @param account the wallet's account
     * @param at when the advice was given
     * @param forecast the runway it rests on
     * @param from the plan in force
     * @param plan the plan ranked just above it
     * @param why which part of the rule advised it
     * @param periods the periods looked at, the one in force first
     * @param priceDifference what {@code plan} costs a month more
     * @param moreCredits what it grants a month more
     * @throws InvalidRequestException if {@code periods} is null
     */
    public Upgrade {
      periods = List.copyOf(Arguments.require(periods, "periods"));
    }

    @Override
    public WaysOut.Way way() {
      return WaysOut.Way.UPGRADE;
    }

    /**
     * How many of {@link #periods()} ran out or bought packs.
     *
     * @return the count, at most {@code periods().size()}
     */
    public int periodsShort() {
      int count = 0;
      for (PeriodSummary p : periods) {
        if (p.ranOut() || p.boughtPacks()) {
          count++;
        }
      }
      return count;
    }

    /**
     * The period of {@link #periods()} that paid the most for packs, in the currency of the
     * plan's price.
     *
     * @return that period, or empty if none paid anything in that currency
     */
    public Optional<PeriodSummary> mostPaidForPacks() {
      PeriodSummary most = null;
      for (PeriodSummary p : periods) {
        if (p.packsPaid().isPresent() && p.packsPaid().get().currency().equals(priceDifference.currency())
            && !p.packsPaid().get().isZero()
            && (most == null || p.packsPaid().get().compareTo(most.packsPaid().orElseThrow()) > 0)) {
          most = p;
        }
      }
      return Optional.ofNullable(most);
    }

    /**
     * The break-even, as the article states it.
     *
     * @return for example {@code "Upgrade to Pro: last month $35.00 in packs; Pro costs $20.00 a
     *     month more and brings 120 more credits a month."}, or, for a habit of running out,
     *     {@code "Upgrade to Pro: you ran out or bought packs in 2 of your last 3 months; ..."}
     */
    @Override
    public String sentence() {
      String breakEven = plan.name() + " costs " + priceDifference + " a month more and brings " + moreCredits
          + " more credits a month.";
      Optional<PeriodSummary> most = mostPaidForPacks();
      String paid = most.map(p -> when(p) + " " + p.packsPaid().orElseThrow() + " in packs").orElse("");
      if (why == Why.PACKS_COST_MORE_THAN_THE_PLAN) {
        return "Upgrade to " + plan.name() + ": " + paid + "; " + breakEven;
      }
      return "Upgrade to " + plan.name() + ": you ran out or bought packs in " + periodsShort() + " of your last "
          + periods.size() + " months" + (paid.isEmpty() ? "" : " (" + paid + ")") + "; " + breakEven;
    }

    private String when(PeriodSummary period) {
      int index = periods.indexOf(period);
      return index == 0 ? "this month" : index == 1 ? "last month" : index + " months ago";
    }
  }
}
