package dev.creditgate.postgresql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Borrows connections, runs work in a transaction or a read, and retries transient failures of
 * the work that runs no decision (reads, the conditional commit, the schema's set-up).
 */
final class Transactions {
  // The store's log, whichever class of it writes.
  private static final Logger log = LoggerFactory.getLogger(JdbcWalletStore.class);
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(2).toNanos();

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
  private final int maxAttempts;
  private final long backoffNanos;

  Transactions(DataSource dataSource, int maxAttempts, Duration backoff) {
    this.dataSource = dataSource;
    this.maxAttempts = maxAttempts;
    this.backoffNanos = backoff.toNanos();
  }

  /** A connection of the DataSource, for work that manages its own retries. */
  Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /**
   * Runs {@code work} in one transaction on a connection of its own, committing if it returns (and
   * did not end the transaction itself) and rolling back if it throws; a transient failure rolls
   * back and runs it again, within the budget. Only for work that runs no decision of the gate's.
   */
  <T> T inTransaction(String what, TransactionWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work);
      } catch (SQLException e) {
        if (!retryable(what, e, attempt)) {
          throw Failures.giveUp(what, e, attempt, JdbcWalletStore.SCHEMA_RESOURCE);
        }
      }
    }
  }

  /**
   * Runs {@code work} in one transaction on a connection of its own, as {@link #inTransaction}
   * does, but once, for work that runs the gate's decision, which the gate alone tries again. A
   * serialization failure or deadlock rolled the transaction back, so nothing was written: it
   * answers {@code lost}, as a race lost to another commit. Any other SQL failure rolls back and
   * is thrown as the store's typed failure.
   */
  <T> T inOneTransaction(String what, TransactionWork<T> work, T lost) {
    try {
      return once(work);
    } catch (SQLException e) {
      if (Failures.classify(e) == Failures.Kind.CONFLICT) {
        log.debug("{}: lost to a concurrent transaction (SQLState {}); nothing was written", what,
            e.getSQLState(), e);
        return lost;
      }
      throw Failures.giveUp(what, e, 1, JdbcWalletStore.SCHEMA_RESOURCE);
    }
  }

  private <T> T once(TransactionWork<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      Transaction tx = new Transaction(c);
      try {
        T result = work.run(tx);
        if (!tx.ended) {
          c.commit();
          tx.ended = true;
        }
        return result;
      } finally {
        if (!tx.ended) {
          rollbackQuietly(c);
        }
        // With the transaction ended, PostgreSQL's driver sends nothing here: it knows from the
        // server's last reply that no transaction is open.
        endQuietly(c, autoCommit);
      }
    }
  }

  /** Runs read-only {@code work} without starting a transaction of its own. */
  <T> T read(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
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
        if (!retryable(what, e, attempt)) {
          throw Failures.giveUp(what, e, attempt, JdbcWalletStore.SCHEMA_RESOURCE);
        }
      }
    }
  }

  /** Whether to try again after {@code e}; if so, waits first. */
  boolean retryable(String what, SQLException e, int attempt) {
    Failures.Kind kind = Failures.classify(e);
    if (!kind.transientFault || attempt >= maxAttempts) {
      return false;
    }
    log.debug("{}: transient failure ({}, SQLState {}), attempt {} of {}", what, kind, e.getSQLState(), attempt,
        maxAttempts, e);
    long cap = Math.min(MAX_BACKOFF_NANOS, backoffNanos << Math.min(attempt - 1, 20));
    sleep(what, cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    return true;
  }

  private static void sleep(String what, long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.interrupted(what, e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      log.debug("rollback failed; the connection is broken and the database rolls back on its own", e);
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
