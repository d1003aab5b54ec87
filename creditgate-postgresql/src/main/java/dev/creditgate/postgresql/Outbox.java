package dev.creditgate.postgresql;

import static dev.creditgate.postgresql.Storable.unstorable;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.EventId;
import dev.creditgate.spi.EventDelivery;
import dev.creditgate.spi.OutboxEvent;
import dev.creditgate.spi.StoreFaultException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's outbox: delivers an account's undelivered events under its advisory lock, walks
 * every account that has some, and prunes delivered events past the retention.
 */
final class Outbox {
  // The store's log, whichever class of it writes.
  private static final Logger log = LoggerFactory.getLogger(JdbcWalletStore.class);
  /** The most events read and handed to a delivery at once. */
  static final int BATCH = 100;
  /** The most accounts a relay run reads at once. */
  static final int ACCOUNTS_PER_PAGE = 100;

  private final Statements sql;
  private final Transactions transactions;
  private final SchemaInstaller schema;
  /** The retention, as PostgreSQL reads an interval (ISO 8601: {@code PT168H}). */
  private final String retention;
  private final int pruneBatch;
  private final int pruneBatches;

  /**
   * The outbox of the store's tables.
   *
   * @param pruneBatch the most delivered events one statement deletes
   * @param pruneBatches the most such statements a relay run sends
   */
  Outbox(Statements sql, Transactions transactions, SchemaInstaller schema, Duration retention, int pruneBatch,
      int pruneBatches) {
    this.sql = sql;
    this.transactions = transactions;
    this.schema = schema;
    this.retention = retention.toString();
    this.pruneBatch = pruneBatch;
    this.pruneBatches = pruneBatches;
  }

