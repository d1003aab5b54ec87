package dev.creditgate.testkit;

import dev.creditgate.spi.WalletStore;

/**
 * What every part of the conformance suite runs against: the {@link WalletStore} under test.
 *
 * <p>Most store authors extend {@link WalletStoreContract}, which runs every part and implements
 * this by calling their {@code store()} once per test. A test class may also implement one or more
 * of the concern interfaces ({@link CommitContract}, {@link StateContract}, {@link LedgerContract},
 * {@link HoldIndexContract}, {@link TransactionContract}, {@link OutboxContract}, {@link GateContract}) directly, and then
 * implements {@link #storeUnderTest()} itself, following its rules.
 *
 * <p>The suite makes every change it commits with a real gate (on a scratch in-memory store), so
 * it never needs to see inside a wallet, and produces every conflict for real: commits from one
 * version, threads racing on one wallet. Its tests use accounts of their own, open wallets at a
 * fixed instant with nanoseconds, and run up to eight threads at once; a store for these tests
 * needs about ten connections (or their equivalent).
 */
public interface StoreFixture {

  /**
   * The store under test: empty when a test starts (no wallet, no ledger entry, no record), and
   * the same store for every call within one test, from any thread. JUnit makes a new test
   * instance for each test, so a field set on the first call is enough.
   *
   * @return the store this test runs against
   */
  WalletStore storeUnderTest();
}
