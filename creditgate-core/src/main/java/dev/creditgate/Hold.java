package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Operation;


import java.time.Instant;
import java.util.Optional;

/**
 * Credits reserved for work in flight (a generation that has started). Reserved credits stay in
 * the wallet's grants but are not available to anything else until the hold is captured, released
 * or expires at {@code expiresAt}. {@code id} is the reserving call's idempotency key. Immutable.
 *
 * @param member the member of a shared wallet the work is for, or empty
 */
record Hold(String id, Operation operation, Credits amount, Instant createdAt, Instant expiresAt,
    Optional<AccountId> member) {
  public Hold {
    Arguments.require(member, "member");
    Arguments.require(id, "hold id");
    Arguments.require(operation, "operation");
    Arguments.require(amount, "amount");
    Arguments.require(createdAt, "createdAt");
    Arguments.require(expiresAt, "expiresAt");
    if (!amount.isPositive()) {
      throw new InvalidRequestException("hold '" + id + "' amount must be positive but was " + amount);
    }
  }
}
