package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;


import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A member of a shared (team) wallet: who they are, when they joined, their optional spending cap
 * per billing period and what they spent this period, per operation. Spending resets at renewal.
 * Immutable.
 *
 * @param spent credits this member's charges and captures took this period
 * @param spentByOperation the same, per operation id
 */
record Member(AccountId id, Instant joinedAt, Optional<Credits> cap, Credits spent,
    Map<String, Credits> spentByOperation) {

  public Member {
    Arguments.require(id, "member");
    Arguments.require(joinedAt, "joinedAt");
    Arguments.require(cap, "cap");
    Arguments.require(spent, "spent");
    cap.ifPresent(c -> {
      if (c.isNegative()) {
        throw new InvalidRequestException("cap of member '" + id + "' must not be negative but was " + c);
      }
    });
    spentByOperation = Map.copyOf(spentByOperation);
  }

  static Member joined(AccountId id, Instant at) {
    return new Member(id, at, Optional.empty(), Credits.ZERO, Map.of());
  }

  Member withCap(Optional<Credits> newCap) {
    return new Member(id, joinedAt, newCap, spent, spentByOperation);
  }

  Member withSpending(String operation, Credits credits) {
    Map<String, Credits> byOperation = new java.util.HashMap<>(spentByOperation);
    byOperation.merge(operation, credits, Credits::plus);
    return new Member(id, joinedAt, cap, spent.plus(credits), byOperation);
  }

  Member resetForNewPeriod() {
    return new Member(id, joinedAt, cap, Credits.ZERO, Map.of());
  }
}
