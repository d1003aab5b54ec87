package dev.creditgate.postgresql;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.UnknownAccountException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.postgresql.JdbcWalletStore.Locking;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The store's {@link WalletTransaction}: one read-decide-write in one transaction, in either lock
 * mode, run once: the mutation decides at most once per attempt. A serialization failure or a
 * deadlock is reported as a lost race; a connection that broke while the change committed as a
 * {@link dev.creditgate.spi.CommitOutcomeUnknownException}; any other failure is thrown, typed by
 * {@link Failures}, for the gate to try again or not.
 */
final class JdbcWalletTransaction implements WalletTransaction {
  private final Locking locking;
  private final Statements sql;
  private final Transactions transactions;
  private final SchemaInstaller schema;
  private final Reads reads;
  private final CommitWriter writer;

  JdbcWalletTransaction(Locking locking, Statements sql, Transactions transactions, SchemaInstaller schema,
      Reads reads, CommitWriter writer) {
    this.locking = locking;
    this.sql = sql;
    this.transactions = transactions;
    this.schema = schema;
    this.reads = reads;
    this.writer = writer;
  }

  /** See {@link JdbcWalletStore#transaction()}. */
  @Override
  public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(key, "key");
    Failures.requireNonNull(mutation, "mutation");
    Storable.requireStorable(key.value(), "idempotency key");
    schema.ensureSchema();
    // Once: the decision runs in it, and a failure after the decision is the gate's to try again
    // (nothing was written; or, if the connection broke in the COMMIT, the outcome is unknown and
    // the gate reads the key's record to learn it). A serialization failure or deadlock wrote
    // nothing: like a moved version, a lost race.
    Attempt<R> result = transactions.inOneTransaction("changing wallet '" + account + "' (key '" + key + "')",
        account, tx -> attempt(tx, account, key, mutation, locking == Locking.WALLET_LOCK), Attempt.lost());
    return result.done ? Optional.of(result.result) : Optional.empty();
  }

  /** What an attempt came to: {@code done} unless its commit lost a race; the mutation's result. */
  private record Attempt<R>(boolean done, R result) {
    static <R> Attempt<R> lost() {
      return new Attempt<>(false, null);
    }
  }

  /**
   * One attempt on one connection: reads the wallet and the key's record in one statement (after
   * the wallet's lock, in a statement of its own in the same round trip, with
   * {@link Locking#WALLET_LOCK}), lets the mutation decide, and writes its commit conditionally on
   * the version read. Under the lock the attempt loses no race to another attempt under it;
   * without it the read takes no lock, and a lost race rolls back.
   */
  private <R> Attempt<R> attempt(Transaction tx, AccountId account, IdempotencyKey key, Mutation<R> mutation,
      boolean lock) throws SQLException {
    Connection c = tx.connection;
    StoredWallet stored;
    Optional<IdempotencyRecord> record;
    try (PreparedStatement ps = c.prepareStatement(lock ? sql.lockWithRecord : sql.loadWithRecord)) {
      int p = 1;
      if (lock) {
        ps.setString(p++, account.value());
      }
      ps.setString(p++, key.value());
      ps.setString(p, account.value());
      ps.execute();
      if (lock && !ps.getMoreResults()) {
        throw new SQLException("expected the rows of a query, got an update count or nothing", "XX000");
      }
      try (ResultSet rs = ps.getResultSet()) {
        if (!rs.next()) {
          throw new UnknownAccountException(account);
        }
        stored = reads.storedWallet(account, rs.getLong(1), rs.getString(2));
        record = record(rs, key);
      }
    }
    Mutation.Outcome<R> outcome = mutation.decide(stored, record);
    Commit commit = outcome.commit();
    if (commit == null) {
      return new Attempt<>(true, outcome.result());
    }
    requireSameAccount(account, commit);
    // A write that fails its version or finds a key stored meanwhile writes nothing: a lost race
    // (under the lock only if the mutation committed from another version or reused a stored key,
    // or a writer that takes no lock, an optimistic store or a hand-written UPDATE, came first).
    return new Attempt<>(writer.writeAndCommit(tx, commit), outcome.result());
  }

  /** The record in columns 3..6 of a row that joined the wallet with its key's record. */
  private static Optional<IdempotencyRecord> record(ResultSet rs, IdempotencyKey key) throws SQLException {
    String request = rs.getString(3);
    return request == null ? Optional.empty()
        : Optional.of(new IdempotencyRecord(key, request, rs.getString(4), Instants.read(rs, 5)));
  }

  private static void requireSameAccount(AccountId account, Commit commit) {
    if (!commit.account().equals(account)) {
      throw new InvalidRequestException("commit", commit.account().value(), "a mutation of '" + account
          + "' tried to commit to '" + commit.account() + "'; nothing was written");
    }
  }
}
