package dev.creditgate;

import dev.creditgate.model.Credits;
import java.time.Instant;

/**
 * A recorded plan change. An upgrade is {@code immediate}: effective at the call's time, its full
 * allowance already in {@code balanceAfter}. A downgrade or cancellation takes effect at the next
 * renewal ({@code effectiveAt}); credits already granted stay until then. Immutable.
 *
 * @param from the plan in force before the call
 * @param to the plan asked for
 */
public record PlanChange(String from, String to, boolean immediate, Instant effectiveAt,
    Credits balanceAfter) {}
