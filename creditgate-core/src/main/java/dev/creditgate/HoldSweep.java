package dev.creditgate;

import static dev.creditgate.Arguments.requireTime;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Expires the holds whose time-to-live has run out, in every wallet of the store, in batches. */
final class HoldSweep {
  private static final Logger log = LoggerFactory.getLogger(HoldSweep.class);
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
    // A wallet rolled forward to `at` has no hold expired by `at`, so a store lists it again only
    // if its index is stale: each account is swept once, and a batch of none new ends the sweep.
    Set<AccountId> swept = new HashSet<>();
    // Wallets swept but still listed (they failed, or the index is stale) stay at the front of the
    // index: ask for that many more, so they never crowd out the wallets still due.
    int stuck = 0;
    boolean progress = true;
    while (progress) {
      progress = false;
      int batch = BATCH + stuck;
      for (AccountId account : runner.read(null, () -> runner.store().accountsWithHoldsExpiredBy(at, batch))) {
        if (!swept.add(account)) {
          continue;
        }
        progress = true;
        try {
          if (runner.rollForward(account, at, SWEEP_KEY)) {
            changed++;
          } else {
            stuck++;
          }
        } catch (CreditGateException e) {
          if (Thread.currentThread().isInterrupted()) {
            throw e;
          }
          // One wallet the sweep cannot change (unreadable, its store failing) must not keep every
          // other wallet's holds from expiring; it expires lazily at its next use, or next sweep.
          stuck++;
          log.warn("hold sweep skipped wallet '{}': {}", account, e.getMessage(), e);
        }
      }
    }
    return changed;
  }
}
