package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many threads charge one wallet down across its 20% and 0% thresholds, its 10-credit threshold and
 * its depletion, in both lock modes: each warning is published exactly once, by the call whose commit crossed it, however many attempts
 * lost races on the way (optimistic) or queued on the lock (the wallet lock).
 */
class ConcurrentWarningsTest {
  private static final String SCHEMA = "creditgate_warnings";
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final int THREADS = 16;
  private static final int CHARGES_PER_THREAD = 4;
  private static TestPool pool;

  @BeforeAll
  static void schema() {
    TestDatabase.get().recreate(SCHEMA);
    pool = TestDatabase.get().pool(THREADS);
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void eachThresholdIsPublishedExactlyOnceWhateverTheRacesLost(Shape shape) throws Exception {
    TestDatabase.get().truncate(SCHEMA);
    List<WalletEvent> events = new CopyOnWriteArrayList<>();
    Watched store = new Watched(shape.configure(TestDatabase.store(pool, SCHEMA)).build(), decided -> { });
    CreditGate gate = CreditGate.builder(store).eventSink((id, event) -> events.add(event))
        .warnBelow(Credits.of(10)).warnWhenDepleted(true).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    events.clear();

    // 30 credits, 2 per image: the 10th charge crosses 10 credits, the 12th 20% (6 left), the 15th
    // 0% and the depletion; 64 charges in all.
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    List<Callable<Integer>> work = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      work.add(() -> {
        start.await(30, TimeUnit.SECONDS);
        int allowed = 0;
        for (int i = 0; i < CHARGES_PER_THREAD; i++) {
          Decision d = gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of(thread + "-" + i), T0);
          allowed += d.isAllowed() ? 1 : 0;
        }
        return allowed;
      });
    }
    int allowed = 0;
    try {
      for (Future<Integer> f : threads.invokeAll(work, 120, TimeUnit.SECONDS)) {
        allowed += f.get();
      }
    } finally {
      threads.shutdownNow();
    }

