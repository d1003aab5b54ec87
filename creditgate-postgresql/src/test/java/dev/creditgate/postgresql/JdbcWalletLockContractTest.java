package dev.creditgate.postgresql;

import dev.creditgate.spi.WalletStore;
import dev.creditgate.testkit.WalletStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The store port's contract, on PostgreSQL, with the default wallet lock. */
class JdbcWalletLockContractTest extends WalletStoreContract {
  private static TestPool pool;

  @BeforeAll
  static void startPool() {
    pool = TestDatabase.get().pool(10);
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @BeforeEach
  void emptyTables() {
    TestDatabase.get().truncate(TestDatabase.SCHEMA);
  }

  @AfterEach
  void everyConnectionWasHandedBack() {
    assertEquals(0, pool.borrowedCount(), "connections not handed back to the pool");
  }

  static TestPool pool() {
    return pool;
  }

  protected JdbcWalletStore.Locking locking() {
    return JdbcWalletStore.Locking.WALLET_LOCK;
  }

  @Override
  protected WalletStore store() {
    return TestDatabase.store(pool, TestDatabase.SCHEMA).locking(locking()).build();
  }
}
