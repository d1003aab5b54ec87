package dev.creditgate.spi;


import java.util.Optional;

/**
 * The decision half of one mutation, handed to {@link WalletStore#mutate}: given the stored wallet
 * and the idempotency record of the call's key (if the key was used before), it returns the answer
 * and what to commit. It must be pure (no I/O, no side effects): a store may run it several times,
 * or inside a database transaction.
 *
 * @param <R> the call's result
 */
@FunctionalInterface
public interface Mutation<R> {

  Outcome<R> decide(StoredWallet wallet, Optional<IdempotencyRecord> record);

  /**
   * The answer, and the commit that makes it true ({@code null} when nothing is to be written: a
   * denial, or the replay of a recorded key).
   */
  record Outcome<R>(R result, Commit commit) {
    public static <R> Outcome<R> answer(R result) {
      return new Outcome<>(result, null);
    }

    public static <R> Outcome<R> commit(R result, Commit commit) {
      if (commit == null) {
        throw new IllegalArgumentException("commit must not be null");
      }
      return new Outcome<>(result, commit);
    }
  }
}
