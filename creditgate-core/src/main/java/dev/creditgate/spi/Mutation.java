package dev.creditgate.spi;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The gate's decision in one mutation, handed to {@link WalletTransaction#attempt}: given the stored
 * wallet and the idempotency record of the call's key (if the key was used before), it returns the
 * answer and what to commit. Pure (no I/O, no side effects), so a store may run it inside a
 * database transaction.
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
  record Outcome<R>(R result, @Nullable Commit commit) {
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
