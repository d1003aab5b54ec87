package dev.creditgate.postgresql;

/** The store port's contract, on PostgreSQL, with optimistic versioning. */
class JdbcOptimisticContractTest extends JdbcWalletLockContractTest {
  @Override
  protected JdbcWalletStore.Locking locking() {
    return JdbcWalletStore.Locking.OPTIMISTIC;
  }
}
