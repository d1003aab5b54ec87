package dev.creditgate.postgresql.chaos;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import java.util.Optional;

/**
 * A store that tells the {@linkplain Call#current() current call} what happened to each of its
 * attempts: how many the gate ran, which failed with a store fault (and were tried again), which
 * lost a race, which found the key's record already (an earlier attempt's commit had landed though
 * its caller was not told: found by a later attempt, or by the gate's read of the record after a
 * lost reply), and which commits the wrapped store reported as landed.
 */
final class TrackedStore extends ForwardingWalletStore {

  TrackedStore(WalletStore delegate) {
    super(delegate);
  }

  @Override
  protected void committed(Commit commit) {
    Call call = Call.current();
    if (call != null) {
      call.landed++;
    }
  }

  /** After a lost commit reply the gate reads the key's record: finding it counts as a replay. */
  @Override
  public Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
    Optional<IdempotencyRecord> found = super.findRecord(account, key);
    Call call = Call.current();
    if (call != null && found.isPresent()) {
      call.replays++;
    }
    return found;
  }

  @Override
  public Optional<WalletTransaction> transaction() {
    return super.transaction().map(Counted::new);
  }

  /** The watched transaction of the wrapped store, its attempts counted. */
  private static final class Counted implements WalletTransaction {
    private final WalletTransaction inner;

    Counted(WalletTransaction inner) {
      this.inner = inner;
    }

    @Override
    public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
      Call call = Call.current();
      if (call == null) {
        return inner.attempt(account, key, mutation);
      }
      call.attempts++;
      try {
        Optional<R> result = inner.attempt(account, key, (stored, record) -> {
          if (record.isPresent()) {
            call.replays++;
          }
          return mutation.decide(stored, record);
        });
        if (result.isEmpty()) {
          call.lostRaces++;
        }
        return result;
      } catch (StoreException e) {
        call.faultedAttempts++;
        throw e;
      }
    }
  }
}