  /** See {@link JdbcWalletStore#deliverEvents(AccountId, EventDelivery, int)}. */
  int deliver(AccountId account, EventDelivery delivery, int limit) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(delivery, "delivery");
    Failures.requirePositive(limit, "limit");
    if (unstorable(account.value())) {
      return 0;
    }
    schema.ensureSchema();
    int delivered = 0;
    while (true) {
      int left = limit - delivered;
      // Changes no wallet: a lost reply to its COMMIT leaves events marked or not, and either way
      // they are delivered at least once. A serialization failure or deadlock marked nothing.
      Pass pass = transactions.inOneTransaction("delivering the events of '" + account + "'", null,
          tx -> deliver(tx, account, delivery, left), Pass.LOCKED);
      delivered += pass.delivered();
      // A call whose events were committed while this delivery held the lock found it taken and
      // left them to it, after they were committed: with the lock released, look once more.
      if (!pass.drained() || delivered >= limit || !undelivered(account)) {
        return delivered;
      }
    }
  }

  /** What one delivery transaction did: how many it marked, and whether it ran until none was left. */
  private record Pass(int delivered, boolean drained) {
    static final Pass LOCKED = new Pass(0, false);
  }

  /** Whether {@code account} has undelivered events. */
  private boolean undelivered(AccountId account) {
    return transactions.read("looking for undelivered events of '" + account + "'", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.hasUndeliveredEvents)) {
        ps.setString(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getBoolean(1);
        }
      }
    });
  }

  /**
   * One account's delivery in the open transaction {@code tx}: two round trips for a delivery of
   * up to {@link #BATCH} events (the lock with the first read; the marks with the {@code COMMIT}),
   * one more per further batch (the marks with the next read). The caller then looks once more,
   * lock released, for events committed while it was held.
   */
  private Pass deliver(Transaction tx, AccountId account, EventDelivery delivery, int limit) throws SQLException {
    Connection c = tx.connection;
    int delivered = 0;
    int asked = Math.min(BATCH, limit);
    List<OutboxEvent> batch;
    try (PreparedStatement ps = c.prepareStatement(sql.lockAndReadEvents)) {
      ps.setString(1, account.value());
      ps.setString(2, account.value());
      ps.setInt(3, asked);
      ps.execute();
      skipUpdateCount(ps); // SET TRANSACTION
      boolean locked;
      try (ResultSet rs = nextResultSet(ps)) {
        rs.next();
        locked = rs.getBoolean(1);
      }
      if (!locked) {
        log.debug("the events of '{}' are being delivered elsewhere; leaving them to that delivery", account);
        return Pass.LOCKED;
      }
      batch = events(nextResultSet(ps), account);
    }
    while (!batch.isEmpty()) {
      int taken = delivery.deliver(List.copyOf(batch));
      if (taken < 0 || taken > batch.size()) {
        throw new InvalidRequestException("delivered", Integer.toString(taken), "a delivery of " + batch.size()
            + " events of '" + account + "' reported " + taken + " delivered");
      }
      if (taken == 0) {
        return new Pass(delivered, false);
      }
      delivered += taken;
      int next = Math.min(BATCH, limit - delivered);
      boolean last = taken < batch.size() || next == 0 || batch.size() < asked;
      Long[] marked = new Long[taken];
      for (int i = 0; i < taken; i++) {
        marked[i] = batch.get(i).id().sequence();
      }
      try (PreparedStatement ps = c.prepareStatement(last ? sql.markAndCommit : sql.markAndReadEvents)) {
        ps.setString(1, account.value());
        ps.setArray(2, c.createArrayOf("int8", marked));
        if (last) {
          ps.execute();
          tx.ended = true;
          // Ran dry only if the delivery took the whole short batch.
          return new Pass(delivered, taken == batch.size() && batch.size() < asked);
        }
        ps.setString(3, account.value());
        ps.setInt(4, next);
        ps.execute();
        skipUpdateCount(ps); // UPDATE
        batch = events(nextResultSet(ps), account);
        asked = next;
      }
    }
    return new Pass(delivered, true);
  }

  /** The events of {@code rs}'s rows (sequence, event), closing it. */
  private static List<OutboxEvent> events(ResultSet rs, AccountId account) throws SQLException {
    try (rs) {
      List<OutboxEvent> events = new ArrayList<>();
      while (rs.next()) {
        long sequence = rs.getLong(1);
        if (sequence < 1) {
          throw Failures.corruptRow("an event of '" + account.value() + "' holds sequence " + sequence
              + ", below 1: the store never writes it");
        }
        events.add(OutboxEvent.ofEncoded(new EventId(account, sequence), rs.getString(2)));
      }
      return events;
    }
  }

  private static void skipUpdateCount(Statement s) throws SQLException {
    if (s.getResultSet() != null || s.getUpdateCount() < 0) {
      throw new SQLException("expected the update count of a statement, got a result set or nothing", "XX000");
    }
  }

  private static ResultSet nextResultSet(Statement s) throws SQLException {
    if (!s.getMoreResults()) {
      throw new SQLException("expected the rows of a query, got an update count or nothing", "XX000");
    }
    return s.getResultSet();
  }

  /**
   * See {@link JdbcWalletStore#deliverEvents(EventDelivery, int)}: prunes first, then delivers the
   * accounts with undelivered events a page at a time, oldest first, each in its own transaction.
   */
  int deliverAll(EventDelivery delivery, int limit) {
    Failures.requireNonNull(delivery, "delivery");
    Failures.requirePositive(limit, "limit");
    schema.ensureSchema();
    prune();
    int delivered = 0;
    // The page's position: the time of the first waiting event and the account of the last
    // account visited, so that an account whose delivery stopped is not visited twice in a run.
    String afterTime = "-infinity";
    String afterAccount = "";
    while (delivered < limit) {
      List<String[]> page = pendingAccounts(afterTime, afterAccount);
      for (String[] pending : page) {
        AccountId account = AccountId.of(pending[0]);
        try {
          delivered += deliver(account, delivery, limit - delivered);
        } catch (StoreFaultException e) {
          // A row of this account holds what the store never writes (changed by hand): its events
          // wait, as an event the gate cannot decode holds up only its own account, and the run
          // goes on with the next account. Any other fault ends the run.
          if (!Failures.isCorruptRow(e)) {
            throw e;
          }
          log.warn("the events of '{}' wait: a row of them holds what the store never writes; the relay goes on",
              account.value(), e);
        }
        afterAccount = pending[0];
        afterTime = pending[1];
        if (delivered >= limit) {
          break;
        }
      }
      if (page.size() < ACCOUNTS_PER_PAGE) {
        break;
      }
    }
    return delivered;
  }

  /** Up to a page of accounts with undelivered events, after the position given, oldest first. */
  private List<String[]> pendingAccounts(String afterTime, String afterAccount) {
    return transactions.read("finding wallets with undelivered events", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.pendingAccounts)) {
        ps.setString(1, afterTime);
        ps.setString(2, afterAccount);
        ps.setInt(3, ACCOUNTS_PER_PAGE);
        List<String[]> page = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            page.add(new String[] {rs.getString(1), rs.getString(2)});
          }
        }
        return page;
      }
    });
  }

  /** Deletes delivered events past the retention: at most {@code pruneBatches} batches a run. */
  int prune() {
    int pruned = 0;
    for (int i = 0; i < pruneBatches; i++) {
      int deleted = transactions.inTransaction("pruning delivered events", tx -> {
        try (PreparedStatement ps = tx.connection.prepareStatement(sql.pruneDelivered)) {
          ps.setString(1, retention);
          ps.setInt(2, pruneBatch);
          return ps.executeUpdate();
        }
      });
      pruned += deleted;
      if (deleted < pruneBatch) {
        break;
      }
    }
    if (pruned > 0) {
      log.debug("pruned {} delivered events older than {}", pruned, retention);
    }
    return pruned;
  }
}
