/**
 * {@link dev.creditgate.postgresql.JdbcWalletStore}, the {@code WalletStore} on PostgreSQL through
 * JDBC ({@code java.sql} only; the driver and the pool are the host's), shared by every service
 * instance on the same database.
 *
 * <p>Each attempt of its {@code WalletTransaction}, and each conditional commit, is one database
 * transaction: the wallet, its ledger entries, its idempotency records and its events (into the
 * outbox) commit together or not at all, and concurrent mutations of one wallet never lose an
 * update or apply a key twice. The store tries every call once; the gate retries within the
 * store's {@code RetryPolicy}. Failures are thrown as {@link dev.creditgate.spi.StoreException}s
 * that mean nothing was written, except a connection lost while a change committed:
 * {@link dev.creditgate.spi.CommitOutcomeUnknownException}.
 */
package dev.creditgate.postgresql;
