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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads on one gate and one in-memory store, started together. Every expected number is
 * exact: the amounts are chosen so that the credits divide evenly into the charges.
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
  private final CreditGate gate = CreditGate.builder()
      .store(store)
      .eventSink(sink)
      .costTable(CostTable.defaults().toBuilder()
          .fixed(CENT, Credits.parse("0.01"))
          .fixed(DIME, Credits.parse("0.1"))
          .build())
      .build();

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
    assertEquals(List.of(), store.load(account).orElseThrow().wallet().invariantViolations());
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
        mine.add(gate.charge(alice, CENT, 1, IdempotencyKey.of("t" + t + "-" + i), NOW));
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
        if (gate.charge(accounts.get(w), DIME, 1, IdempotencyKey.of("t" + t + "-" + i), NOW).isAllowed()) {
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
      List<Decision> results = together(t -> gate.charge(alice, Operation.AI_CHAT_MESSAGE, 2_000, key, NOW));
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
        mine.add(gate.topUp(alice, "small", IdempotencyKey.of("pay-" + t + "-" + i), NOW));
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
      List<TopUp> results = together(t -> gate.topUp(alice, "small", payment, NOW));
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
          if (gate.charge(alice, CENT, 1, IdempotencyKey.of("c" + t + "-" + i), NOW).isAllowed()) {
            ok++;
          }
        }
      } else {
        for (int i = 0; i < topUps; i++) {
          gate.topUp(alice, "small", IdempotencyKey.of("p" + t + "-" + i), NOW);
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
}
