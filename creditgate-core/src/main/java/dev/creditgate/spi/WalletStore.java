package dev.creditgate.spi;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Where wallets, their ledgers and their idempotency records live. The gate runs every business
 * rule and owns the read-decide-commit loop; a store only loads state and commits a change in one
 * of two explicit shapes: a conditional {@link #commit} (an optimistic store), or a transaction
 * that reads, lets the gate decide and writes ({@link #transaction()}: a locking store, or a
 * database store that works on one connection). Wallets are
 * {@linkplain WalletState opaque} to a store.
 *
 * <h2>Contract (checked by the conformance suite every store passes)</h2>
 * <ul>
 *   <li><b>Atomic commit.</b> {@link #commit} writes the new wallet, its ledger entries, its
 *       idempotency records and its events (into the outbox, undelivered) together, or nothing.
 *   <li><b>Conditional commit.</b> It commits only if the stored version still equals
 *       {@link Commit#expectedVersion()} (0: the wallet must not exist yet), then stores version
 *       {@code expectedVersion + 1}. Otherwise it writes nothing and returns {@code false}. Across
 *       threads and processes, of two commits from the same version exactly one succeeds.
 *   <li><b>Append-only ledger</b>, read back in commit order, lazily; a {@link #snapshot} reads
 *       the wallet and its ledger as of one moment.
 *   <li><b>Reads never block writers' progress</b> and never return a half-written commit.
 *   <li><b>Outbox.</b> {@link #deliverEvents} hands an account's undelivered events over in
 *       sequence order, one delivery of an account at a time (across threads and processes), and
 *       marks delivered exactly those the delivery reports; a delivered event is kept at least
 *       for the store's retention of delivered events, then removed.
 *   <li><b>Truthful failures.</b> Transient infrastructure faults are thrown as a retry-safe
 *       {@link StoreException}, after nothing was written; one that happened after the commit may
 *       have landed (the reply to a {@code COMMIT} lost) as a
 *       {@link CommitOutcomeUnknownException}. The gate tries the call again within the store's
 *       {@link #retryPolicy()}: a store does not retry a decision, and needs no retry loop of its
 *       own (see {@link WalletTransaction#attempt}).
 * </ul>
 *
 * <p>Implementations must be thread-safe. A store is handed to {@code CreditGate.builder(store)};
 * creditgate does not look stores up by itself.
 */
public interface WalletStore {

  /**
   * The wallet and its version, or empty if no wallet is open for the account.
   *
   * @param account the wallet's account
   * @return the latest committed wallet and its version (1 or more), or empty
   */
  Optional<StoredWallet> load(AccountId account);

  /**
   * The record of the first successful call made with {@code key} on this account, if any.
   *
   * @param account the account the key was used on; keys of other accounts are never found
   * @param key the call's idempotency key, compared exactly
   * @return the committed record, or empty if the key is not stored for the account (never used,
   *     or forgotten by a store that retains records for a limited time)
   */
  Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key);

  /**
   * Commits a change if the wallet is still at the version it was read at and none of its
   * idempotency keys is stored yet.
   *
   * @param commit the change: the new state, its entries and its records, conditional on
   *     {@link Commit#expectedVersion()}
   * @return {@code true} if committed, {@code false} if another commit came first (nothing written)
   */
  boolean commit(Commit commit);

  /**
   * The account's ledger entries with {@code from <= at < to}, in commit order (and in order
   * within a commit), read lazily: the whole range never sits in memory. The caller must close
   * the stream (try-with-resources); a persistent store holds a connection until then. Empty for
   * an unknown account.
   *
   * @param account the wallet's account
   * @param from the earliest entry time to include
   * @param to the first entry time to leave out; a range with {@code to} not after {@code from}
   *     is empty
   * @return the entries, each exactly as committed (to the nanosecond)
   * @throws StoreException if the read fails before the first entry; one that fails later throws
   *     from the stream's traversal
   */
  Stream<LedgerEntry> readLedger(AccountId account, Instant from, Instant to);

  /**
   * Reads the account's wallet and its whole ledger as of one moment, with no commit in between,
   * and hands both to {@code reader}; the stream is closed when {@code reader} returns. Empty, and
   * {@code reader} not called, if no wallet is open for the account. Never writes and takes no
   * lock that a writer waits for longer than the read.
   *
   * @param <R> what {@code reader} makes of the two
   * @param account the wallet's account
   * @param reader given the wallet and its whole ledger in commit order; it must not keep the
   *     stream beyond its return
   * @return what {@code reader} returned, or empty if no wallet is open for the account
   * @throws StoreException if the read fails; whatever {@code reader} throws reaches the caller
   */
  <R> Optional<R> snapshot(AccountId account, BiFunction<StoredWallet, Stream<LedgerEntry>, R> reader);

  /**
   * The store's transaction, if it runs a mutation's read, decision and write in one (a locking
   * store, or a database store that reads and writes on one connection): the gate then runs every
   * mutation as {@link WalletTransaction#attempt}s. Empty for a store that offers only the
   * conditional {@link #commit}: the gate then loads, decides and commits conditionally. Either way
   * the gate owns the read-decide-commit loop and its retry budgets (for lost races, and for
   * retry-safe {@link StoreException}s); an attempt decides at most once and is never retried by
   * the store once it decided.
   *
   * @return the store's transaction, or empty for a store that only commits conditionally
   */
  Optional<WalletTransaction> transaction();

  /**
   * Delivers {@code account}'s undelivered events: hands them to {@code delivery} in sequence
   * order, a batch at a time, and marks delivered those it reports, until none is left, the
   * delivery reports fewer than it was handed, or {@code limit} events were handed over. A
   * delivery of one account never overlaps another delivery of the same account, in this process
   * or another: if one is running, this returns 0 at once and leaves the events to it or to the
   * next run.
   *
   * @param account the wallet's account
   * @param delivery hands events to the gate's sink; what it throws reaches the caller, and the
   *     events it was handed stay undelivered
   * @param limit the most events to hand over, positive
   * @return how many events were marked delivered
   * @throws StoreException if the outbox cannot be read or marked; events already handed over may
   *     then be handed over again (delivery is at least once)
   */
  int deliverEvents(AccountId account, EventDelivery delivery, int limit);

  /**
   * Delivers the undelivered events of every account that has some, as
   * {@link #deliverEvents(AccountId, EventDelivery, int)} does for one, oldest undelivered first
   * where the store can tell; accounts another delivery is working on are skipped. Safe to run on
   * every instance of a host at once. Also removes delivered events older than the store's
   * retention.
   *
   * @param delivery hands events to the gate's sink
   * @param limit the most events to hand over in all, positive
   * @return how many events were marked delivered
   * @throws StoreException if the outbox cannot be read or marked
   */
  int deliverEvents(EventDelivery delivery, int limit);

  /**
   * The retry budget the gate gives each call on this store. A store's builder sets it.
   *
   * @return {@link RetryPolicy#DEFAULT} unless the store says otherwise
   */
  default RetryPolicy retryPolicy() {
    return RetryPolicy.DEFAULT;
  }

  /**
   * Up to {@code limit} accounts with a hold whose expiry is at or before {@code at}, by the
   * {@link Commit#nextHoldExpiry()} of each wallet's latest commit. The gate's hold sweep asks
   * again until the answer is empty, so a commit that moves an account's next expiry past
   * {@code at} must take it out of the next answer.
   *
   * @param at the time holds are expired by
   * @param limit the most accounts to return, positive
   * @return distinct accounts, at most {@code limit}, in an order the caller must not rely on;
   *     empty when none is due
   */
  List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit);
}
