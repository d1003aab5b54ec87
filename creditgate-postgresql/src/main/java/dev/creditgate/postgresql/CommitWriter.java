package dev.creditgate.postgresql;

import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.OutboxEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes a commit as the last statement of an open transaction, sent together with its COMMIT. */
final class CommitWriter {
  private final Statements sql;
  private final WalletCache cache;

  CommitWriter(Statements sql, WalletCache cache) {
    this.sql = sql;
    this.cache = cache;
  }

  /**
   * Writes {@code commit} as the last statement of the open transaction {@code tx} and commits it,
   * in one round trip: the write (the wallet row first, which takes its lock, then, only if that
   * matched, the ledger entries, the records and the events, into the outbox) and a {@code COMMIT}
   * go to the server together. The write is all or nothing by itself, so the {@code COMMIT} can only commit all of it or
   * nothing: a version that moved matches no row and writes nothing at all, and a key that is
   * already stored fails the whole statement with a unique violation, after which the server skips
   * the {@code COMMIT} and the transaction is rolled back. Returns {@code false}, with nothing
   * written, in both cases; either way the transaction has ended when it returns. From the moment
   * the statement is sent, {@link Transaction#committing} is set: a connection that breaks then
   * may have lost the reply to a commit that landed. A wallet written is remembered (its object,
   * with the text and version it was written as) for the reads that find its row unchanged.
   */
  boolean writeAndCommit(Transaction tx, Commit commit) throws SQLException {
    Connection c = tx.connection;
    String state = commit.state().encoded();
    requireStorable(commit, state);
    Instant nextExpiry = commit.nextHoldExpiry().orElse(null);
    String account = commit.account().value();
    boolean events = !commit.events().isEmpty();
    boolean oneEntry = commit.expectedVersion() != 0 && !events && commit.entries().size() == 1
        && commit.records().size() == 1;
    String statement = commit.expectedVersion() == 0
        ? (events ? sql.insertWalletWithEventsAndCommit : sql.insertWalletAndCommit)
        : oneEntry ? sql.updateWalletWithOneEntryAndCommit
            : (events ? sql.updateWalletWithEventsAndCommit : sql.updateWalletAndCommit);
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      int next;
      if (commit.expectedVersion() == 0) {
        ps.setString(1, account);
        ps.setString(2, state);
        Instants.bindNullable(ps, 3, nextExpiry);
        next = 5;
      } else {
        ps.setLong(1, Math.addExact(commit.expectedVersion(), 1));
        ps.setString(2, state);
        Instants.bindNullable(ps, 3, nextExpiry);
        ps.setString(5, account);
        ps.setLong(6, commit.expectedVersion());
        next = 7;
      }
      if (oneEntry) {
        bindEntry(ps, next, commit.entries().get(0));
        bindRecord(ps, next + 7, commit.records().get(0));
      } else {
        bindEntries(c, ps, next, commit.entries());
        bindRecords(c, ps, next + 7, commit.records());
      }
      if (events) {
        bindEvents(c, ps, next + 12, commit.events());
      }
      tx.committing = true;
      try {
        // Two statements, one round trip: PostgreSQL's driver sends both with a single Sync.
        ps.execute();
      } catch (SQLException e) {
        if (!Failures.isStoredKey(e)) {
          throw e;
        }
        // A key of the commit is stored already: the write failed as a whole and the COMMIT was
        // skipped. Like a moved version, that means a lost race: the gate decides again.
        tx.committing = false;
        c.rollback();
        tx.ended = true;
        return false;
      }
      tx.ended = true;
      boolean written;
      try (ResultSet rs = ps.getResultSet()) {
        rs.next();
        written = rs.getLong(1) == 1;
      }
      if (written) {
        cache.remember(account, commit.expectedVersion() + 1, state, commit.state());
      }
      return written;
    }
  }

  /** Whether PostgreSQL can store every text of {@code commit}: the check, without a message. */
  private static boolean storable(Commit commit, String state) {
    boolean unstorable = Storable.unstorable(state);
    for (LedgerEntry e : commit.entries()) {
      unstorable |= Storable.unstorable(e.grant()) || Storable.unstorable(e.operation())
          || Storable.unstorable(e.key());
    }
    for (IdempotencyRecord r : commit.records()) {
      unstorable |= Storable.unstorable(r.key().value()) || Storable.unstorable(r.request())
          || Storable.unstorable(r.result());
    }
    for (OutboxEvent e : commit.events()) {
      unstorable |= Storable.unstorable(e.encoded());
    }
    return !unstorable;
  }

  /** Binds one entry, column by column, to 7 parameters from {@code index}. */
  private static void bindEntry(PreparedStatement ps, int index, LedgerEntry e) throws SQLException {
    Instants.bindText(ps, index, e.at());
    ps.setString(index + 2, e.kind().name());
    ps.setString(index + 3, e.grant());
    ps.setLong(index + 4, e.amount().thousandths());
    ps.setString(index + 5, e.operation());
    ps.setString(index + 6, e.key());
  }

  /** Binds one record, column by column, to 5 parameters from {@code index}. */
  private static void bindRecord(PreparedStatement ps, int index, IdempotencyRecord r) throws SQLException {
    ps.setString(index, r.key().value());
    ps.setString(index + 1, r.request());
    ps.setString(index + 2, r.result());
    Instants.bindText(ps, index + 3, r.at());
  }

  /** Binds the entries, as one array per column in commit order, to 7 parameters from {@code index}. */
  static void bindEntries(Connection c, PreparedStatement ps, int index, List<LedgerEntry> entries)
      throws SQLException {
    int n = entries.size();
    List<Instant> at = new ArrayList<>(n);
    String[] kind = new String[n];
    String[] grant = new String[n];
    Long[] amount = new Long[n];
    String[] operation = new String[n];
    String[] key = new String[n];
    for (int i = 0; i < n; i++) {
      LedgerEntry e = entries.get(i);
      at.add(e.at());
      kind[i] = e.kind().name();
      grant[i] = e.grant();
      amount[i] = e.amount().thousandths();
      operation[i] = e.operation();
      key[i] = e.key();
    }
    Instants.bindArrays(c, ps, index, at);
    ps.setArray(index + 2, c.createArrayOf("text", kind));
    ps.setArray(index + 3, c.createArrayOf("text", grant));
    ps.setArray(index + 4, c.createArrayOf("int8", amount));
    ps.setArray(index + 5, c.createArrayOf("text", operation));
    ps.setArray(index + 6, c.createArrayOf("text", key));
  }

  /** Binds the records, as one array per column, to 5 parameters from {@code index}. */
  static void bindRecords(Connection c, PreparedStatement ps, int index, List<IdempotencyRecord> records)
      throws SQLException {
    int n = records.size();
    String[] key = new String[n];
    String[] request = new String[n];
    String[] result = new String[n];
    List<Instant> at = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      IdempotencyRecord r = records.get(i);
      key[i] = r.key().value();
      request[i] = r.request();
      result[i] = r.result();
      at.add(r.at());
    }
    ps.setArray(index, c.createArrayOf("text", key));
    ps.setArray(index + 1, c.createArrayOf("text", request));
    ps.setArray(index + 2, c.createArrayOf("text", result));
    Instants.bindArrays(c, ps, index + 3, at);
  }

  /** Binds the events, as one array per column in sequence order, to 2 parameters from {@code index}. */
  private static void bindEvents(Connection c, PreparedStatement ps, int index, List<OutboxEvent> events)
      throws SQLException {
    int n = events.size();
    Long[] sequence = new Long[n];
    String[] text = new String[n];
    for (int i = 0; i < n; i++) {
      OutboxEvent e = events.get(i);
      sequence[i] = e.id().sequence();
      text[i] = e.encoded();
    }
    ps.setArray(index, c.createArrayOf("int8", sequence));
    ps.setArray(index + 1, c.createArrayOf("text", text));
  }

  /**
   * PostgreSQL's text cannot hold U+0000: refuse such a commit before writing anything. A group
   * commit checks the wallet's text apart, once, and passes an empty {@code state}.
   */
  static void requireStorable(Commit commit, String state) {
    if (storable(commit, state)) {
      return;
    }
    List<String> texts = new ArrayList<>(List.of(state));
    for (LedgerEntry e : commit.entries()) {
      texts.addAll(List.of(e.grant(), e.operation(), e.key()));
    }
    for (IdempotencyRecord r : commit.records()) {
      texts.addAll(List.of(r.key().value(), r.request(), r.result()));
    }
    for (OutboxEvent e : commit.events()) {
      texts.add(e.encoded());
    }
    for (String text : texts) {
      Storable.requireStorable(text, "text in a commit to '" + commit.account() + "'");
    }
  }
}
