package dev.creditgate.postgresql;

import dev.creditgate.model.AccountId;
import dev.creditgate.spi.CommitOutcomeUnknownException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Borrows connections and runs work in a transaction or a read, once: the gate owns every retry
 * (its {@link dev.creditgate.spi.RetryPolicy}), so the store has no retry loop of its own. Every
 * failure leaves as the store's typed {@link dev.creditgate.spi.StoreException}, and a failure in
 * the commit of a wallet's change that may have come after the server committed as a
 * {@link CommitOutcomeUnknownException}, never as one that says nothing was written.
 */
final class Transactions {
  // The store's log, whichever class of it writes.
  private static final Logger log = LoggerFactory.getLogger(JdbcWalletStore.class);

  /** Work on a borrowed connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Work in a transaction on a borrowed connection. */
  @FunctionalInterface
  interface TransactionWork<T> {
    T run(Transaction tx) throws SQLException;
  }

  private final DataSource dataSource;

  Transactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A connection of the DataSource, for work that manages the connection itself. */
  Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /**
   * Runs {@code work} once in one transaction on a connection of its own, committing if it returns
   * (and did not end the transaction itself) and rolling back if it throws. Every SQL failure,
   * a serialization failure or deadlock included, is thrown as the store's typed failure.
   */
  <T> T inTransaction(String what, TransactionWork<T> work) {
    try {
      return once(what, null, work);
    } catch (SQLException e) {
      throw Failures.giveUp(what, e, SchemaInstaller.MIGRATION_SCRIPTS);
    }
  }

  /**
   * Runs {@code work} once in one transaction, as {@link #inTransaction} does, for work whose
   * conflicts mean a lost race: a serialization failure or deadlock rolled the transaction back, so
   * nothing was written, and it answers {@code lost}. If the work may change {@code changing}'s
   * wallet, a failure of the statement that commits the change (see {@link Transaction#committing})
   * that may have come after the server committed (the connection broke, or the driver has no
   * SQLState for it) is thrown as a {@link CommitOutcomeUnknownException}; any other failure as the
   * store's typed failure, with nothing written.
   *
   * @param changing the account whose wallet the work may change, or null for work that changes no
   *     wallet (a failed commit of it is harmless to repeat)
   */
  <T> T inOneTransaction(String what, @Nullable AccountId changing, TransactionWork<T> work, T lost) {
    try {
      return once(what, changing, work);
    } catch (SQLException e) {
      if (Failures.classify(e) == Failures.Kind.CONFLICT) {
        log.debug("{}: lost to a concurrent transaction (SQLState {}); nothing was written", what,
            e.getSQLState(), e);
        return lost;
      }
      throw Failures.giveUp(what, e, SchemaInstaller.MIGRATION_SCRIPTS);
    }
  }

  private <T> T once(String what, @Nullable AccountId changing, TransactionWork<T> work) throws SQLException {
    Connection c = dataSource.getConnection();
    T result;
    try {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      Transaction tx = new Transaction(c);
      try {
        result = work.run(tx);
        if (!tx.ended && changing != null) {
          // Work on a wallet that did not end the transaction wrote nothing (a replay, a denial):
          // its answer stands, and a rollback, whose reply no one waits for, releases its lock.
          rollbackQuietly(c);
          tx.ended = true;
        } else if (!tx.ended) {
          c.commit();
          tx.ended = true;
        }
      } catch (SQLException e) {
        if (changing != null && tx.committing && mayHaveCommitted(e)) {
          throw outcomeUnknown(what, changing, e);
        }
        throw e;
      } finally {
        if (!tx.ended) {
          rollbackQuietly(c);
        }
        // With the transaction ended, PostgreSQL's driver sends nothing here: it knows from the
        // server's last reply that no transaction is open.
        endQuietly(c, autoCommit);
      }
    } catch (SQLException | RuntimeException | Error e) {
      closeQuietly(c);
      throw e;
    }
    // Once the work committed, a failure to hand the connection back must not report it failed.
    closeQuietly(c);
    return result;
  }

  /**
   * Whether a failure of the statement that commits may have come after the server committed: the
   * connection broke or timed out (the reply to the {@code COMMIT} may be what was lost), the server
   * says it cannot tell (40003), or the failure carries no SQLState, so no server answered it. A failure the server reported with an
   * SQLState of its own (a unique violation, a serialization failure) means it did not commit.
   */
  static boolean mayHaveCommitted(SQLException e) {
    String state = Failures.sqlState(e);
    return state == null || "40003".equals(state) || Failures.classify(e) == Failures.Kind.UNAVAILABLE;
  }

  private static CommitOutcomeUnknownException outcomeUnknown(String what, AccountId account, SQLException e) {
    return new CommitOutcomeUnknownException(account, what + ": the connection failed while PostgreSQL committed,"
        + " so the change may have been applied (wholly: the wallet, its ledger entries, its events and its key's"
        + " record) or not at all; repeating the call with the same key is safe: it returns the first answer if the"
        + " change landed, and applies it once if not [SQLState " + Failures.sqlState(e) + ": " + e.getMessage() + "]",
        e);
  }

  /** Runs read-only {@code work} once, without starting a transaction of its own. */
  <T> T read(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      try {
        return work.run(c);
      } finally {
        if (!c.getAutoCommit()) {
          // The pool hands out connections in manual-commit mode: end the read's transaction.
          rollbackQuietly(c);
        }
      }
    } catch (SQLException e) {
      throw Failures.giveUp(what, e, SchemaInstaller.MIGRATION_SCRIPTS);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      log.debug("rollback failed; the connection is broken and the database rolls back on its own", e);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      log.debug("could not hand the connection back; it is broken and the pool should drop it", e);
    }
  }

  /** Ends any open transaction and gives the connection back in its original auto-commit mode. */
  static void endQuietly(Connection c, boolean autoCommit) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      c.setAutoCommit(autoCommit);
    } catch (SQLException | RuntimeException e) {
      log.debug("could not reset the connection; it is broken and the pool should drop it", e);
    }
  }
}
