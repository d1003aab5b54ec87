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
 * {@link StoreException}, within one budget, the store's {@link WalletStore#retryPolicy()}.
 */
public interface WalletTransaction {

  /**
   * In one transaction: reads {@code account}'s wallet and the record of {@code key}, hands both to
   * {@code mutation}, and writes the commit it returns (if any) as {@link WalletStore#commit}
   * would. If {@code mutation} throws, nothing is written and the exception reaches the caller
   * unchanged.
   *
   * <p><b>One decision per attempt, one try per attempt.</b> The store calls
   * {@link Mutation#decide} at most once per attempt, never retries after calling it, and has no
   * retry loop of its own: the gate retries within {@link WalletStore#retryPolicy()}, and a loop
   * inside it would multiply that budget. A failure that certainly wrote nothing is thrown as a
   * {@link StoreException} (retry-safe, or {@link StoreFaultException} when retrying cannot fix
   * it); one that lost to a concurrent transaction, such as a database's serialization failure,
   * may instead be reported as a lost race (an empty result). A failure after the commit may have
   * landed (the reply to the {@code COMMIT} lost) is thrown as a
   * {@link CommitOutcomeUnknownException}, never as one that says nothing was written: the gate
   * then reads the key's record and answers from it, or decides again.
   *
   * @param <R> the mutation's result
   * @param account the wallet's account
   * @param key the call's idempotency key, whose record is read with the wallet
   * @param mutation the gate's decision; pure, called at most once by this attempt
   * @return the mutation's result if its commit landed or it had nothing to commit; empty if the
   *     commit lost to another commit (nothing was written), and the gate decides again
   * @throws UnknownAccountException if no wallet is open for the account
   * @throws StoreException if the transaction failed and nothing was written;
   *     {@link StoreException#isRetrySafe()} is {@code true} unless an operator must act first (a
   *     missing or mismatched schema, an unreadable wallet, a database fault)
   * @throws CommitOutcomeUnknownException if it failed after its commit may have landed
   */
  <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation);
}
