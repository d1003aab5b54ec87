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
import dev.creditgate.spi.WalletTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's {@link WalletTransaction} under group commit: the attempts that the threads of this
 * instance make at the same time are gathered into one database transaction and one commit.
 *
 * <p>The first caller to find no batch being gathered or decided leads: it waits up to the window
 * for more calls (never once the batch is full), takes the queue, and writes it (a batch of one
 * call as the single call's transaction, {@link JdbcWalletTransaction}); the callers that queued
 * meanwhile wait for their answers. Once a batch is decided and its write and {@code COMMIT} are
 * on their way, the next batch gathers, locks and decides, while up to {@value #MAX_COMMITTING}
 * batches commit: a batch that shares a wallet with one still committing waits for that batch, and
 * decides on it as committed. A batch takes its wallets' locks in the order of their lock keys (so
 * two batches, from any instances, cannot deadlock, and a single attempt takes one), then reads
 * the wallets and every call's record (each through its primary key), and lets each call's mutation
 * decide in arrival order on its wallet as it stands: after the earlier calls of the batch on the
 * same wallet, whose records it sees. Each wallet is then written once, at its last state, with
 * every ledger entry, record and event of the batch in order, in one statement sent together with
 * the {@code COMMIT}: two round trips per batch, as for one call alone. Each call is answered with its own decision; a call whose own input is bad (its
 * mutation throws, its text cannot be stored, its account has no wallet) fails alone and writes
 * nothing.
 *
 * <p>Failures: one that certainly wrote nothing reaches every call of the batch as what it is
 * (retry-safe, or a lost race after a serialization failure or deadlock); one the database
 * reports as not retry-safe, or a wallet's lock not had within {@value #LOCK_TIMEOUT_MILLIS} ms,
 * in a batch of more than one call, is answered as a lost race and each of those calls goes alone
 * on its next attempt, so that only a call whose own data or wallet causes it meets it. A call's
 * answer or failure decided on its batch's uncommitted change of its wallet holds only if the
 * batch commits; otherwise the call decides again. A connection that breaks during the {@code COMMIT} makes every call that wrote a
 * {@link CommitOutcomeUnknownException} (the gate reads each key's record to learn the outcome),
 * and every call that only answered a lost race, since its answer may rest on the batch's
 * commits.
 */
final class GroupCommit implements WalletTransaction {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  /** How long a batch waits for a wallet's lock before its calls go alone: {@value} ms. */
  static final int LOCK_TIMEOUT_MILLIS = 1_000;
  /** How long a call of a batch that failed as a whole stays marked to go alone: 30 s, past any retry's pause. */
  static final long GOES_ALONE_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** The most calls marked to go alone at once: {@value}. */
  static final int MAX_GOING_ALONE = 4_096;
  /**
   * How many batches may be in their write and {@code COMMIT} at once, while the next is gathered,
   * locked and decided: {@value}. At durable settings a commit waits for its WAL flush, most of a
   * batch's time; the next batch locks and decides meanwhile (waiting at its wallets' rows for
   * the batches before it that changed them), and PostgreSQL flushes the commits that meet in
   * one write. So the instance holds at most this many connections and one more.
   */
  static final int MAX_COMMITTING = 3;

  private final Statements sql;
  private final Transactions transactions;
  private final SchemaInstaller schema;
  private final WalletTransaction alone;
  private final long windowNanos;
  private final int maxCalls;
  private final boolean loneCallsAlone;

  /**
   * Guards the queue and the batches' state. Each waiting call waits on its own condition and is
   * woken alone: when its batch is done, or when it is the first call in the queue that could lead
   * the next batch; the leader gathering a batch waits on {@link #full}. (Waking every waiting
   * thread at each hand-over cost about six context switches per call with 16 threads.)
   */
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when the queue holds a full batch, for the leader waiting out its window. */
  private final Condition full = lock.newCondition();
  /** The calls waiting for a batch, in arrival order; guarded by {@link #lock}. */
  private ArrayList<Pending<?>> queue = new ArrayList<>();
  /** Whether a caller is gathering a batch, or locking and deciding it; guarded by {@link #lock}. */
  private boolean leading;
  /** How many batches are past their decisions, in their write and COMMIT; guarded by {@link #lock}. */
  private int committing;
  /**
   * The wallets of the batches committing; guarded by {@link #lock}. A call on one of them waits
   * in the queue for that batch to end, so that a wallet is in one batch of this instance at a
   * time and the calls on it are decided in the order they came (a hot wallet's batches follow one
   * another as before, instead of the next waiting at its lock in smaller batches).
   */
  private final Set<AccountId> committingWallets = new HashSet<>();
  /**
   * Calls of a batch that failed as a whole on a fault, each until when its next attempt goes
   * alone ({@link System#nanoTime()}). A mark is taken by that attempt; one whose call gave up
   * instead lapses after {@link #GOES_ALONE_NANOS} and is dropped when marks are next made, and
   * there are never more than {@link #MAX_GOING_ALONE}: a call whose mark is gone meets its batch
   * again, and, if the fault is its own, goes alone after the next split.
   */
  private final ConcurrentHashMap<Solo, Long> goingAlone = new ConcurrentHashMap<>();
  /** Hands back the wallet object this store last wrote for a row, when the row is still that. */
  private final Reads reads;
  /** Where the wallets a batch wrote are remembered, as the single call's writes are. */
  private final WalletCache cache;
  private final AtomicLong splits = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();

  GroupCommit(Statements sql, Transactions transactions, SchemaInstaller schema, Reads reads,
      WalletCache cache, WalletTransaction alone, long windowNanos, int maxCalls, boolean loneCallsAlone) {
    this.sql = sql;
    this.reads = reads;
    this.cache = cache;
    this.transactions = transactions;
    this.schema = schema;
    this.alone = alone;
    this.windowNanos = windowNanos;
    this.maxCalls = maxCalls;
    this.loneCallsAlone = loneCallsAlone;
  }

  /**
   * How many batches were written, how many calls they held (the mean batch size), and how many
   * of them failed as a whole so that each of their calls went alone next.
   */
  long[] statistics() {
    return new long[] {batches.get(), calls.get(), splits.get()};
  }

  @Override
  public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(key, "key");
    Failures.requireNonNull(mutation, "mutation");
    Storable.requireStorable(key.value(), "idempotency key");
    schema.ensureSchema();
    if (!goingAlone.isEmpty()) {
      Long until = goingAlone.remove(new Solo(account, key));
      if (until != null && until - System.nanoTime() > 0) {
        return alone.attempt(account, key, mutation);
      }
    }
    Pending<R> call = new Pending<>(account, key, mutation, lock.newCondition());
    boolean interrupted = false;
    while (true) {
      List<Pending<?>> batch = null;
      lock.lock();
      try {
        if (!call.queued) {
          call.queued = true;
          queue.add(call);
          if (queue.size() >= maxCalls) {
            full.signal();
          }
        }
        while (!call.done && batch == null) {
          if (!leading && !call.taken && committing < MAX_COMMITTING && anyReady()) {
            leading = true;
            batch = new ArrayList<>();
            interrupted |= gather(batch);
          } else {
            call.waiting = true;
            try {
              call.woken.await();
            } catch (InterruptedException e) {
              // The call may be in a batch being written: it waits for its answer all the same.
              interrupted = true;
            } finally {
              call.waiting = false;
            }
          }
        }
      } finally {
        lock.unlock();
      }
      if (batch != null) {
        Lead lead = new Lead();
        try {
          write(batch, lead); // answers every call of the batch, and never throws
        } finally {
          lock.lock();
          try {
            for (Pending<?> p : batch) {
              p.done = true;
              p.woken.signal();
            }
            if (lead.handedOver) {
              committing--;
              for (Pending<?> p : batch) {
                committingWallets.remove(p.account);
              }
            } else {
              leading = false;
            }
            wakeNextLeader();
          } finally {
            lock.unlock();
          }
        }
      }
      lock.lock();
      try {
        if (call.done) {
          break;
        }
      } finally {
        lock.unlock();
      }
      // Still queued: the batch this thread wrote was full before its own call (or it was none).
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return call.outcome();
  }

  /**
   * Takes the next batch from the front of the queue into {@code batch}, after waiting up to the
   * window for more calls while it is not full. Called by the leader, holding {@link #lock}; an
   * interrupt ends the wait and is answered (true) for the caller to restore once the batch is
   * written, so that it never fails the batch's connection.
   */
  private boolean gather(List<Pending<?>> batch) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + windowNanos;
    long left;
    while (queue.size() < maxCalls && (left = deadline - System.nanoTime()) > 0) {
      try {
        full.awaitNanos(left);
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      }
    }
    if (committingWallets.isEmpty() && queue.size() <= maxCalls) {
      batch.addAll(queue);
      queue = new ArrayList<>();
    } else {
      // Up to the most, in arrival order, every call but those on a wallet still committing
      // (committing batches only end meanwhile, so the calls that made this caller lead are here).
      ArrayList<Pending<?>> rest = new ArrayList<>();
      for (Pending<?> p : queue) {
        if (batch.size() < maxCalls && !committingWallets.contains(p.account)) {
          batch.add(p);
        } else {
          rest.add(p);
        }
      }
      queue = rest;
    }
    for (Pending<?> p : batch) {
      p.taken = true;
    }
    return interrupted;
  }

  /**
   * Wakes the first call in the queue that can lead the next batch, if one may be led now: none is
   * being gathered or decided, fewer than {@value #MAX_COMMITTING} commit, and the call's wallet is
   * not in one of them. A call whose thread is not waiting (a leader writing its batch, its own
   * call left in the queue) is passed over: it looks again once its batch is done. Holding
   * {@link #lock}.
   */
  private void wakeNextLeader() {
    if (leading || committing >= MAX_COMMITTING) {
      return;
    }
    for (Pending<?> p : queue) {
      if (p.waiting && !p.taken && !committingWallets.contains(p.account)) {
        p.woken.signal();
        return;
      }
    }
  }

  /** Whether a call in the queue can be taken: one whose wallet no batch is committing. Holding {@link #lock}. */
  private boolean anyReady() {
    if (committingWallets.isEmpty()) {
      return !queue.isEmpty();
    }
    for (Pending<?> p : queue) {
      if (!committingWallets.contains(p.account)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a batch's leader has handed the lead on: its batch is committing, and the next may be decided. */
  private static final class Lead {
    /** Guarded by the lock. */
    boolean handedOver;
  }

  /**
   * Lets the next batch be gathered, locked and decided while this one commits: called by the
   * leader once its batch's decisions are made, before it sends the write and its COMMIT.
   */
  private void handOver(List<Pending<?>> batch, Lead lead) {
    lock.lock();
    try {
      leading = false;
      committing++;
      for (Pending<?> p : batch) {
        committingWallets.add(p.account);
      }
      lead.handedOver = true;
      wakeNextLeader();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------------ a batch

  /** Decides and writes {@code batch} in one transaction; answers every call of it, whatever happens. */
  private void write(List<Pending<?>> batch, Lead lead) {
    batches.incrementAndGet();
    calls.addAndGet(batch.size());
    if (batch.size() == 1 && loneCallsAlone) {
      // A batch of one is a call alone: the single call's transaction, which reads and writes in
      // narrower statements, with the same outcomes. It takes its wallet's lock as a batch would.
      handOver(batch, lead);
      alone(batch.get(0));
      return;
    }
    Connection c = null;
    Transaction tx = null;
    try {
      c = transactions.connection();
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      tx = new Transaction(c);
      try {
        Map<String, Wallet> wallets = new HashMap<>();
        Map<Solo, IdempotencyRecord> records = new HashMap<>();
        lockAndRead(c, batch, wallets, records);
        for (Pending<?> p : batch) {
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
          handOver(batch, lead);
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
            for (Pending<?> p : batch) {
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

  private <R> void alone(Pending<R> p) {
    try {
      Optional<R> result = this.alone.attempt(p.account, p.key, p.mutation);
      if (result.isPresent()) {
        p.answered(result.get(), false);
      } else {
        p.lost();
      }
    } catch (RuntimeException | Error e) {
      p.failed(e); // its own: rethrown, unchanged, in its own thread
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
  private void lockAndRead(Connection c, List<Pending<?>> batch, Map<String, Wallet> wallets,
      Map<Solo, IdempotencyRecord> records) throws SQLException {
    Map<String, AccountId> accounts = new LinkedHashMap<>();
    String[] callAccounts = new String[batch.size()];
    String[] keys = new String[batch.size()];
    for (int i = 0; i < keys.length; i++) {
      Pending<?> p = batch.get(i);
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
          wallets.put(account, new Wallet(accounts.get(account), rs.getLong(2),
              reads.storedWallet(accounts.get(account), rs.getLong(2), rs.getString(3)).state()));
        }
      }
      if (!ps.getMoreResults()) {
        throw new SQLException("the read of a group commit's records returned no result");
      }
      try (ResultSet rs = ps.getResultSet()) {
        while (rs.next()) {
          IdempotencyKey key = IdempotencyKey.of(rs.getString(2));
          records.put(new Solo(AccountId.of(rs.getString(1)), key),
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
  private static void decide(Pending<?> p, Map<String, Wallet> wallets, Map<Solo, IdempotencyRecord> records) {
    Wallet w = wallets.get(p.account.value());
    if (w == null) {
      p.failed(new UnknownAccountException(p.account));
      return;
    }
    // An answer, or a failure, decided on the batch's own uncommitted change of the wallet holds
    // only if the batch commits: if it does not, the call decides again.
    p.afterBatchCommit = !w.commits.isEmpty();
    Solo id = new Solo(p.account, p.key);
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
        if (records.containsKey(new Solo(p.account, r.key()))) {
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
      records.put(new Solo(p.account, r.key()), r);
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
  private void failed(List<Pending<?>> batch, Throwable e, boolean committing) {
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
    for (Pending<?> p : batch) {
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
        goAlone(p);
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

  /** Marks {@code p}'s next attempt to go alone, first dropping the marks that lapsed if there are many. */
  private void goAlone(Pending<?> p) {
    long now = System.nanoTime();
    if (goingAlone.size() >= MAX_GOING_ALONE) {
      dropLapsedMarks(now);
      if (goingAlone.size() >= MAX_GOING_ALONE) {
        goingAlone.clear(); // a storm of splits: those calls meet a batch again, and split again if they must
      }
    }
    goingAlone.put(new Solo(p.account, p.key), now + GOES_ALONE_NANOS);
  }

  /** Drops the marks to go alone that lapsed by {@code now} ({@link System#nanoTime()}). */
  void dropLapsedMarks(long now) {
    goingAlone.values().removeIf(until -> until - now <= 0);
  }

  /** How many calls are marked to go alone on their next attempt. */
  int markedToGoAlone() {
    return goingAlone.size();
  }

  /** An account and a key: a record's identity, and a call that goes alone. */
  private record Solo(AccountId account, IdempotencyKey key) {}

  /** A call waiting in, or answered by, a batch. Its fields are written by the leader under the batch's hand-over. */
  private static final class Pending<R> {
    final AccountId account;
    final IdempotencyKey key;
    final Mutation<R> mutation;
    /** Guarded by the lock. */
    boolean queued;
    /** Guarded by the lock. */
    boolean done;
    /** Whether a leader took it into its batch; guarded by the lock. */
    boolean taken;
    /** Whether its thread waits on {@link #woken}; guarded by the lock. */
    boolean waiting;
    /** What its thread waits on: signalled when its batch is done, or when it may lead the next. */
    final Condition woken;
    private boolean lost;
    /** Whether its mutation decided in the batch, and whether what it decided is to be written. */
    private boolean decided;
    private boolean wrote;
    /** Whether it decided on its wallet after a commit of the same batch on it. */
    boolean afterBatchCommit;
    private Object result;
    private Throwable failure;

    Pending(AccountId account, IdempotencyKey key, Mutation<R> mutation, Condition woken) {
      this.account = account;
      this.key = key;
      this.mutation = mutation;
      this.woken = woken;
    }

    void answered(Object result, boolean wrote) {
      this.decided = true;
      this.result = result;
      this.wrote = wrote;
    }

    void lost() {
      this.decided = true;
      this.failure = null;
      this.lost = true;
      this.wrote = false;
      this.result = null;
    }

    void failed(Throwable failure) {
      this.decided = true;
      this.wrote = false;
      this.failure = failure;
    }

    boolean isFailed() {
      return failure != null;
    }

    @SuppressWarnings("unchecked")
    Optional<R> outcome() {
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        throw new StoreException("a group commit failed: " + failure, failure);
      }
      if (lost || result == null) {
        return Optional.empty();
      }
      return Optional.of((R) result);
    }
  }
}
