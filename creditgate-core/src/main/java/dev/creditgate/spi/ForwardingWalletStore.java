package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * A {@link WalletStore} that hands every call to another store: the base of a decorator (an audit
 * trail, metrics, a cache of reads). Override what the decorator changes; to watch writes, override
 * {@link #committed(Commit)}, which is called for every commit that landed, whichever of the two
 * write shapes carried it (the conditional {@link #commit}, or an attempt of the wrapped store's
 * {@link WalletTransaction}). A decorator built on this class cannot miss a write by forwarding
 * one shape and watching the other. One gap remains: a commit that landed although the wrapped
 * store then failed (a lost reply to its {@code COMMIT}) is not reported, since the decorator
 * cannot know it landed; a decorator that must see every change reads the store's outbox or
 * ledger instead. Thread-safe if the wrapped store is and the overrides are.
 */
public abstract class ForwardingWalletStore implements WalletStore {
  private final WalletStore delegate;

  /**
   * A store that forwards to {@code delegate}.
   *
   * @param delegate the store that keeps the wallets
   * @throws InvalidRequestException if {@code delegate} is null
   */
  protected ForwardingWalletStore(WalletStore delegate) {
    if (delegate == null) {
      throw new InvalidRequestException("delegate", null, "delegate must not be null");
    }
    this.delegate = delegate;
  }

  /**
   * The wrapped store.
   *
   * @return the store every call is handed to
   */
  protected final WalletStore delegate() {
    return delegate;
  }

  /**
   * Called once for each commit that landed, on the thread that committed it, after the wrapped
   * store reported it. Does nothing by default. An exception thrown here reaches the gate's caller
   * although the commit stands; keep it quick and let it not fail.
   *
   * @param commit the change that is now stored
   */
  protected void committed(Commit commit) {
  }

  @Override
  public Optional<StoredWallet> load(AccountId account) {
    return delegate.load(account);
  }

  @Override
  public Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
    return delegate.findRecord(account, key);
  }

  @Override
  public boolean commit(Commit commit) {
    boolean landed = delegate.commit(commit);
    if (landed) {
      committed(commit);
    }
    return landed;
  }

  @Override
  public Stream<LedgerEntry> readLedger(AccountId account, Instant from, Instant to) {
    return delegate.readLedger(account, from, to);
  }

  @Override
  public <R> Optional<R> snapshot(AccountId account, BiFunction<StoredWallet, Stream<LedgerEntry>, R> reader) {
    return delegate.snapshot(account, reader);
  }

  @Override
  public List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit) {
    return delegate.accountsWithHoldsExpiredBy(at, limit);
  }

  @Override
  public int deliverEvents(AccountId account, EventDelivery delivery, int limit) {
    return delegate.deliverEvents(account, delivery, limit);
  }

  @Override
  public int deliverEvents(EventDelivery delivery, int limit) {
    return delegate.deliverEvents(delivery, limit);
  }

  @Override
  public RetryPolicy retryPolicy() {
    return delegate.retryPolicy();
  }

  /**
   * The wrapped store's transaction, if it has one, wrapped so that each attempt whose commit
   * landed is reported to {@link #committed(Commit)}.
   *
   * @return the wrapped transaction, watched; empty if the wrapped store has none
   */
  @Override
  public Optional<WalletTransaction> transaction() {
    return delegate.transaction().map(Watched::new);
  }

  /** An attempt of the wrapped transaction, watched for the commit it decided. */
  private final class Watched implements WalletTransaction {
    private final WalletTransaction inner;

    Watched(WalletTransaction inner) {
      this.inner = inner;
    }

    @Override
    public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
      Commit[] decided = new Commit[1];
      Optional<R> result = inner.attempt(account, key, (stored, record) -> {
        Mutation.Outcome<R> outcome = mutation.decide(stored, record);
        decided[0] = outcome.commit();
        return outcome;
      });
      // A present result: the attempt's commit, if it decided one, landed.
      if (result.isPresent() && decided[0] != null) {
        committed(decided[0]);
      }
      return result;
    }
  }
}
