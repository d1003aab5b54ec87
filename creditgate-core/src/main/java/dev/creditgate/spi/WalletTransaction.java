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
 * store implements only the transaction: no business rule, no retry of the decision.
 */
public interface WalletTransaction {

  /**
   * In one transaction: reads {@code account}'s wallet and the record of {@code key}, hands both to
   * {@code mutation}, and writes the commit it returns (if any) as {@link WalletStore#commit}
   * would. If {@code mutation} throws, nothing is written and the exception reaches the caller
   * unchanged.
   *
   * @param <R> the mutation's result
   * @param account the wallet's account
   * @param key the call's idempotency key, whose record is read with the wallet
   * @param mutation the gate's decision; pure, so the store may run it again after a transient
   *     failure
   * @return the mutation's result if its commit landed or it had nothing to commit; empty if the
   *     commit lost to another commit (nothing was written), and the gate decides again
   * @throws UnknownAccountException if no wallet is open for the account
   * @throws StoreException if the transaction failed; nothing was written
   */
  <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation);
}
