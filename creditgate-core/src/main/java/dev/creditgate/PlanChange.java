package dev.creditgate;

import dev.creditgate.model.Credits;
import dev.creditgate.model.AccountId;
import java.time.Instant;
import java.util.List;

/**
 * A recorded plan change. An upgrade is {@code immediate}: effective at the call's time, its full
 * allowance already in {@code balanceAfter}. A downgrade or cancellation takes effect at the next
 * renewal ({@code effectiveAt}); credits already granted stay until then. Immutable.
 *
 * @param from the plan in force before the call
 * @param to the plan asked for
 * @param immediate whether the change took effect at the call (an upgrade)
 * @param effectiveAt when it takes effect: the call's time if immediate, else the next renewal
 * @param balanceAfter the available credits after the call
 * @param membersToRemove the members beyond the new plan's seats, who must go first (the latest to
 *     join); still there at the renewal, they are removed then (an immediate change removes them
 *     at once)
 */
public record PlanChange(String from, String to, boolean immediate, Instant effectiveAt,
    Credits balanceAfter, List<AccountId> membersToRemove) {
  /**
   * Copies {@code membersToRemove}, so the change stays immutable.
   *
   * @param from the plan in force before the call
   * @param to the plan asked for
   * @param immediate whether the change took effect at the call
   * @param effectiveAt when it takes effect
   * @param balanceAfter the available credits after the call
   * @param membersToRemove the members beyond the new plan's seats, the latest to join first
   */
  public PlanChange {
    membersToRemove = List.copyOf(Arguments.require(membersToRemove, "membersToRemove"));
  }
}