    assertEquals(15, allowed);
    assertEquals(Credits.ZERO, gate.status(maya, T0).available());
    List<Integer> warnings = events.stream().filter(WalletEvent.ThresholdCrossed.class::isInstance)
        .map(e -> ((WalletEvent.ThresholdCrossed) e).percent()).toList();
    assertEquals(List.of(20, 0), warnings, shape + ", every event: " + events);
    assertEquals(List.of(new WalletEvent.BalanceBelow(maya, T0, Credits.of(10), Credits.of(10))),
        events.stream().filter(WalletEvent.BalanceBelow.class::isInstance).toList(), shape + ": " + events);
    assertEquals(List.of(new WalletEvent.CreditsDepleted(maya, T0, Credits.ZERO)),
        events.stream().filter(WalletEvent.CreditsDepleted.class::isInstance).toList(), shape + ": " + events);
    // The races happened: optimistic attempts lost some (each decided again), wallet-locked ones
    // queued instead (alone, or in a batch) and lost none.
    if (shape == Shape.OPTIMISTIC) {
      assertTrue(store.lost.get() > 0, "no optimistic attempt lost a race: the test raced nothing");
    } else {
      assertEquals(0, store.lost.get());
    }
  }

  /**
   * The race at the threshold itself, made to happen: an attempt that decided the crossing waits,
   * before it writes, for another instance's charge. Optimistic: the other charge commits first
   * and crosses the threshold, so the waiting attempt loses and decides again, below it; the
   * events it decided before it lost must never be published. Row lock: the other charge queues
   * on the lock the attempt holds and decides after its commit, below the threshold.
   */
  @ParameterizedTest
  @EnumSource(JdbcWalletStore.Locking.class)
  void anAttemptThatDecidedACrossingAndLostItsRacePublishesNothing(JdbcWalletStore.Locking locking)
      throws Exception {
    TestDatabase.get().truncate(SCHEMA);
    List<WalletEvent> events = new CopyOnWriteArrayList<>();
    JdbcWalletStore jdbc = TestDatabase.store(pool, SCHEMA).locking(locking).build();
    CreditGate other = CreditGate.builder(jdbc).eventSink((id, event) -> events.add(event)).build();
    AccountId maya = AccountId.of("maya");
    ExecutorService background = Executors.newSingleThreadExecutor();
    List<Future<Decision>> others = new CopyOnWriteArrayList<>();
    AtomicInteger interleaved = new AtomicInteger();
    Watched watched = new Watched(jdbc, decided -> {
      if (decided.events().stream().anyMatch(e -> e.event().orElseThrow() instanceof WalletEvent.ThresholdCrossed)) {
        // Another instance's charge, now, between this attempt's decision and its write.
        Future<Decision> charge = background.submit(() -> other.charge(maya, Operation.GENERATE_IMAGE, 1,
            IdempotencyKey.of("other-" + interleaved.incrementAndGet()), T0));
        others.add(charge);
        try {
          if (locking == JdbcWalletStore.Locking.OPTIMISTIC) {
            charge.get(10, TimeUnit.SECONDS); // it commits first
          } else {
            awaitSomeSessionWaitsForALock(); // it queues on this attempt's lock
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    CreditGate gate = CreditGate.builder(watched).eventSink((id, event) -> events.add(event)).build();
    try {
      gate.openWallet(maya, ZONE, T0);
      for (int i = 0; i < 16; i++) {
        gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("mine-" + i), T0);
      }
      for (Future<Decision> charge : others) {
        charge.get(10, TimeUnit.SECONDS);
      }
    } finally {
      background.shutdownNow();
    }

    assertEquals(2, interleaved.get(), "one interleaved charge per threshold: " + events);
    assertEquals(Credits.ZERO, gate.status(maya, T0).available());
    List<Integer> warnings = events.stream().filter(WalletEvent.ThresholdCrossed.class::isInstance)
        .map(e -> ((WalletEvent.ThresholdCrossed) e).percent()).toList();
    assertEquals(List.of(20, 0), warnings, locking + ", every event: " + events);
    assertEquals(locking == JdbcWalletStore.Locking.OPTIMISTIC ? 2 : 0, watched.lost.get(),
        "the attempts that decided a crossing lost their race (optimistic only)");
  }

  /** Returns once some session of the test database waits for a lock (at most 10 s). */
  private static void awaitSomeSessionWaitsForALock() throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (Connection observer = TestDatabase.get().unpooled().getConnection();
        PreparedStatement ps = observer.prepareStatement("SELECT count(*) FROM pg_stat_activity"
            + " WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getInt(1) > 0) {
            return;
          }
        }
      }
    }
    throw new IllegalStateException("no session waited for a lock");
  }

  /** What runs between an attempt's decision and its write. */
  @FunctionalInterface
  private interface BeforeWrite {
    void run(Commit decided);
  }

  /**
   * The store's transaction, watched: counts the attempts that lost a race, and runs a hook after
   * each decision that commits, before the attempt writes it.
   */
  private static final class Watched extends ForwardingWalletStore {
    final AtomicInteger lost = new AtomicInteger();
    private final BeforeWrite beforeWrite;

    Watched(WalletStore store, BeforeWrite beforeWrite) {
      super(store);
      this.beforeWrite = beforeWrite;
    }

    @Override
    public Optional<WalletTransaction> transaction() {
      WalletTransaction inner = delegate().transaction().orElseThrow();
      return Optional.of(new WalletTransaction() {
        @Override
        public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
          Optional<R> result = inner.attempt(account, key, (stored, record) -> {
            Mutation.Outcome<R> outcome = mutation.decide(stored, record);
            if (outcome.commit() != null) {
              beforeWrite.run(outcome.commit());
            }
            return outcome;
          });
          if (result.isEmpty()) {
            lost.incrementAndGet();
          }
          return result;
        }
      });
    }
  }
}
