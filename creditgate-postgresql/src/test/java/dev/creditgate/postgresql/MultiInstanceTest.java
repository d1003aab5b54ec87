package dev.creditgate.postgresql;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.HoldSettlement;
import dev.creditgate.LedgerReplay;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three service instances, each with its own gate, store and connection pool, charge, reserve and
 * capture against the same wallets from many threads, and repeat every call through another
 * instance. Afterwards credits are conserved to the thousandth, every key was applied once, and
 * every ledger replays to its stored wallet.
 */
class MultiInstanceTest {
  private static final String SCHEMA = "creditgate_multi";
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final int INSTANCES = 3;
  private static final int THREADS_PER_INSTANCE = 4;
  private static final int OPERATIONS_PER_THREAD = 30;
  private static final int WALLETS = 4;
  private static final Credits START = Credits.of(130); // Free's 30 and a Small pack's 100

  /** What one call answered, and what it should have cost. */
  private record Applied(AccountId wallet, String key, String kind, boolean allowed, Credits spent) {}

  @ParameterizedTest
  @EnumSource(Shape.class)
  void creditsAreConservedAndEveryKeyAppliedOnce(Shape shape) throws Exception {
    TestDatabase db = TestDatabase.get();
    db.recreate(SCHEMA);
    List<TestPool> pools = new ArrayList<>();
    List<CreditGate> gates = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      TestPool pool = db.pool(THREADS_PER_INSTANCE);
      pools.add(pool);
      gates.add(CreditGate.builder(shape.configure(TestDatabase.store(pool, SCHEMA)).build())
          .build());
    }
    List<AccountId> wallets = new ArrayList<>();
    for (int w = 0; w < WALLETS; w++) {
      AccountId id = AccountId.of("wallet-" + w);
      wallets.add(id);
      gates.get(w % INSTANCES).openWallet(id, ZONE, T0);
      gates.get((w + 1) % INSTANCES).topUp(id, "small", IdempotencyKey.of("pay-" + w), T0);
    }

