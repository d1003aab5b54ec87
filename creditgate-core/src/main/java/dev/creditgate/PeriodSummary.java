package dev.creditgate;

import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import java.time.Instant;
import java.util.Optional;

/**
 * What a wallet did in one billing period, as it keeps it for the advice: what it spent, the packs
 * it bought, and whether and when it ran out. Immutable; the gate's {@link Advice.Upgrade} names
 * the periods it looked at.
 *
 * @param start when the period began
 * @param end when it ended (its renewal, or an upgrade that restarted the period); for the period
 *     in force, the time it was looked at
 * @param spent what charges and captures took in it (refunds not netted)
 * @param packCredits the credits of the packs bought in it (Custom packs included; refund and
 *     adjustment grants are not purchases)
 * @param packsPaid what those packs cost, in the currency of the first bought; empty if none was
 *     (a pack bought in another currency counts in {@code packCredits} only)
 * @param ranOutAt the first time in the period a charge or capture left no credits available (0
 *     or less), if one did; a denial writes nothing, so a refusal alone is not running out
 */
public record PeriodSummary(Instant start, Instant end, Credits spent, Credits packCredits,
    Optional<Money> packsPaid, Optional<Instant> ranOutAt) {

  /**
   * Checks that no value is null.
   *
   * @param start when the period began
   * @param end when it ended
   * @param spent what charges and captures took in it
   * @param packCredits the credits of the packs bought in it
   * @param packsPaid what those packs cost
   * @param ranOutAt when it first ran out, if it did
   * @throws InvalidRequestException naming the value that is null
   */
  public PeriodSummary {
    Arguments.require(start, "start");
    Arguments.require(end, "end");
    Arguments.require(spent, "spent");
    Arguments.require(packCredits, "packCredits");
    Arguments.require(packsPaid, "packsPaid");
    Arguments.require(ranOutAt, "ranOutAt");
  }

  /**
   * Whether the wallet ran out in the period.
   *
   * @return {@code true} if a charge or capture left no credits available
   */
  public boolean ranOut() {
    return ranOutAt.isPresent();
  }

  /**
   * Whether the wallet bought packs in the period.
   *
   * @return {@code true} if it bought at least one
   */
  public boolean boughtPacks() {
    return packCredits.isPositive();
  }
}
