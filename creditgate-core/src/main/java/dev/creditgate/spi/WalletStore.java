package dev.creditgate.spi;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.UnknownAccountException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where wallets, their ledgers and their idempotency records live. The gate runs every business
 * rule in the pure domain and asks the store only to load state and to commit a change
 * conditionally. {@link #mutate} is the one place that owns the read-decide-commit loop: its
 * default is optimistic (load, decide, conditional commit, decide again on a conflict); a store may
 * override it to lock the wallet for the decision instead.
 *
 * <h2>Contract (checked by the conformance suite every store passes)</h2>
 * <ul>
 *   <li><b>Atomic commit.</b> {@link #commit} writes the new wallet, its ledger entries and its
 *       idempotency records together, or nothing.
 *   <li><b>Conditional commit.</b> It commits only if the stored version still equals
 *       {@link Commit#expectedVersion()} (0: the wallet must not exist yet), then stores version
 *       {@code expectedVersion + 1}. Otherwise it writes nothing and returns {@code false}. Across
 *       threads and processes, of two commits from the same version exactly one succeeds.
 *   <li><b>Append-only ledger</b>, read back in commit order.
 *   <li><b>Reads never block writers' progress</b> and never return a half-written commit.
 *   <li>Transient infrastructure faults that outlast the store's own bounded retries are thrown as
 *       {@link dev.creditgate.spi.StoreException}, after nothing was written.
 * </ul>
 *
 * <p>Implementations must be thread-safe. A store is handed to {@code CreditGate.builder().store(..)};
 * creditgate does not look stores up by itself.
 */
public interface WalletStore {

  /** The wallet and its version, or empty if no wallet is open for the account. */
  Optional<StoredWallet> load(AccountId account);

  /** The record of the first successful call made with {@code key} on this account, if any. */
  Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key);

  /**
   * Commits a change if the wallet is still at the version it was read at and none of its
   * idempotency keys is stored yet.
   *
   * @return {@code true} if committed, {@code false} if another commit came first (nothing written)
   */
  boolean commit(Commit commit);

  /**
   * Streams the account's ledger entries with {@code from <= at < to}, in commit order (and in
   * order within a commit), to {@code consumer} without holding the whole range in memory.
   */
  void readLedger(AccountId account, Instant from, Instant to, Consumer<? super LedgerEntry> consumer);

  /**
   * Runs one mutation of {@code account}'s wallet: loads it and the record of {@code key}, lets
   * {@code mutation} decide, and commits its outcome. When another commit came first, it decides
   * again from the fresh state, at most {@link #MAX_ATTEMPTS} times.
   *
   * @throws UnknownAccountException if no wallet is open for the account
   * @throws StoreException if the wallet stayed contended; nothing was written
   */
  default <R> R mutate(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Wallet first: a record committed after this load also moved the version, so the commit
      // below fails; read the other way round, a record committed in between would be missed.
      StoredWallet stored = load(account).orElseThrow(() -> new UnknownAccountException(account));
      Optional<IdempotencyRecord> record = findRecord(account, key);
      Mutation.Outcome<R> outcome = mutation.decide(stored, record);
      if (outcome.commit() == null || commit(outcome.commit())) {
        return outcome.result();
      }
      Thread.onSpinWait();
    }
    throw new StoreException("wallet '" + account + "' stayed contended for " + MAX_ATTEMPTS
        + " attempts; nothing was written, retry with the same key");
  }

  /** How often the default {@link #mutate} decides again after losing a conditional commit. */
  int MAX_ATTEMPTS = 64;

  /** Up to {@code limit} accounts with a hold whose expiry is at or before {@code at}. */
  List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit);
}
