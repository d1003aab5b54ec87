package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Operation;
import java.util.Map;
import java.util.Optional;

/**
 * What one member of a shared wallet spent in the current period, in all and per operation, and
 * their cap. Immutable.
 *
 * @param member the member's account
 * @param cap the most they may spend per billing period, or empty if they have no cap
 * @param spent what they spent this period, in all: charges and captures counted against them
 * @param byOperation what they spent this period per operation; operations they did not use are
 *     absent
 */
public record MemberUsage(AccountId member, Optional<Credits> cap, Credits spent,
    Map<Operation, Credits> byOperation) {
  /**
   * Copies {@code byOperation}, so the usage stays immutable.
   *
   * @param member the member's account
   * @param cap the most they may spend per billing period, or empty for no cap
   * @param spent what they spent this period, in all
   * @param byOperation what they spent this period per operation
   */
  public MemberUsage {
    byOperation = Map.copyOf(Arguments.require(byOperation, "byOperation"));
  }
}
