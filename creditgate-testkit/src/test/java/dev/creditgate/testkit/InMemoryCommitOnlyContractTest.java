package dev.creditgate.testkit;

import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.util.Optional;

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

  private static final class CommitOnly extends ForwardingWalletStore {
    CommitOnly(WalletStore inner) {
      super(inner);
    }

    @Override
    public Optional<WalletTransaction> transaction() {
      return Optional.empty();
    }
  }
}
