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
 * @param membersToRemove the members beyond the new plan's seats, who must go first (the latest to
 *     join); still there at the renewal, they are removed then
 */
public record PlanChange(String from, String to, boolean immediate, Instant effectiveAt,
    Credits balanceAfter, List<AccountId> membersToRemove) {
  public PlanChange {
    membersToRemove = List.copyOf(membersToRemove);
  }
}
