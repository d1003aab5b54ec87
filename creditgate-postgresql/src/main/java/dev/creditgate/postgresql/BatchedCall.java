package dev.creditgate.postgresql;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoreException;
import java.util.Optional;
import java.util.concurrent.locks.Condition;

/**
 * A call of a {@link GroupCommit}: waiting in its queue, then taken into a batch and answered by
 * the batch's {@link BatchTransaction}, which sets its outcome for its own thread to return or
 * throw. Its outcome is written by the batch's leader and read by the call's thread after the
 * group commit's lock hands it over.
 */
final class BatchedCall<R> {
  final AccountId account;
  final IdempotencyKey key;
  final Mutation<R> mutation;
  /** Guarded by the group commit's lock. */
  boolean queued;
  /** Guarded by the group commit's lock. */
  boolean done;
  /** Whether a leader took it into its batch; guarded by the group commit's lock. */
  boolean taken;
  /** Whether its thread waits on {@link #woken}; guarded by the group commit's lock. */
  boolean waiting;
  /** What its thread waits on: signalled when its batch is done, or when it may lead the next. */
  final Condition woken;
  private boolean lost;
  /** Whether its mutation decided in the batch, and whether what it decided is to be written. */
  boolean decided;
  boolean wrote;
  /** Whether it decided on its wallet after a commit of the same batch on it. */
  boolean afterBatchCommit;
  private Object result;
  private Throwable failure;

  BatchedCall(AccountId account, IdempotencyKey key, Mutation<R> mutation, Condition woken) {
    this.account = account;
    this.key = key;
    this.mutation = mutation;
    this.woken = woken;
  }

  void answered(Object result, boolean wrote) {
    this.decided = true;
    this.result = result;
    this.wrote = wrote;
  }

  void lost() {
    this.decided = true;
    this.failure = null;
    this.lost = true;
    this.wrote = false;
    this.result = null;
  }

  void failed(Throwable failure) {
    this.decided = true;
    this.wrote = false;
    this.failure = failure;
  }

  boolean isFailed() {
    return failure != null;
  }

  @SuppressWarnings("unchecked")
  Optional<R> outcome() {
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new StoreException("a group commit failed: " + failure, failure);
    }
    if (lost || result == null) {
      return Optional.empty();
    }
    return Optional.of((R) result);
  }

  /** An account and a key: a record's identity, and a call that goes alone. */
  record Key(AccountId account, IdempotencyKey key) {}
}
