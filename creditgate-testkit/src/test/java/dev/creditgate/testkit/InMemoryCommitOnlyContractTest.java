package dev.creditgate.testkit;

import java.util.function.BiFunction;

import java.util.stream.Stream;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The contract on the other shape of store: the in-memory store seen only through its conditional
 * commit (no transaction), so the gate loads, decides and commits optimistically, and loses and
 * decides again under contention.
 */
class InMemoryCommitOnlyContractTest extends WalletStoreContract {
  @Override
  protected WalletStore store() {
    return new CommitOnly(InMemoryWalletStore.create());
  }

  private record CommitOnly(WalletStore inner) implements WalletStore {
    @Override
    public int deliverEvents(AccountId account, dev.creditgate.spi.EventDelivery delivery, int limit) {
      return inner.deliverEvents(account, delivery, limit);
    }

    @Override
    public int deliverEvents(dev.creditgate.spi.EventDelivery delivery, int limit) {
      return inner.deliverEvents(delivery, limit);
    }

    @Override
    public Optional<StoredWallet> load(AccountId account) {
      return inner.load(account);
    }

    @Override
    public Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
      return inner.findRecord(account, key);
    }

    @Override
    public boolean commit(Commit commit) {
      return inner.commit(commit);
    }

    @Override
    public Stream<LedgerEntry> readLedger(AccountId account, Instant from, Instant to) {
      return inner.readLedger(account, from, to);
    }

    @Override
    public <R> Optional<R> snapshot(AccountId account, BiFunction<StoredWallet, Stream<LedgerEntry>, R> reader) {
      return inner.snapshot(account, reader);
    }

    @Override
    public Optional<WalletTransaction> transaction() {
      return Optional.empty();
    }

    @Override
    public List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit) {
      return inner.accountsWithHoldsExpiredBy(at, limit);
    }
  }
}
