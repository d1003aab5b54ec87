package dev.creditgate.testkit;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.LedgerReplay;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletState;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** The suite's shared values and helpers; every helper takes the store it works on. */
final class Fixtures {
  static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  /** Every wallet of the suite opens then: nanoseconds included, which a store must keep. */
  static final Instant T0 = Instant.parse("2026-03-02T08:00:00.123456789Z");
  static final Instant FAR_FUTURE = Instant.parse("3000-01-01T00:00:00Z");
  /** How long the holds of the hold index's wallets stay open. */
  static final Duration HOLD_TIME = Duration.ofMinutes(5);
  /** How long a concurrent test waits for its threads. */
  static final long TIMEOUT_SECONDS = 60;

  private Fixtures() {}

  static IdempotencyKey key(String value) {
    return IdempotencyKey.of(value);
  }

  /** Opens {@code account}'s wallet at {@link #T0} by a commit from version 0, and loads it. */
  static StoredWallet open(WalletStore store, AccountId account) {
    Commit opening = Changes.opening(account, T0);
    assertTrue(store.commit(opening), "the opening commit of " + account + " lost");
    return loaded(store, account);
  }

  static StoredWallet loaded(WalletStore store, AccountId account) {
    return store.load(account).orElseThrow(() -> new AssertionError("no wallet is stored for " + account));
  }

  static List<LedgerEntry> ledger(WalletStore store, AccountId account) {
    return ledger(store, account, Instant.EPOCH, FAR_FUTURE);
  }

  static List<LedgerEntry> ledger(WalletStore store, AccountId account, Instant from, Instant to) {
    List<LedgerEntry> entries = new ArrayList<>();
    try (Stream<LedgerEntry> read = store.readLedger(account, from, to)) {
      read.forEachOrdered(entries::add);
    }
    return entries;
  }

  static List<Instant> times(List<LedgerEntry> entries) {
    return entries.stream().map(LedgerEntry::at).toList();
  }

  /** Same version and the same state, text for text: stores keep states verbatim. */
  static void assertSameWallet(StoredWallet expected, StoredWallet actual) {
    assertEquals(expected.version(), actual.version(), "version");
    assertSameState(expected.state(), actual.state());
  }

  static void assertSameState(WalletState expected, WalletState actual) {
    assertEquals(expected.encoded(), actual.encoded(), "the state read back differs from the state committed");
  }

  /** {@code account}'s wallet is stored at {@code version} with the state {@code state}. */
  static void assertStored(WalletStore store, AccountId account, long version, WalletState state) {
    StoredWallet stored = loaded(store, account);
    assertEquals(version, stored.version(), "version of " + account);
    assertSameState(state, stored.state());
  }

  /**
   * Conservation: the ledger replays clean against the stored wallet, grant by grant, and its sums
   * are the balance and the held credits the gate reports at {@code at} (a time at which no
   * renewal or hold expiry is due).
   */
  static void assertLedgerMatchesWallet(WalletStore store, AccountId account, Instant at) {
    CreditGate gate = CreditGate.builder(store).build();
    LedgerReplay replay = gate.replay(account);
    assertTrue(replay.isConsistent(), () -> "the ledger of " + account + " does not replay: " + replay);
    Credits balance = Credits.ZERO;
    Credits held = Credits.ZERO;
    for (LedgerEntry e : ledger(store, account)) {
      if (e.kind().affectsBalance()) {
        balance = balance.plus(e.amount());
      } else {
        held = held.plus(e.amount());
      }
    }
    WalletStatus status = gate.status(account, at);
    assertEquals(status.balance(), balance, "ledger balance of " + account);
    assertEquals(status.held(), held, "ledger held total of " + account);
  }

  /**
   * Runs {@code threads} tasks at once (each released by one latch, so they really race) and
   * returns their results in task order; rethrows the first task's failure.
   */
  static <T> List<T> race(int threads, IntFunction<Callable<T>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<T> work = task.apply(i);
        futures.add(pool.submit(() -> {
          start.await();
          return work.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * What the gate does with a transaction: attempts {@code mutation} until an attempt is done
   * (an attempt that lost a race decides again from the fresh state), pausing a random while.
   */
  static <R> R attemptUntilDone(WalletTransaction tx, AccountId account, IdempotencyKey key, Mutation<R> mutation) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    int attempts = 0;
    while (System.nanoTime() < deadline) {
      attempts++;
      Optional<R> result = tx.attempt(account, key, mutation);
      if (result.isPresent()) {
        return result.get();
      }
      try {
        Thread.sleep(0, ThreadLocalRandom.current().nextInt(1_000_000));
        Thread.sleep(ThreadLocalRandom.current().nextInt(Math.min(attempts, 5)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while attempting a mutation of " + account, e);
      }
    }
    throw new AssertionError("no attempt of a mutation of " + account + " was done in " + attempts + " attempts");
  }
}
