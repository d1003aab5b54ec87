/**
 * {@link dev.creditgate.postgresql.JdbcWalletStore}, the {@code WalletStore} on PostgreSQL through
 * JDBC ({@code java.sql} only; the driver and the pool are the host's), shared by every service
 * instance on the same database.
 *
 * <p>Each attempt of its {@code WalletTransaction}, and each conditional commit, is one database
 * transaction: the wallet, its ledger entries and its idempotency records commit together or not
 * at all, and concurrent mutations of one wallet never lose an update or apply a key twice.
 * Failures it gives up on are thrown as {@link dev.creditgate.spi.StoreException}s, with nothing
 * partially written.
 */
package dev.creditgate.postgresql;
