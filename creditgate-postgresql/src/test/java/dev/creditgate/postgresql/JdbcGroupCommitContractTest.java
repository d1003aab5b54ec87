package dev.creditgate.postgresql;

import dev.creditgate.spi.WalletStore;

/** The store port's contract, on PostgreSQL, with group commit on, every call through a batch. */
class JdbcGroupCommitContractTest extends JdbcWalletLockContractTest {
  @Override
  protected WalletStore store() {
    return Shape.GROUP_COMMIT.configure(TestDatabase.store(pool(), TestDatabase.SCHEMA)).build();
  }
}
