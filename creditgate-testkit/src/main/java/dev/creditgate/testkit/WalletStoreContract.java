package dev.creditgate.testkit;

import dev.creditgate.spi.WalletStore;

/**
 * The {@link WalletStore} conformance suite: every behaviour the gate relies on, written once.
 * Every store passes it; a store's test subclasses it and hands over a fresh, empty store:
 *
 * <pre>{@code
 * class MyStoreTest extends WalletStoreContract {
 *   @Override
 *   protected WalletStore store() {
 *     return MyStore.connect(emptyTestDatabase());
 *   }
 * }
 * }</pre>
 *
 * <p>It runs every concern of the port, each documented with what a store must guarantee:
 * {@link CommitContract} (loading, the conditional commit, idempotency keys),
 * {@link StateContract} (wallet states kept verbatim), {@link LedgerContract} (order, ranges,
 * streaming), {@link HoldIndexContract} (the expired-hold search), {@link TransactionContract}
 * (mutations, through the gate and through the store's transaction if it offers one),
 * {@link OutboxContract} (events recorded with their change, delivered at least once and in order)
 * and {@link GateContract} (the gate's guarantees end to end). The suite uses only the public API: it
 * makes every change it commits with a real gate and never looks inside a wallet; conflicts are
 * produced for real (commits from one version, threads racing), never simulated. A test class may
 * also implement only some of the concern interfaces; see {@link StoreFixture}.
 */
public abstract class WalletStoreContract implements CommitContract, StateContract, LedgerContract,
    HoldIndexContract, TransactionContract, GateContract, OutboxContract {

  private WalletStore store;

  /**
   * A fresh store with no wallets, ledger entries or records. Called at most once per test, on
   * the test's thread, the first time the test uses the store (after {@code @BeforeEach} methods).
   *
   * @return the store the test runs against, empty at the time of the call
   */
  protected abstract WalletStore store();

  /**
   * The store {@link #store()} made for this test.
   *
   * @return the store made on this test's first call, the same one on every later call
   */
  @Override
  public final synchronized WalletStore storeUnderTest() {
    if (store == null) {
      store = store();
    }
    return store;
  }
}
