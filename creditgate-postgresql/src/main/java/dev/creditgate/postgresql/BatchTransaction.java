package dev.creditgate.postgresql;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.UnknownAccountException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.CommitOutcomeUnknownException;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.OutboxEvent;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of a {@link GroupCommit} in one database transaction of two round trips, as for one
 * call alone. The batch takes its wallets' locks in the order of their lock keys (so two batches,
 * from any instances, cannot deadlock, and a single attempt takes one), then reads the wallets and
 * every call's record (each through its primary key), and lets each call's mutation decide in
 * arrival order on its wallet as it stands: after the earlier calls of the batch on the same
 * wallet, whose records it sees. Each wallet is then written once, at its last state, with every
 * ledger entry, record and event of the batch in order, in one statement sent together with the
 * {@code COMMIT}. Each call is answered with its own decision; a call whose own input is bad (its
 * mutation throws, its text cannot be stored, its account has no wallet) fails alone and writes
 * nothing.
 *
 * <p>Failures: one that certainly wrote nothing reaches every call of the batch as what it is
 * (retry-safe, or a lost race after a serialization failure or deadlock); one the database
 * reports as not retry-safe, or a wallet's lock not had within
 * {@value GroupCommit#LOCK_TIMEOUT_MILLIS} ms, in a batch of more than one call, is answered as a
 * lost race and each of those calls goes alone on its next attempt, so that only a call whose own
 * data or wallet causes it meets it. A call's answer or failure decided on its batch's uncommitted
 * change of its wallet holds only if the batch commits; otherwise the call decides again. A
 * connection that breaks during the {@code COMMIT} makes every call that wrote a
 * {@link CommitOutcomeUnknownException} (the gate reads each key's record to learn the outcome),
 * and every call that only answered a lost race, since its answer may rest on the batch's commits.
 *
 * <p>Holds no state between batches but its count of batches split: safe for the batches that
 * commit at once.
 */
final class BatchTransaction {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  private final Statements sql;
  private final Transactions transactions;
  /** Hands back the wallet object this store last wrote for a row, when the row is still that. */
  private final Reads reads;
  /** Where the wallets a batch wrote are remembered, as the single call's writes are. */
  private final WalletCache cache;
  /** Marks a call of a batch that failed as a whole to go alone on its next attempt. */
  private final Consumer<BatchedCall<?>> goAlone;
  private final AtomicLong splits = new AtomicLong();

  BatchTransaction(Statements sql, Transactions transactions, Reads reads, WalletCache cache,
      Consumer<BatchedCall<?>> goAlone) {
    this.sql = sql;
    this.transactions = transactions;
    this.reads = reads;
    this.cache = cache;
    this.goAlone = goAlone;
  }

  /** How many batches failed as a whole so that each of their calls went alone next. */
  long splits() {
    return splits.get();
  }

  /**
   * Decides and writes {@code batch} in one transaction; answers every call of it, whatever
   * happens. {@code handOver} runs once the batch's decisions are made, before its write and
   * {@code COMMIT} are sent, so that the group commit may let the next batch decide meanwhile.
   */
  void write(List<BatchedCall<?>> batch, Runnable handOver) {
    Connection c = null;
    Transaction tx = null;
    try {
      c = transactions.connection();
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      tx = new Transaction(c);
      try {
        Map<String, Wallet> wallets = new HashMap<>();
        Map<BatchedCall.Key, IdempotencyRecord> records = new HashMap<>();
        lockAndRead(c, batch, wallets, records);
        for (BatchedCall<?> p : batch) {
          decide(p, wallets, records);
        }
        List<Wallet> changed = new ArrayList<>();
        for (Wallet w : wallets.values()) {
          if (!w.commits.isEmpty()) {
            changed.add(w);
          }
        }
        if (changed.isEmpty()) {
          // Only answers (denials, replays): a rollback, whose reply no one waits for, ends it.
          c.rollback();
          tx.ended = true;
        } else {
          handOver.run();
          Set<String> written = writeAndCommit(tx, changed);
          for (Wallet w : changed) {
            if (written.contains(w.account.value())) {
              cache.remember(w.account.value(), w.version, w.encoded, w.state);
            }
          }
          if (written.size() != changed.size()) {
            // Cannot happen between stores that take the wallets' locks; a writer that takes none
            // (an optimistic store on the same tables, a hand-written UPDATE) can make it, and so
            // could a trigger or a row security policy: a wallet that did not match wrote nothing,
            // and every call that decided on it after one of its batch's commits decides again.
            log.debug("a group commit wrote {} of the {} wallets it locked; the others' calls decide again",
                written.size(), changed.size());
            for (BatchedCall<?> p : batch) {
              if ((p.wrote || p.afterBatchCommit) && !written.contains(p.account.value())) {
                p.lost();
              }
            }
          }
        }
      } finally {
        if (!tx.ended) {
          try {
            c.rollback();
          } catch (SQLException | RuntimeException e) {
            log.debug("rollback failed; the connection is broken and the database rolls back on its own", e);
          }
        }
        Transactions.endQuietly(c, autoCommit);
      }
    } catch (SQLException e) {
      failed(batch, e, tx != null && tx.committing);
    } catch (RuntimeException | Error e) {
      // Not a call's own failure (each is caught where it decides): the driver's, or the pool's.
      failed(batch, e, tx != null && tx.committing);
    } finally {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException | RuntimeException e) {
          log.debug("could not hand the connection back; it is broken and the pool should drop it", e);
        }
      }
    }
  }

  /** A wallet of the batch: as locked, then after each commit of the batch's calls on it. */
  private static final class Wallet {
    final AccountId account;
    final long lockedVersion;
    long version;
    WalletState state;
    /** The text of {@link #state} once a commit of the batch changed it: what is written. */
    String encoded;
    final List<Commit> commits = new ArrayList<>(2);

    Wallet(AccountId account, long version, WalletState state) {
      this.account = account;
      this.lockedVersion = version;
      this.version = version;
      this.state = state;
    }
  }

  /**
   * Takes the locks of the batch's wallets, in the order of their keys; then, in statements that
   * start once the locks are held (in READ COMMITTED: as committed by then), reads the wallets and
   * the records of the batch's keys. One round trip.
   */
  private void lockAndRead(Connection c, List<BatchedCall<?>> batch, Map<String, Wallet> wallets,
      Map<BatchedCall.Key, IdempotencyRecord> records) throws SQLException {
    Map<String, AccountId> accounts = new LinkedHashMap<>();
    String[] callAccounts = new String[batch.size()];
    String[] keys = new String[batch.size()];
    for (int i = 0; i < keys.length; i++) {
      BatchedCall<?> p = batch.get(i);
      accounts.put(p.account.value(), p.account);
      callAccounts[i] = p.account.value();
      keys[i] = p.key.value();
    }
    try (PreparedStatement ps = c.prepareStatement(sql.lockAndReadRecords)) {
      java.sql.Array walletIds = c.createArrayOf("varchar", accounts.keySet().toArray(new String[0]));
      ps.setArray(1, walletIds);
      ps.setArray(2, walletIds);
      ps.setArray(3, c.createArrayOf("varchar", callAccounts));
      ps.setArray(4, c.createArrayOf("varchar", keys));
      ps.execute(); // the lock time-out's setting, the wallets' locks, then the wallets, then the records
      if (!ps.getMoreResults() || !ps.getMoreResults()) {
        throw new SQLException("the lock of a group commit's wallets returned no result");
      }
      try (ResultSet rs = ps.getResultSet()) {
        while (rs.next()) {
          String account = rs.getString(1);
          StoredWallet stored = reads.storedWallet(accounts.get(account), rs.getLong(2), rs.getString(3));
          wallets.put(account, new Wallet(accounts.get(account), stored.version(), stored.state()));
        }
      }
      if (!ps.getMoreResults()) {
        throw new SQLException("the read of a group commit's records returned no result");
      }
      try (ResultSet rs = ps.getResultSet()) {
        while (rs.next()) {
          IdempotencyKey key = IdempotencyKey.of(rs.getString(2));
          records.put(new BatchedCall.Key(AccountId.of(rs.getString(1)), key),
              new IdempotencyRecord(key, rs.getString(3), rs.getString(4), Instants.read(rs, 5)));
        }
      }
    }
  }

  /**
   * Lets {@code p}'s mutation decide on its wallet as the batch has it, and keeps its commit.
   * Whatever comes of this call alone (its mutation throws anything, or answers nothing; its
   * commit is another account's, or holds text PostgreSQL cannot store, or cannot be encoded) is
   * its own answer: the batch's other calls never see it.
   */
  private static void decide(BatchedCall<?> p, Map<String, Wallet> wallets, Map<BatchedCall.Key, IdempotencyRecord> records) {
    Wallet w = wallets.get(p.account.value());
    if (w == null) {
      p.failed(new UnknownAccountException(p.account));
      return;
    }
    // An answer, or a failure, decided on the batch's own uncommitted change of the wallet holds
    // only if the batch commits: if it does not, the call decides again.
    p.afterBatchCommit = !w.commits.isEmpty();
    BatchedCall.Key id = new BatchedCall.Key(p.account, p.key);
    Commit commit;
    String encoded;
    Object result;
    try {
      Mutation.Outcome<?> outcome = p.mutation.decide(new StoredWallet(w.state, w.version),
          Optional.ofNullable(records.get(id)));
      if (outcome == null) {
        throw new InvalidRequestException("outcome", null, "the mutation of '" + p.account + "' (key '" + p.key
            + "') answered no outcome; nothing was written");
      }
      commit = outcome.commit();
      result = outcome.result();
      if (commit == null) {
        p.answered(result, false);
        return;
      }
      if (!commit.account().equals(p.account)) {
        throw new InvalidRequestException("commit", commit.account().value(), "a mutation of '" + p.account
            + "' tried to commit to '" + commit.account() + "'; nothing was written");
      }
      if (commit.expectedVersion() != w.version) {
        p.lost();
        return;
      }
      for (IdempotencyRecord r : commit.records()) {
        if (records.containsKey(new BatchedCall.Key(p.account, r.key()))) {
          p.lost();
          return;
        }
      }
      encoded = commit.state().encoded();
      CommitWriter.requireStorable(commit, encoded);
    } catch (RuntimeException | Error e) {
      p.failed(e);
      return;
    }
    for (IdempotencyRecord r : commit.records()) {
      records.put(new BatchedCall.Key(p.account, r.key()), r);
    }
    w.commits.add(commit);
    w.version++;
    w.state = commit.state();
    w.encoded = encoded;
    p.answered(result, true);
  }

  /**
   * Writes every changed wallet at its last state, with the batch's entries, records and events,
   * and commits, in one round trip; answers the accounts whose wallets matched (all of them, under
   * the locks). From the moment the statement is sent, {@link Transaction#committing} is set.
   */
  private Set<String> writeAndCommit(Transaction tx, List<Wallet> changed) throws SQLException {
    Connection c = tx.connection;
    int n = changed.size();
    String[] account = new String[n];
    Long[] expected = new Long[n];
    Long[] version = new Long[n];
    String[] state = new String[n];
    String[] expiry = new String[n];
    Integer[] expiryNanos = new Integer[n];
    List<String> entryAccounts = new ArrayList<>();
    List<LedgerEntry> entries = new ArrayList<>();
    List<String> recordAccounts = new ArrayList<>();
    List<IdempotencyRecord> records = new ArrayList<>();
    List<String> eventAccounts = new ArrayList<>();
    List<OutboxEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Wallet w = changed.get(i);
      Commit last = w.commits.get(w.commits.size() - 1);
      account[i] = w.account.value();
      expected[i] = w.lockedVersion;
      version[i] = w.version;
      state[i] = w.encoded;
      Instant next = last.nextHoldExpiry().orElse(null);
      expiry[i] = next == null ? null : Instants.element(next);
      expiryNanos[i] = next == null ? 0 : Instants.nanosBelowMicros(next);
      for (Commit commit : w.commits) {
        for (LedgerEntry e : commit.entries()) {
          entryAccounts.add(account[i]);
          entries.add(e);
        }
        for (IdempotencyRecord r : commit.records()) {
          recordAccounts.add(account[i]);
          records.add(r);
        }
        for (OutboxEvent e : commit.events()) {
          eventAccounts.add(account[i]);
          events.add(e);
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(sql.batchWriteAndCommit)) {
      ps.setArray(1, c.createArrayOf("varchar", account));
      ps.setArray(2, c.createArrayOf("int8", expected));
      ps.setArray(3, c.createArrayOf("int8", version));
      ps.setArray(4, c.createArrayOf("text", state));
      ps.setArray(5, c.createArrayOf("timestamptz", expiry));
      ps.setArray(6, c.createArrayOf("int4", expiryNanos));
      ps.setArray(7, c.createArrayOf("varchar", entryAccounts.toArray(new String[0])));
      CommitWriter.bindEntries(c, ps, 8, entries);
      ps.setArray(15, c.createArrayOf("varchar", recordAccounts.toArray(new String[0])));
      CommitWriter.bindRecords(c, ps, 16, records);
      int m = events.size();
      Long[] sequence = new Long[m];
      String[] text = new String[m];
      for (int i = 0; i < m; i++) {
        sequence[i] = events.get(i).id().sequence();
        text[i] = events.get(i).encoded();
      }
      ps.setArray(21, c.createArrayOf("varchar", eventAccounts.toArray(new String[0])));
      ps.setArray(22, c.createArrayOf("int8", sequence));
      ps.setArray(23, c.createArrayOf("text", text));
      tx.committing = true;
      // Two statements, one round trip: PostgreSQL's driver sends both with a single Sync. A
      // failure of the write skips the COMMIT, and the transaction is rolled back.
      ps.execute();
      tx.ended = true;
      Set<String> written = new HashSet<>();
      try (ResultSet rs = ps.getResultSet()) {
        while (rs.next()) {
          written.add(rs.getString(1));
        }
      }
      return written;
    }
  }

  /**
   * Answers every call of a batch that failed on {@code e}, which is no call's own: a call's own
   * failure stands, unless it was decided on the batch's uncommitted change of its wallet; a call
   * that decided without writing decides again (its answer may rest on the batch's commits, and
   * its next attempt meets the failure itself if it lasts); the others get the batch's failure,
   * each its own instance of it.
   */
  private void failed(List<BatchedCall<?>> batch, Throwable e, boolean committing) {
    SQLException sql = e instanceof SQLException x ? x : null;
    Failures.Kind kind = sql != null ? Failures.classify(sql) : Failures.Kind.FAULT;
    boolean unknown = committing && (sql == null || Transactions.mayHaveCommitted(sql));
    if (kind == Failures.Kind.CONFLICT && !unknown) {
      log.debug("a group commit of {} calls lost to a concurrent transaction (SQLState {}); nothing was written",
          batch.size(), sql.getSQLState(), e);
    } else if (sql == null) {
      log.warn("a group commit of {} calls failed; each call is answered as if alone", batch.size(), e);
    }
    // A fault of the write may be one call's data, and a lock the batch could not get within its
    // time-out holds up every call behind one wallet: which call is not known, so each goes
    // alone next, where only the call whose data or wallet it is meets it.
    boolean split = !unknown && batch.size() > 1 && (sql == null || !kind.retrySafe
        || "55P03".equals(sql.getSQLState())) && kind != Failures.Kind.SCHEMA_MISSING
        && kind != Failures.Kind.SCHEMA_MISMATCH;
    if (split) {
      splits.incrementAndGet();
    }
    for (BatchedCall<?> p : batch) {
      if (p.isFailed() && !p.afterBatchCommit) {
        continue; // its own failure, decided on the wallet as committed: it stands
      }
      if (p.decided && !p.wrote) {
        p.lost(); // an answer, a lost race or a failure that may rest on the batch's commits
      } else if (unknown) {
        p.failed(new CommitOutcomeUnknownException(p.account, "changing wallet '" + p.account + "' (key '" + p.key
            + "') in a group commit: the connection failed while PostgreSQL committed, so the change may have been"
            + " applied (wholly: the wallet, its ledger entries, its events and its key's record) or not at all;"
            + " repeating the call with the same key is safe: it returns the first answer if the change landed, and"
            + " applies it once if not [" + (sql == null ? e.toString() : "SQLState " + Failures.sqlState(sql) + ": "
                + e.getMessage()) + "]", e));
      } else if (kind == Failures.Kind.CONFLICT) {
        p.lost();
      } else if (split) {
        goAlone.accept(p);
        p.lost();
      } else if (sql != null) {
        p.failed(Failures.giveUp("changing wallet '" + p.account + "' (key '" + p.key + "') in a group commit", sql,
            SchemaInstaller.MIGRATION_SCRIPTS));
      } else if (e instanceof VirtualMachineError vm) {
        p.failed(vm);
      } else {
        p.failed(new StoreException("changing wallet '" + p.account + "' (key '" + p.key + "') in a group commit"
            + " failed: " + e + "; nothing was written, retry the call with the same idempotency key", e));
      }
    }
  }
}
