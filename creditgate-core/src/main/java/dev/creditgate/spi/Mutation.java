package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The gate's decision in one mutation, handed to {@link WalletTransaction#attempt}: given the stored
 * wallet and the idempotency record of the call's key (if the key was used before), it returns the
 * answer and what to commit. Pure (no I/O, no side effects), so a store may run it inside a
 * database transaction.
 *
 * <p>A store calls it at most once per attempt and never retries after calling it; deciding again,
 * after a lost race or a transient fault, is the gate's, in a new attempt with a fresh read (see
 * {@link WalletTransaction#attempt}).
 *
 * @param <R> the call's result
 */
@FunctionalInterface
public interface Mutation<R> {

  /**
   * Decides the call against the wallet as read. A store calls it at most once per attempt; a
   * failure after it ran is thrown to the gate, which decides again in a new attempt.
   *
   * @param wallet the stored wallet and its version, read in the store's transaction
   * @param record the record of the call's idempotency key on this account, if the key was used
   *     before (the call is then a replay or a conflict)
   * @return the answer, and the commit to write, if any, in the same transaction
   */
  Outcome<R> decide(StoredWallet wallet, Optional<IdempotencyRecord> record);

  /**
   * The answer, and the commit that makes it true ({@code null} when nothing is to be written: a
   * denial, or the replay of a recorded key).
   *
   * @param <R> the call's result
   * @param result the call's result, handed back to the caller once the commit (if any) landed
   * @param commit the change to write, expected at the version of the wallet decided on; or
   *     {@code null} for nothing to write
   */
  // JSpecify is compile-only (requires static): a client needs no @Nullable to compile or run.
  @SuppressWarnings("exports")
  record Outcome<R>(R result, @Nullable Commit commit) {
    /**
     * An answer that writes nothing: a denial, or the replay of a recorded key.
     *
     * @param <R> the call's result
     * @param result the answer
     * @return an outcome without a commit
     */
    public static <R> Outcome<R> answer(R result) {
      return new Outcome<>(result, null);
    }

    /**
     * An answer that holds only once {@code commit} is written.
     *
     * @param <R> the call's result
     * @param result the answer
     * @param commit the change to write
     * @return an outcome with the commit
     * @throws InvalidRequestException if {@code commit} is null
     */
    public static <R> Outcome<R> commit(R result, Commit commit) {
      if (commit == null) {
        throw new InvalidRequestException("commit", null, "commit must not be null");
      }
      return new Outcome<>(result, commit);
    }
  }
}
