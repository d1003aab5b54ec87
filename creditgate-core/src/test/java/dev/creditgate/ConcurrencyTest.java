package dev.creditgate;



import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.ledger;
import static dev.creditgate.GateTestKit.ledgerBalance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.StoreException;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import dev.creditgate.model.LedgerEntry.Kind;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.spi.WalletStore;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads on one gate and one in-memory store, started together. Every expected number is
 * exact: the amounts are chosen so that the credits divide evenly into the charges.
 *
 * <p>A {@link StoreException} ("stayed contended ... retry with the same key") is part of the
 * gate's documented contract: nothing was written, and the host retries with the same key. The
 * callers here do exactly that, so the exact counts also prove such a retry never double-spends.
 */
@DisplayName("Concurrent use of one gate")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyTest {

  private static final int THREADS = 8;
  private static final Instant NOW = T0.plusSeconds(3_600);
  /** A test-only operation costing exactly 0.01 credits per unit. */
  private static final Operation CENT = Operation.of("test-cent");
  /** A test-only operation costing exactly 0.1 credits per unit. */
  private static final Operation DIME = Operation.of("test-dime");

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();
  private final CreditGate gate = CreditGate.builder(store)
      .eventSink(sink)
      .costTable(CostTable.defaults().toBuilder()
          .fixed(CENT, Credits.parse("0.01"))
          .fixed(DIME, Credits.parse("0.1"))
          .build())
      .build();

  /** Calls {@code call}, retrying it with the same arguments (same key) while the store stays contended. */
  private <R> R retrying(Supplier<R> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (StoreException e) {
        if (attempt >= 1_000) {
          throw e;
        }
      }
    }
  }

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  /** Runs {@code task(thread)} on every thread, all released at once; returns the results in thread order. */
  private <R> List<R> together(IntFunction<R> task) throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<R>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        ready.countDown();
        go.await();
        return task.apply(thread);
      }));
    }
    assertTrue(ready.await(10, TimeUnit.SECONDS));
    go.countDown();
    List<R> results = new ArrayList<>();
    for (Future<R> future : futures) {
      results.add(future.get(50, TimeUnit.SECONDS));
    }
    return results;
  }

  /** Opens a Free wallet (30 credits) and, if asked, adds a Small pack (100): 30 or 130 credits. */
  private AccountId wallet(String name, boolean withSmallPack) {
    AccountId account = AccountId.of(name);
    gate.openWallet(account, ZoneOffset.UTC, T0);
    if (withSmallPack) {
      gate.topUp(account, "small", IdempotencyKey.of(name + "-pay"), T0.plusSeconds(1));
    }
    return account;
  }

  private void assertConserved(AccountId account) {
    List<LedgerEntry> entries = ledger(store, account);
    WalletStatus status = gate.status(account, NOW);
    assertEquals(status.available(), ledgerBalance(entries), "ledger sums to the balance of " + account);
    assertEquals(List.of(), Wallet.of(store.load(account).orElseThrow().state()).invariantViolations());
  }

  private static long countOf(List<LedgerEntry> entries, LedgerEntry.Kind kind) {
    return entries.stream().filter(e -> e.kind() == kind).count();
  }

  // -----------------------------------------------------------------------------------------------

  @Test
  @DisplayName("8 threads x 2,000 charges of 0.01 on 130 credits: exactly 13,000 allowed, balance 0")
  void oneWalletManyThreads() throws Exception {
    AccountId alice = wallet("alice", true);
    long version = store.load(alice).orElseThrow().version();
    int perThread = 2_000;

    List<List<Decision>> results = together(t -> {
      List<Decision> mine = new ArrayList<>(perThread);
      for (int i = 0; i < perThread; i++) {
        int n = i;
        mine.add(retrying(() -> gate.charge(alice, CENT, 1, IdempotencyKey.of("t" + t + "-" + n), NOW)));
      }
      return mine;
    });

    Credits cent = Credits.parse("0.01");
    Set<Credits> balancesBefore = new HashSet<>();
    long allowed = 0;
    long denied = 0;
    for (List<Decision> mine : results) {
      for (Decision d : mine) {
        if (d.isAllowed()) {
          allowed++;
          assertEquals(d.balanceBefore().minus(cent), d.balanceAfter());
          assertTrue(balancesBefore.add(d.balanceBefore()), "two charges spent the same credits: " + d);
        } else {
          denied++;
          assertTrue(d.balanceBefore().isLessThan(cent));
        }
      }
    }
    assertEquals(13_000, allowed);
    assertEquals(THREADS * perThread - 13_000, denied);
    assertEquals(Credits.parse("130"), balancesBefore.stream().max(Credits::compareTo).orElseThrow());
    assertEquals(cent, balancesBefore.stream().min(Credits::compareTo).orElseThrow());

    WalletStatus status = gate.status(alice, NOW);
    assertEquals(Credits.ZERO, status.available());
    assertEquals(Credits.ZERO, status.subscription());
    assertEquals(Credits.ZERO, status.packs());
    assertEquals(version + 13_000, store.load(alice).orElseThrow().version(), "one commit per allowed charge");
    List<LedgerEntry> entries = ledger(store, alice);
    assertEquals(13_000, countOf(entries, LedgerEntry.Kind.DEBIT));
    assertConserved(alice);
    assertEquals(List.of(20, 0), sink.warnings(alice), "each warning exactly once, however many threads");
  }

  @Test
  @DisplayName("8 threads over 20 wallets at once: every wallet and the totals add up")
  void manyWalletsManyThreads() throws Exception {
    int wallets = 20;
    List<AccountId> accounts = new ArrayList<>();
    for (int w = 0; w < wallets; w++) {
      accounts.add(wallet("w" + w, w % 2 == 0)); // even: 130 credits, odd: 30
    }
    int perThread = 1_000; // each thread tries every wallet 50 times

    List<long[]> allowedPerWallet = together(t -> {
      long[] allowed = new long[wallets];
      for (int i = 0; i < perThread; i++) {
        int w = (t + i) % wallets;
        int n = i;
        if (retrying(() -> gate.charge(accounts.get(w), DIME, 1, IdempotencyKey.of("t" + t + "-" + n), NOW)).isAllowed()) {
          allowed[w]++;
        }
      }
      return allowed;
    });

    long total = 0;
    for (int w = 0; w < wallets; w++) {
      long allowed = 0;
      for (long[] perWallet : allowedPerWallet) {
        allowed += perWallet[w];
      }
      total += allowed;
      AccountId account = accounts.get(w);
      boolean rich = w % 2 == 0;
      // 400 attempts of 0.1 each: 130 credits afford all 400 (40), 30 credits afford 300.
      assertEquals(rich ? 400 : 300, allowed, account + " allowed");
      assertEquals(rich ? Credits.of(90) : Credits.ZERO, gate.status(account, NOW).available(), account + " balance");
      assertEquals(allowed, countOf(ledger(store, account), LedgerEntry.Kind.DEBIT));
      assertConserved(account);
    }
    assertEquals(10 * 400 + 10 * 300, total);
  }

  @Test
  @DisplayName("8 threads sending the same charge with the same key charge once (200 rounds)")
  void sameKeyChargesOnce() throws Exception {
    AccountId alice = wallet("alice", true);
    int rounds = 200;
    Credits cost = gate.costTable().costOf(Operation.AI_CHAT_MESSAGE).of(2_000);
    assertEquals(Credits.parse("0.3"), cost);

    for (int round = 0; round < rounds; round++) {
      IdempotencyKey key = IdempotencyKey.of("msg-" + round);
      List<Decision> results = together(t -> retrying(() -> gate.charge(alice, Operation.AI_CHAT_MESSAGE, 2_000, key, NOW)));
      for (Decision d : results) {
        assertTrue(d.isAllowed());
        assertEquals(results.get(0), d, "every caller gets the first result (round " + round + ")");
      }
      long debits = ledger(store, alice).stream()
          .filter(e -> e.kind() == LedgerEntry.Kind.DEBIT && e.key().equals(key.value())).count();
      assertEquals(1, debits, "charged once in round " + round);
    }
    assertEquals(Credits.of(130).minus(cost.times(rounds)), gate.status(alice, NOW).available());
    assertConserved(alice);
  }

  @Test
  @DisplayName("8 threads x 50 top-ups with distinct payment ids: all 400 land")
  void distinctTopUpsAllLand() throws Exception {
    AccountId alice = wallet("alice", false);
    int perThread = 50;

    List<List<TopUp>> results = together(t -> {
      List<TopUp> mine = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        int n = i;
        mine.add(retrying(() -> gate.topUp(alice, "small", IdempotencyKey.of("pay-" + t + "-" + n), NOW)));
      }
      return mine;
    });

    Set<Credits> balancesAfter = new HashSet<>();
    Set<String> grants = new HashSet<>();
    for (List<TopUp> mine : results) {
      for (TopUp topUp : mine) {
        assertTrue(balancesAfter.add(topUp.balanceAfter()), "two top-ups saw the same balance: " + topUp);
        assertTrue(grants.add(topUp.grant()));
      }
    }
    int count = THREADS * perThread;
    assertEquals(count, grants.size());
    assertEquals(Credits.of(30 + 100L * count), gate.status(alice, NOW).available());
    assertEquals(Credits.of(100L * count), gate.status(alice, NOW).packs());
    List<LedgerEntry> entries = ledger(store, alice);
    assertEquals(count, entries.stream()
        .filter(e -> e.kind() == LedgerEntry.Kind.GRANT && e.grant().startsWith("pack:")).count());
    assertEquals(count, sink.of(WalletEvent.CreditsGranted.class).size());
    assertConserved(alice);
  }

  @Test
  @DisplayName("8 threads delivering the same top-up webhook grant once (100 rounds)")
  void sameWebhookGrantsOnce() throws Exception {
    AccountId alice = wallet("alice", false);
    int rounds = 100;

    for (int round = 0; round < rounds; round++) {
      IdempotencyKey payment = IdempotencyKey.of("pi_" + round);
      List<TopUp> results = together(t -> retrying(() -> gate.topUp(alice, "small", payment, NOW)));
      for (TopUp topUp : results) {
        assertEquals(results.get(0), topUp, "every delivery gets the first result (round " + round + ")");
      }
    }
    assertEquals(Credits.of(30 + 100L * rounds), gate.status(alice, NOW).available());
    assertEquals(rounds, sink.of(WalletEvent.CreditsGranted.class).size());
    assertConserved(alice);
  }

  @Test
  @DisplayName("Charges and top-ups interleaved on one wallet: nothing lost either way")
  void chargesAndTopUpsTogether() throws Exception {
    AccountId alice = wallet("alice", true); // 130
    int charges = 2_000;
    int topUps = 25;

    List<Long> allowed = together(t -> {
      long ok = 0;
      if (t % 2 == 0) {
        for (int i = 0; i < charges; i++) {
          int n = i;
          if (retrying(() -> gate.charge(alice, CENT, 1, IdempotencyKey.of("c" + t + "-" + n), NOW)).isAllowed()) {
            ok++;
          }
        }
      } else {
        for (int i = 0; i < topUps; i++) {
          int n = i;
          retrying(() -> gate.topUp(alice, "small", IdempotencyKey.of("p" + t + "-" + n), NOW));
        }
      }
      return ok;
    });

    long charged = allowed.stream().mapToLong(Long::longValue).sum();
    // 4 threads x 2,000 x 0.01 = 80 credits, always covered by the 130 held from the start.
    assertEquals(4L * charges, charged);
    Credits expected = Credits.of(130 + 4L * topUps * 100).minus(Credits.parse("0.01").times(charged));
    assertEquals(expected, gate.status(alice, NOW).available());
    assertConserved(alice);
  }

  // -----------------------------------------------------------------------------------------------

  /**
   * The same-key race made deterministic: a store that delegates to the real in-memory store and
   * holds one chosen thread right after its idempotency lookup, until the test lets it go.
   */
  @Nested
  @DisplayName("A repeated call whose key lookup raced the first call's commit")
  class SameKeyInterleaving {
    private final InMemoryWalletStore real = InMemoryWalletStore.create();
    private final PausingStore pausing = new PausingStore(real);
    private final CreditGate raced = CreditGate.builder(pausing).build();
    private final AccountId bob = AccountId.of("bob");

    /** Runs {@code late} on its own thread, held after its key lookup while {@code meanwhile} runs. */
    private <R> R lateCall(Supplier<R> late, Runnable meanwhile) throws Exception {
      raced.openWallet(bob, ZoneOffset.UTC, T0);
      Future<R> result = pool.submit(() -> {
        pausing.paused = Thread.currentThread();
        return late.get();
      });
      assertTrue(pausing.lookedUp.await(10, TimeUnit.SECONDS));
      meanwhile.run();
      pausing.release.countDown();
      return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("The same charge key charges once")
    void chargeOnce() throws Exception {
      IdempotencyKey key = IdempotencyKey.of("msg-1");
      Decision[] first = new Decision[1];
      Decision late = lateCall(() -> raced.charge(bob, Operation.GENERATE_IMAGE, 1, key, NOW),
          () -> first[0] = raced.charge(bob, Operation.GENERATE_IMAGE, 1, key, NOW));
      assertEquals(first[0], late);
      assertEquals(Credits.of(28), raced.status(bob, NOW).available(), "30 less one image of 2");
      assertEquals(1, ledger(real, bob).stream().filter(e -> e.kind() == Kind.DEBIT).count());
    }

    @Test
    @DisplayName("The same payment id grants once, even if the first grant was spent meanwhile")
    void grantOnce() throws Exception {
      IdempotencyKey payment = IdempotencyKey.of("pi_1");
      TopUp[] first = new TopUp[1];
      TopUp late = lateCall(() -> raced.topUp(bob, "small", payment, NOW), () -> {
        first[0] = raced.topUp(bob, "small", payment, NOW);
        assertTrue(raced.charge(bob, Operation.GENERATE_IMAGE, 65, IdempotencyKey.of("spend"), NOW).isAllowed());
      });
      assertEquals(first[0], late);
      assertEquals(Credits.ZERO, raced.status(bob, NOW).available(), "130 granted in all, 130 spent");
      assertEquals(1, ledger(real, bob).stream()
          .filter(e -> e.kind() == Kind.GRANT && e.grant().equals("pack:pi_1")).count());
    }
  }

  /** Delegates everything to a real store; holds the {@code paused} thread after its first key lookup. */
  static final class PausingStore extends ForwardingWalletStore {
    volatile Thread paused;
    final CountDownLatch lookedUp = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    PausingStore(WalletStore real) {
      super(real);
    }

    @Override
    public Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
      Optional<IdempotencyRecord> found = super.findRecord(account, key);
      if (Thread.currentThread() == paused && lookedUp.getCount() > 0) {
        lookedUp.countDown();
        boolean released;
        try {
          released = release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while held after the key lookup", e);
        }
        // A late call that went on without being let go would not have raced the first call at all.
        assertTrue(released, "the held call was never let go: the race did not happen as staged");
      }
      return found;
    }

    /** None: the gate runs its optimistic loop, so the pause falls between a decision and its commit. */
    @Override
    public Optional<WalletTransaction> transaction() {
      return Optional.empty();
    }
  }
}
