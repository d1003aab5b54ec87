package dev.creditgate.postgresql;

/** {@link SingleAccountStatementsTest} with optimistic locking's statements. */
class SingleAccountStatementsOptimisticTest extends SingleAccountStatementsTest {
  @Override
  protected JdbcWalletStore.Locking locking() {
    return JdbcWalletStore.Locking.OPTIMISTIC;
  }
}