    Map<String, Applied> applied = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(INSTANCES * THREADS_PER_INSTANCE);
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<Void>> work = new ArrayList<>();
    for (int t = 0; t < INSTANCES * THREADS_PER_INSTANCE; t++) {
      int thread = t;
      CreditGate mine = gates.get(t % INSTANCES);
      CreditGate other = gates.get((t + 1) % INSTANCES);
      work.add(() -> {
        Random random = new Random(thread);
        start.await();
        for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
          AccountId wallet = wallets.get(random.nextInt(WALLETS));
          String key = "t" + thread + "-" + i;
          Instant at = T0.plusSeconds(1 + i);
          if (random.nextBoolean()) {
            Decision d = repeated(mine.charge(wallet, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of(key), at),
                other.charge(wallet, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of(key), at), key);
            applied.put(key, new Applied(wallet, key, "charge", d.isAllowed(), d.isAllowed() ? d.cost() : Credits.ZERO));
          } else {
            IdempotencyKey hold = IdempotencyKey.of(key);
            Decision reserved = repeated(mine.reserve(wallet, Operation.GENERATE_IMAGE, 2, hold, at),
                other.reserve(wallet, Operation.GENERATE_IMAGE, 2, hold, at), key);
            applied.put(key, new Applied(wallet, key, "reserve", reserved.isAllowed(), Credits.ZERO));
            if (reserved.isAllowed()) {
              long used = 1 + random.nextInt(2);
              IdempotencyKey captureKey = IdempotencyKey.of(key + "-capture");
              HoldSettlement s = other.capture(wallet, hold, used, Outcome.succeeded(), captureKey, at);
              assertEquals(s, mine.capture(wallet, hold, used, Outcome.succeeded(), captureKey, at), key);
              assertEquals(Credits.of(2 * used), s.charged(), key);
              applied.put(captureKey.value(), new Applied(wallet, captureKey.value(), "capture", true, s.charged()));
            }
          }
        }
        return null;
      });
    }
    List<Future<Void>> futures = new ArrayList<>();
    for (Callable<Void> w : work) {
      futures.add(threads.submit(w));
    }
    start.countDown();
    try {
      for (Future<Void> f : futures) {
        f.get(90, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    CreditGate auditor = gates.get(0);
    Credits totalSpent = Credits.ZERO;
    Credits totalLeft = Credits.ZERO;
    int denied = 0;
    for (AccountId wallet : wallets) {
      Credits spent = Credits.ZERO;
      for (Applied a : applied.values()) {
        if (a.wallet.equals(wallet)) {
          spent = spent.plus(a.spent);
          denied += a.allowed ? 0 : 1;
        }
      }
      Credits left = auditor.status(wallet, T0.plusSeconds(60)).available();
      assertEquals(START.minus(spent), left, "credits of " + wallet);
      assertEquals(Credits.ZERO, auditor.status(wallet, T0.plusSeconds(60)).held(), "holds left open in " + wallet);
      assertTrue(!left.isNegative(), wallet + " overspent: " + left);
      LedgerReplay replay = auditor.replay(wallet);
      assertTrue(replay.isConsistent(), replay.toString());
      assertKeysAppliedOnce(auditor, wallet, applied);
      totalSpent = totalSpent.plus(spent);
      totalLeft = totalLeft.plus(left);
    }
    assertEquals(START.times(WALLETS), totalSpent.plus(totalLeft));
    assertTrue(denied > 0, "the wallets should run dry, so that overspending would show");
    pools.forEach(TestPool::close);
  }

  /**
   * The effective answer of a call made twice with one key: an allowed call is replayed as it was;
   * a denied one wrote nothing, not even its key, so its repeat decides again (and may be allowed
   * if a capture gave credits back in between).
   */
  private static Decision repeated(Decision first, Decision second, String key) {
    if (first.isAllowed()) {
      assertEquals(first, second, key + " was not replayed");
    }
    return second;
  }

  /** Per key, the ledger holds exactly what one application of the call writes. */
  private static void assertKeysAppliedOnce(CreditGate gate, AccountId wallet, Map<String, Applied> applied) {
    Map<String, List<LedgerEntry>> byKey = new HashMap<>();
    JdbcWalletStore store = TestDatabase.store(TestDatabase.get().unpooled(), SCHEMA).build();
    try (Stream<LedgerEntry> read = store.readLedger(wallet, Instant.MIN, Instant.MAX)) {
      read.forEachOrdered(e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
    }
    for (Applied a : applied.values()) {
      if (!a.wallet.equals(wallet)) {
        continue;
      }
      List<LedgerEntry> entries = byKey.getOrDefault(a.key, List.of());
      switch (a.kind) {
        case "charge" -> assertEquals(a.spent.negate(), sum(entries, LedgerEntry.Kind.DEBIT), a.key + ": " + entries);
        case "reserve" -> {
          assertEquals(a.allowed ? Credits.of(4) : Credits.ZERO, sum(entries, LedgerEntry.Kind.HOLD), a.key);
          assertEquals(a.allowed ? 1 : 0, entries.stream().filter(e -> e.kind() == LedgerEntry.Kind.HOLD).count(), a.key);
        }
        default -> {
          assertEquals(a.spent.negate(), sum(entries, LedgerEntry.Kind.CAPTURE), a.key + ": " + entries);
          assertEquals(1, entries.stream().filter(e -> e.kind() == LedgerEntry.Kind.RELEASE).count(), a.key);
        }
      }
      if (!a.allowed) {
        assertEquals(List.of(), entries, a.key);
      }
    }
  }

  private static Credits sum(List<LedgerEntry> entries, LedgerEntry.Kind kind) {
    return entries.stream().filter(e -> e.kind() == kind).map(LedgerEntry::amount).reduce(Credits.ZERO, Credits::plus);
  }
}
