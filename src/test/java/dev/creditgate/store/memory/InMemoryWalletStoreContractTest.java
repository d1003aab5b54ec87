package dev.creditgate.store.memory;

import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletStoreContract;

class InMemoryWalletStoreContractTest extends WalletStoreContract {
  @Override
  protected WalletStore store() {
    return InMemoryWalletStore.create();
  }
}
