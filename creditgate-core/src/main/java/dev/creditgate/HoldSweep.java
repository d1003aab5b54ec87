package dev.creditgate;

import static dev.creditgate.Arguments.requireTime;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import java.time.Instant;
import java.util.List;

/** Expires the holds whose time-to-live has run out, in every wallet of the store, in batches. */
final class HoldSweep {
  /** The key the sweep mutates under; it is never recorded. */
  private static final IdempotencyKey SWEEP_KEY = IdempotencyKey.of("creditgate:expire-holds");
  private static final int BATCH = 100;

  private final MutationRunner runner;

  HoldSweep(MutationRunner runner) {
    this.runner = runner;
  }

  int expireHolds(Instant at) {
    requireTime(at, "at");
    int changed = 0;
    List<AccountId> due;
    while (!(due = runner.store().accountsWithHoldsExpiredBy(at, BATCH)).isEmpty()) {
      for (AccountId account : due) {
        if (runner.rollForward(account, at, SWEEP_KEY)) {
          changed++;
        }
      }
    }
    return changed;
  }
}
