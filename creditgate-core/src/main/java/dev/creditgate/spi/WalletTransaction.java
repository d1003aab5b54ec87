package dev.creditgate.spi;

import dev.creditgate.UnknownAccountException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import java.util.Optional;

/**
 * The write shape of a transactional store: one attempt at a mutation in one transaction. A store
 * that offers it returns it from {@link WalletStore#transaction()}; the gate then runs every
 * mutation through it, and decides again when an attempt reports a lost race.
 *
 * <p>A locking store holds the wallet's lock for the attempt (an attempt then never loses); an
 * optimistic one reads the wallet and the record as of one snapshot and writes conditionally. A
 * store implements only the transaction: no business rule, no retry of the decision. The gate
 * owns the loop: it decides again after a lost race, and it tries again after a retry-safe
 * {@link StoreException}, within budgets of its own.
 */
public interface WalletTransaction {

  /**
   * In one transaction: reads {@code account}'s wallet and the record of {@code key}, hands both to
   * {@code mutation}, and writes the commit it returns (if any) as {@link WalletStore#commit}
   * would. If {@code mutation} throws, nothing is written and the exception reaches the caller
   * unchanged.
   *
   * <p><b>One decision per attempt.</b> The store calls {@link Mutation#decide} at most once per
   * attempt, and never retries after calling it: a failure once the decision ran (while writing
   * its commit, or in the {@code COMMIT}) is thrown as a {@link StoreException}. That is
   * retry-safe either way: nothing was written, or the write landed and the gate's next attempt
   * reads the key's record and replays the first answer instead of applying the call twice. (A
   * failure that certainly wrote nothing because the transaction lost to a concurrent one, such as
   * a database's serialization failure, may instead be reported as a lost race: an empty result.) A
   * store may retry a transient fault that happens before the decision (getting a connection,
   * reading, taking the lock) within a small budget of its own, or throw it at once; the gate
   * tries a retry-safe failure again within its own budget, and throws any other at once.
   *
   * @param <R> the mutation's result
   * @param account the wallet's account
   * @param key the call's idempotency key, whose record is read with the wallet
   * @param mutation the gate's decision; pure, called at most once by this attempt
   * @return the mutation's result if its commit landed or it had nothing to commit; empty if the
   *     commit lost to another commit (nothing was written), and the gate decides again
   * @throws UnknownAccountException if no wallet is open for the account
   * @throws StoreException if the transaction failed: nothing was written, or (a failure in the
   *     {@code COMMIT} whose reply was lost) the write landed and a retry with the same key
   *     replays it; {@link StoreException#isRetrySafe()} is {@code true} unless an operator must
   *     act first (a missing or mismatched schema, an unreadable wallet)
   */
  <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation);
}
