package dev.creditgate;

import dev.creditgate.model.Credits;


import java.time.Instant;

/**
 * One pack purchase in a wallet: what it granted, what remains of it, when it was bought. Pack
 * credits never expire. {@code id} names the grant in the ledger ({@code "pack:<payment id>"}).
 * Immutable.
 */
record PackGrant(String id, String packId, Credits granted, Credits remaining, Instant purchasedAt) {
  public PackGrant {
    Arguments.require(id, "grant id");
    Arguments.require(packId, "pack id");
    Arguments.require(granted, "granted");
    Arguments.require(remaining, "remaining");
    Arguments.require(purchasedAt, "purchasedAt");
    if (remaining.isNegative() || remaining.compareTo(granted) > 0) {
      throw new InvalidRequestException(
          "grant '" + id + "' remaining " + remaining + " is outside 0.." + granted);
    }
  }

  PackGrant withRemaining(Credits newRemaining) {
    return new PackGrant(id, packId, granted, newRemaining, purchasedAt);
  }
}
