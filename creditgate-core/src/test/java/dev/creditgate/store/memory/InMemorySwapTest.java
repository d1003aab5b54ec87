package dev.creditgate.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.RetryStatistics;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-memory store decides outside the wallet's lock and swaps under it: a call that lost its
 * swap decides again under the lock, so it loses at most once; and under many threads on one
 * wallet nothing is lost or applied twice.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InMemorySwapTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final Instant NOW = T0.plusSeconds(60);
  private static final AccountId TEAM = AccountId.of("team");
  /** A test-only operation costing exactly 0.01 credits a unit. */
  private static final Operation CENT = Operation.of("test-cent");
  private static final CostTable COSTS = CostTable.defaults().toBuilder().fixed(CENT, Credits.parse("0.01")).build();

  // ------------------------------------------------------------------------------ starvation

  /**
   * An adversary that, whenever a decision is being made, commits a rival change to the same
   * wallet from another thread, as soon as the store lets it: before the decision's swap if the
   * decision runs outside the lock (the decision then loses), or after it if the store holds the
   * lock (the rival then waits on it, and this waits only until it does).
   */
  private static final class RivalBeforeEverySwap extends ForwardingWalletStore {
    final AtomicInteger rivalsLanded = new AtomicInteger();
    final AtomicInteger decisions = new AtomicInteger();

    RivalBeforeEverySwap(WalletStore store) {
      super(store);
    }

    @Override
    public Optional<WalletTransaction> transaction() {
      WalletTransaction inner = delegate().transaction().orElseThrow();
      return Optional.of(new WalletTransaction() {
        @Override
        public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
          return inner.attempt(account, key, (stored, record) -> {
            decisions.incrementAndGet();
            rival(account);
            return mutation.decide(stored, record);
          });
        }
      });
    }

    /** A commit of the wallet as it is, one version on: the store never looks inside. */
    private void rival(AccountId account) {
      Thread rival = new Thread(() -> {
        StoredWallet now = delegate().load(account).orElseThrow();
        if (delegate().commit(new Commit(account, now.version(), now.state(), List.of(), List.of(), List.of(),
            Optional.empty()))) {
          rivalsLanded.incrementAndGet();
        }
      });
      rival.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (rival.isAlive() && rival.getState() != Thread.State.BLOCKED) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the rival commit neither landed nor waited for the lock");
        }
        Thread.onSpinWait();
      }
    }
  }

  @Test
  void aCallWhoseEverySwapWouldLoseLosesOnceThenDecidesUnderTheLockAndCompletes() {
    RivalBeforeEverySwap store = new RivalBeforeEverySwap(InMemoryWalletStore.create());
    CreditGate gate = CreditGate.builder(store).costTable(COSTS).build();
    gate.openWallet(TEAM, ZoneOffset.UTC, T0);
    int calls = 20;
    store.rivalsLanded.set(0);
    RetryStatistics before = gate.retryStatistics();

    for (int i = 0; i < calls; i++) {
      Decision d = gate.charge(TEAM, CENT, 100, IdempotencyKey.of("c" + i), NOW);
      assertTrue(d.isAllowed(), "charge " + i + " allowed");
    }

    RetryStatistics after = gate.retryStatistics();
    assertEquals(calls, after.lostRaces() - before.lostRaces(), "each call lost exactly one race");
    assertEquals(0, after.givenUp() - before.givenUp(), "no call gave up");
    assertEquals(calls, store.rivalsLanded.get(), "the rival got in before each call's first swap, and only then");
    assertEquals(Credits.of(30 - calls), gate.status(TEAM, NOW).available(), "every call charged once");
  }

  /**
   * The lock after a lost swap belongs to the call that lost it (its account and key): a call
   * that lost and gave up leaves a marker that the thread's next call, with another key, does not
   * take for its own; the call itself, tried again, decides under the lock.
   */
  @Test
  void aLostSwapSendsOnlyTheSameCallsNextAttemptUnderTheLock() {
    RivalBeforeEverySwap rivalled = new RivalBeforeEverySwap(InMemoryWalletStore.create());
    WalletStore oneAttempt = new ForwardingWalletStore(rivalled) {
      @Override
      public dev.creditgate.spi.RetryPolicy retryPolicy() {
        return new dev.creditgate.spi.RetryPolicy(1, java.time.Duration.ofSeconds(10));
      }
    };
    CreditGate gate = CreditGate.builder(oneAttempt).costTable(COSTS).build();
    gate.openWallet(TEAM, ZoneOffset.UTC, T0);

    // One attempt each: a call that loses its swap gives up, and leaves its marker behind.
    assertThrows(StoreException.class, () -> gate.charge(TEAM, CENT, 100, IdempotencyKey.of("a"), NOW));
    // Another call on this thread decides outside the lock as any first attempt does, and loses too.
    assertThrows(StoreException.class, () -> gate.charge(TEAM, CENT, 100, IdempotencyKey.of("b"), NOW));
    // The same call again: its one attempt decides under the lock, where the rival cannot come first.
    assertTrue(gate.charge(TEAM, CENT, 100, IdempotencyKey.of("b"), NOW).isAllowed());
    assertEquals(Credits.of(29), gate.status(TEAM, NOW).available(), "charged once, by the call that completed");
  }

  @Test
  void theSameAdversaryStarvesACallThatOnlyEverSwapsOptimistically() {
    // The contrast that shows the adversary is real: with the conditional commit alone (no
    // transaction), every commit loses to the rival, and the call gives up within its budget.
    WalletStore memory = InMemoryWalletStore.create();
    WalletStore commitOnly = new ForwardingWalletStore(memory) {
      @Override
      public Optional<WalletTransaction> transaction() {
        return Optional.empty();
      }

      @Override
      public boolean commit(Commit commit) {
        if (commit.expectedVersion() > 0) {
          StoredWallet now = delegate().load(commit.account()).orElseThrow();
          delegate().commit(new Commit(commit.account(), now.version(), now.state(), List.of(), List.of(), List.of(),
              Optional.empty()));
        }
        return delegate().commit(commit);
      }
    };
    CreditGate gate = CreditGate.builder(commitOnly).costTable(COSTS).build();
    gate.openWallet(TEAM, ZoneOffset.UTC, T0);

    StoreException e = assertThrows(StoreException.class,
        () -> gate.charge(TEAM, CENT, 100, IdempotencyKey.of("c"), NOW));

    assertTrue(e.getMessage().contains("lost races"), e.getMessage());
    assertEquals(1, gate.retryStatistics().givenUp());
    assertEquals(Credits.of(30), gate.status(TEAM, NOW).available(), "nothing charged");
  }

  // ------------------------------------------------------------------------------ many threads

  private static final int THREADS = 8;
  private static final int CHARGES_PER_THREAD = 500;

  /** Records every event handed over, in order; thread-safe. */
  private static final class Events implements EventSink {
    final List<EventId> ids = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void publish(EventId id, WalletEvent event) {
      ids.add(id);
    }
  }

  @Test
  void manyThreadsChargingOneWalletWithOverlappingKeysLoseAndDoubleNothingInTheTransactionShape() throws Exception {
    manyThreadsOnOneWallet(InMemoryWalletStore.create());
  }

  @Test
  void manyThreadsChargingOneWalletWithOverlappingKeysLoseAndDoubleNothingInTheCommitOnlyShape() throws Exception {
    manyThreadsOnOneWallet(new ForwardingWalletStore(InMemoryWalletStore.create()) {
      @Override
      public Optional<WalletTransaction> transaction() {
        return Optional.empty();
      }
    });
  }

  /**
   * 8 threads, each making 500 charges of 0.04 credits on one wallet of 30 + 130 credits (the Free
   * allowance and an adjustment): every charge key is also used by the next thread at the same
   * time, so 4,000 distinct charges of 0.04 (160 credits) are made by 8,000 calls and must drain
   * the wallet to exactly zero, each key charged once and answered the same to both its callers.
   */
  private static void manyThreadsOnOneWallet(WalletStore store) throws Exception {
    Events events = new Events();
    CreditGate gate = CreditGate.builder(store).costTable(COSTS).eventSink(events).build();
    gate.openWallet(TEAM, ZoneOffset.UTC, T0);
    gate.adjust(TEAM, Credits.of(130), "test", IdempotencyKey.of("fill"), T0);

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Map<String, Decision>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          go.await();
          Map<String, Decision> answers = new HashMap<>();
          int previous = (thread + THREADS - 1) % THREADS;
          for (int i = 0; i < CHARGES_PER_THREAD; i++) {
            // Its own key and, the same moment, the one the previous thread uses as its own.
            for (String key : List.of(thread + "-" + i, previous + "-" + i)) {
              answers.put(key, gate.charge(TEAM, CENT, 4, IdempotencyKey.of(key), NOW));
            }
          }
          return answers;
        }));
      }
      go.countDown();
      Map<String, Decision> first = new HashMap<>();
      for (Future<Map<String, Decision>> future : futures) {
        for (Map.Entry<String, Decision> answer : future.get(50, TimeUnit.SECONDS).entrySet()) {
          Decision other = first.putIfAbsent(answer.getKey(), answer.getValue());
          if (other != null) {
            assertEquals(other.balanceAfter(), answer.getValue().balanceAfter(),
                "both callers of " + answer.getKey() + " got its one answer");
          }
          assertTrue(answer.getValue().isAllowed(), answer.getKey() + " allowed");
        }
      }
      assertEquals(THREADS * CHARGES_PER_THREAD, first.size());
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    assertEquals(Credits.ZERO, gate.status(TEAM, NOW).available(), "160 credits in 4,000 charges of 0.04");
    List<LedgerEntry> ledger;
    try (Stream<LedgerEntry> entries = store.readLedger(TEAM, Instant.MIN, Instant.MAX)) {
      ledger = entries.toList();
    }
    assertEquals(Credits.ZERO, ledger.stream().filter(e -> e.kind().affectsBalance()).map(LedgerEntry::amount)
        .reduce(Credits.ZERO, Credits::plus), "the ledger sums to the balance");
    Map<String, Credits> debitedByKey = new HashMap<>();
    for (LedgerEntry e : ledger) {
      if (e.kind() == LedgerEntry.Kind.DEBIT) {
        debitedByKey.merge(e.key(), e.amount(), Credits::plus);
      }
    }
    assertEquals(THREADS * CHARGES_PER_THREAD, debitedByKey.size(), "one debit per distinct key");
    assertEquals(List.of(Credits.parse("-0.04")), debitedByKey.values().stream().distinct().toList(),
        "each key debited exactly once");

    assertEquals(0, store.deliverEvents(batch -> batch.size(), 64), "no event left undelivered");
    List<Long> sequence = events.ids.stream().map(EventId::sequence).toList();
    assertTrue(!sequence.isEmpty(), "draining the wallet crossed its thresholds");
    for (int i = 1; i < sequence.size(); i++) {
      assertEquals(sequence.get(i - 1) + 1, sequence.get(i), "events handed over in order, none twice: " + sequence);
    }
  }
}
