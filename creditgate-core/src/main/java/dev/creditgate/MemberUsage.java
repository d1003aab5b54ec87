package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Operation;
import java.util.Map;
import java.util.Optional;

/**
 * What one member of a shared wallet spent in the current period, in all and per operation, and
 * their cap. Immutable.
 */
public record MemberUsage(AccountId member, Optional<Credits> cap, Credits spent,
    Map<Operation, Credits> byOperation) {
  public MemberUsage {
    byOperation = Map.copyOf(byOperation);
  }
}
