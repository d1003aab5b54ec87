package dev.creditgate;

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
 */
// JSpecify is compile-only (requires static): a client needs no @Nullable to compile or run.
@SuppressWarnings("exports")
public record HoldSettlement(String hold, Operation operation, @Nullable Outcome outcome, Credits held,
    Credits metered, Credits due, Credits charged, Credits balanceAfter, Meter meter) {

  /**
   * Whether the charge fell short of what was due, because the wallet could not cover it.
   *
   * @return {@code true} if {@code charged} is less than {@code due}; never for a release
   */
  public boolean isShort() {
    return charged.isLessThan(due);
  }
}
