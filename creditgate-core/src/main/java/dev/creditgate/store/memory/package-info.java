/**
 * {@link dev.creditgate.store.memory.InMemoryWalletStore}, the store a gate uses when given none:
 * thread-safe, wallets, ledgers and idempotency records in this JVM's heap, for tests, demos and
 * single-process hosts. It meets the whole {@code WalletStore} contract; its state does not survive
 * a restart.
 */
package dev.creditgate.store.memory;
