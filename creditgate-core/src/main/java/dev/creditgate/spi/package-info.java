/**
 * The ports for store and event-sink authors. A store implements
 * {@link dev.creditgate.spi.WalletStore}: it loads a wallet with its version
 * ({@link dev.creditgate.spi.StoredWallet}) and commits a {@link dev.creditgate.spi.Commit} (the
 * wallet, its ledger entries and its {@link dev.creditgate.spi.IdempotencyRecord}s) atomically and
 * only if the version did not move; the conformance suite in creditgate-testkit checks the
 * contract. A sink implements {@link dev.creditgate.spi.EventSink} and is called after each commit.
 *
 * <p>A store reports a failure as a {@link dev.creditgate.spi.StoreException} (a
 * {@code CreditGateException}), after nothing was partially written, so the call may be retried
 * with the same idempotency key.
 */
package dev.creditgate.spi;
