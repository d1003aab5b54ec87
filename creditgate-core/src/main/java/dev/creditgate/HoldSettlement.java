package dev.creditgate;

import dev.creditgate.model.CostBreakdown;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * A hold resolved by a capture or a release. Immutable.
 *
 * @param hold the hold's id: the key its reserve call used
 * @param operation the operation the hold was reserved for
 * @param outcome the outcome the capture stated; {@code null} for a release
 * @param held what the hold reserved
 * @param metered the metered cost of the actual quantity, before the outcome policy
 * @param due what the outcome policy charges for it
 * @param charged what was taken: {@code due}, unless the wallet could not cover the part beyond
 *     the hold, in which case as much as the overdraft policy allowed
 * @param balanceAfter the available credits after the settlement, the hold's unused rest included
 * @param meter the meter after the settlement
 * @param costBreakdown how {@code due} is made up: the operation's terms for the actual quantity
 *     ({@code metered}) and the outcome's share of it; for a release, a free breakdown (nothing is
 *     charged); {@link CostBreakdown.Kind#NOT_ITEMIZED} for an answer recorded by creditgate 0.2
 */
// JSpecify is compile-only (requires static): a client needs no @Nullable to compile or run.
@SuppressWarnings("exports")
public record HoldSettlement(String hold, Operation operation, @Nullable Outcome outcome, Credits held,
    Credits metered, Credits due, Credits charged, Credits balanceAfter, Meter meter, CostBreakdown costBreakdown) {

  /**
   * Checks that the breakdown is the settlement's.
   *
   * @param hold the hold's id
   * @param operation the operation
   * @param outcome the outcome, null for a release
   * @param held what the hold reserved
   * @param metered the metered cost of the actual quantity
   * @param due what the outcome policy charges for it
   * @param charged what was taken
   * @param balanceAfter the available credits after it
   * @param meter the meter after it
   * @param costBreakdown how {@code due} is made up
   * @throws InvalidRequestException if {@code metered}, {@code due} or {@code costBreakdown} is
   *     null, or the breakdown does not total {@code due} (or, itemized, its metered cost is not
   *     {@code metered})
   */
  public HoldSettlement {
    Arguments.require(metered, "metered");
    Arguments.require(due, "due");
    Arguments.require(costBreakdown, "costBreakdown");
    boolean itemized = costBreakdown.kind() != CostBreakdown.Kind.NOT_ITEMIZED;
    if (!costBreakdown.total().equals(due) || itemized && !costBreakdown.metered().equals(metered)) {
      throw new InvalidRequestException("costBreakdown", costBreakdown.total().toString(), "costBreakdown (metered "
          + costBreakdown.metered() + ", total " + costBreakdown.total() + ") is not this settlement's: metered "
          + metered + ", due " + due);
    }
  }

  /**
   * A settlement whose cost is not itemized ({@link CostBreakdown.Kind#NOT_ITEMIZED}), as one
   * recorded by creditgate 0.2.
   *
   * @param hold the hold's id
   * @param operation the operation
   * @param outcome the outcome, null for a release
   * @param held what the hold reserved
   * @param metered the metered cost of the actual quantity
   * @param due what the outcome policy charges for it
   * @param charged what was taken
   * @param balanceAfter the available credits after it
   * @param meter the meter after it
   * @throws InvalidRequestException if {@code due} is null
   */
  public HoldSettlement(String hold, Operation operation, @Nullable Outcome outcome, Credits held, Credits metered,
      Credits due, Credits charged, Credits balanceAfter, Meter meter) {
    this(hold, operation, outcome, held, metered, due, charged, balanceAfter, meter,
        CostBreakdown.notItemized(0, Arguments.require(due, "due")));
  }

  /**
   * Whether the charge fell short of what was due, because the wallet could not cover it.
   *
   * @return {@code true} if {@code charged} is less than {@code due}; never for a release
   */
  public boolean isShort() {
    return charged.isLessThan(due);
  }
}
