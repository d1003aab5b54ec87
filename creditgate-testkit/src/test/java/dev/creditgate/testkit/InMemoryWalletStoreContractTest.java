package dev.creditgate.testkit;

import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;

class InMemoryWalletStoreContractTest extends WalletStoreContract {
  @Override
  protected WalletStore store() {
    return InMemoryWalletStore.create();
  }
}
