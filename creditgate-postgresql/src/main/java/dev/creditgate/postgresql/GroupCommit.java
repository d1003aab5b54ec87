package dev.creditgate.postgresql;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.WalletTransaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;


/**
 * The store's {@link WalletTransaction} under group commit: the attempts that the threads of this
 * instance make at the same time are gathered into one database transaction and one commit. This
 * class is the queue and who leads it; {@link BatchTransaction} locks, decides and writes a batch;
 * {@link BatchedCall} is a call waiting for, or answered by, its batch.
 *
 * <p>The first caller to find no batch being gathered or decided leads: it waits up to the window
 * for more calls (never once the batch is full), takes the queue, and writes it (a batch of one
 * call as the single call's transaction, {@link JdbcWalletTransaction}); the callers that queued
 * meanwhile wait for their answers. Once a batch is decided and its write and {@code COMMIT} are
 * on their way, the next batch gathers, locks and decides, while up to {@value #MAX_COMMITTING}
 * batches commit: a batch that shares a wallet with one still committing waits for that batch, and
 * decides on it as committed. Each call is answered with its own decision, or its own failure; a
 * call of a batch that failed as a whole, on a fault that may be one call's, is marked to go
 * alone on its next attempt (for {@link #GOES_ALONE_NANOS} at most), so that only the call whose
 * data or wallet causes the fault meets it again.
 */
final class GroupCommit implements WalletTransaction {
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
  private ArrayList<BatchedCall<?>> queue = new ArrayList<>();
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
  private final ConcurrentHashMap<BatchedCall.Key, Long> goingAlone = new ConcurrentHashMap<>();
  /** Locks, decides and writes each batch of more than one call (and a lone call, unless it goes alone). */
  private final BatchTransaction transaction;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();

  GroupCommit(Statements sql, Transactions transactions, SchemaInstaller schema, Reads reads,
      WalletCache cache, WalletTransaction alone, long windowNanos, int maxCalls, boolean loneCallsAlone) {
    this.transaction = new BatchTransaction(sql, transactions, reads, cache, this::goAlone);
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
    return new long[] {batches.get(), calls.get(), transaction.splits()};
  }

  @Override
  public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(key, "key");
    Failures.requireNonNull(mutation, "mutation");
    Storable.requireStorable(key.value(), "idempotency key");
    schema.ensureSchema();
    if (!goingAlone.isEmpty()) {
      Long until = goingAlone.remove(new BatchedCall.Key(account, key));
      if (until != null && until - System.nanoTime() > 0) {
        return alone.attempt(account, key, mutation);
      }
    }
    BatchedCall<R> call = new BatchedCall<>(account, key, mutation, lock.newCondition());
    boolean interrupted = false;
    while (true) {
      List<BatchedCall<?>> batch = null;
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
            for (BatchedCall<?> p : batch) {
              p.done = true;
              p.woken.signal();
            }
            if (lead.handedOver) {
              committing--;
              for (BatchedCall<?> p : batch) {
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
  private boolean gather(List<BatchedCall<?>> batch) {
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
      ArrayList<BatchedCall<?>> rest = new ArrayList<>();
      for (BatchedCall<?> p : queue) {
        if (batch.size() < maxCalls && !committingWallets.contains(p.account)) {
          batch.add(p);
        } else {
          rest.add(p);
        }
      }
      queue = rest;
    }
    for (BatchedCall<?> p : batch) {
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
    for (BatchedCall<?> p : queue) {
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
    for (BatchedCall<?> p : queue) {
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
  private void handOver(List<BatchedCall<?>> batch, Lead lead) {
    lock.lock();
    try {
      leading = false;
      committing++;
      for (BatchedCall<?> p : batch) {
        committingWallets.add(p.account);
      }
      lead.handedOver = true;
      wakeNextLeader();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------------ a batch

  /** Writes {@code batch}, a batch of one alone if so configured; answers every call of it, whatever happens. */
  private void write(List<BatchedCall<?>> batch, Lead lead) {
    batches.incrementAndGet();
    calls.addAndGet(batch.size());
    if (batch.size() == 1 && loneCallsAlone) {
      // A batch of one is a call alone: the single call's transaction, which reads and writes in
      // narrower statements, with the same outcomes. It takes its wallet's lock as a batch would.
      handOver(batch, lead);
      alone(batch.get(0));
      return;
    }
    transaction.write(batch, () -> handOver(batch, lead));
  }

  private <R> void alone(BatchedCall<R> p) {
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

  /** Marks {@code p}'s next attempt to go alone, first dropping the marks that lapsed if there are many. */
  private void goAlone(BatchedCall<?> p) {
    long now = System.nanoTime();
    if (goingAlone.size() >= MAX_GOING_ALONE) {
      dropLapsedMarks(now);
      if (goingAlone.size() >= MAX_GOING_ALONE) {
        goingAlone.clear(); // a storm of splits: those calls meet a batch again, and split again if they must
      }
    }
    goingAlone.put(new BatchedCall.Key(p.account, p.key), now + GOES_ALONE_NANOS);
  }

  /** Drops the marks to go alone that lapsed by {@code now} ({@link System#nanoTime()}). */
  void dropLapsedMarks(long now) {
    goingAlone.values().removeIf(until -> until - now <= 0);
  }

  /** How many calls are marked to go alone on their next attempt. */
  int markedToGoAlone() {
    return goingAlone.size();
  }
}
