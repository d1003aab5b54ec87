package dev.creditgate.postgresql;

import dev.creditgate.spi.WalletStore;
import java.time.Duration;

/** The store port's contract, on PostgreSQL, with group commit on. */
class JdbcGroupCommitContractTest extends JdbcRowLockContractTest {
  @Override
  protected WalletStore store() {
    return TestDatabase.store(pool(), TestDatabase.SCHEMA).groupCommit(Duration.ZERO).build();
  }
}
