package dev.creditgate.postgresql;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Charges per second through the gate, the wallet lock against optimistic versioning, on one wallet
 * and on many, with 1, 4 and 16 threads (each with its own pooled connection); the median of three
 * alternating rounds of 3 s, each after 1 s of warm-up. Takes about 5 minutes. Not part of the
 * normal build; run it with
 * {@code CREDITGATE_BENCH=1 mvn -q -B test -Dtest=ContentionBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Prints a Markdown table and writes it to {@code target/contention.md}.
 */
@EnabledIfEnvironmentVariable(named = "CREDITGATE_BENCH", matches = ".+")
class ContentionBenchmark {
  private static final String SCHEMA = "creditgate_bench";
  private static final Operation BENCH = Operation.of("bench");
  private static final long WARMUP_MILLIS = 1_000;
  private static final long MEASURE_MILLIS = 3_000;
  private static final int ROUNDS = 3;
  private static final int MANY = 256;
  /** Calls that threw (a StoreException after the store's retries), over all runs. */
  private static final AtomicLong FAILURES = new AtomicLong();

  @Test
  void rowLockingAgainstOptimisticVersioning() throws Exception {
    TestDatabase db = TestDatabase.get();
    // Warm the JIT, the driver and the server up before anything is measured.
    run(db, JdbcWalletStore.Locking.WALLET_LOCK, MANY, 4);
    run(db, JdbcWalletStore.Locking.OPTIMISTIC, MANY, 4);
    StringBuilder table = new StringBuilder(
        "| wallets | threads | wallet lock (charges/s) | optimistic (charges/s) | optimistic / wallet lock "
            + "| calls that gave up (wallet lock / optimistic) |\n"
            + "|---|---:|---:|---:|---:|---:|\n");
    for (int wallets : new int[] {1, MANY}) {
      for (int threads : new int[] {1, 4, 16}) {
        // Rounds alternate the two modes, so that drift on the machine hits both alike.
        double[] rowLock = new double[ROUNDS];
        double[] optimistic = new double[ROUNDS];
        long rowLockFailures = FAILURES.get();
        long optimisticFailures = 0;
        for (int round = 0; round < ROUNDS; round++) {
          rowLock[round] = run(db, JdbcWalletStore.Locking.WALLET_LOCK, wallets, threads);
          long before = FAILURES.get();
          optimistic[round] = run(db, JdbcWalletStore.Locking.OPTIMISTIC, wallets, threads);
          optimisticFailures += FAILURES.get() - before;
        }
        rowLockFailures = FAILURES.get() - rowLockFailures - optimisticFailures;
        double r = median(rowLock);
        double o = median(optimistic);
        String line = String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %.2f | %d / %d |%n",
            wallets == 1 ? "one" : wallets + " (random)", threads, r, o, o / r, rowLockFailures, optimisticFailures);
        System.out.print(line + "   rounds: wallet lock " + java.util.Arrays.toString(rowLock) + ", optimistic "
            + java.util.Arrays.toString(optimistic) + "\n");
        table.append(line);
      }
    }
    System.out.println(table);
    Files.writeString(Path.of("target", "contention.md"), table.toString());
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double run(TestDatabase db, JdbcWalletStore.Locking locking, int walletCount, int threads)
      throws InterruptedException, IOException {
    db.recreate(SCHEMA);
    try (TestPool pool = db.pool(threads)) {
      CreditGate gate = CreditGate.builder(TestDatabase.store(pool, SCHEMA).locking(locking).build())
          .costTable(CostTable.defaults().toBuilder().fixed(BENCH, Credits.parse("0.001")).build())
          .build();
      Instant now = Instant.parse("2026-03-02T08:00:00Z");
      List<AccountId> wallets = new ArrayList<>();
      for (int i = 0; i < walletCount; i++) {
        AccountId id = AccountId.of("w" + i);
        gate.openWallet(id, ZoneId.of("UTC"), now);
        gate.topUp(id, "large", IdempotencyKey.of("pay-" + i), now);
        wallets.add(id);
      }
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong charges = new AtomicLong();
      AtomicLong denied = new AtomicLong();
      CountDownLatch done = new CountDownLatch(threads);
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Thread worker = new Thread(() -> {
          long i = 0;
          try {
            while (!stop.get()) {
              AccountId wallet = wallets.get(ThreadLocalRandom.current().nextInt(wallets.size()));
              boolean allowed;
              try {
                allowed = gate.charge(wallet, BENCH, 1, IdempotencyKey.of(thread + "-" + i++), now).isAllowed();
              } catch (StoreException e) {
                if (measuring.get()) {
                  FAILURES.incrementAndGet();
                }
                continue;
              }
              if (measuring.get()) {
                charges.incrementAndGet();
                if (!allowed) {
                  denied.incrementAndGet();
                }
              }
            }
          } finally {
            done.countDown();
          }
        });
        worker.setDaemon(true);
        worker.start();
      }
      Thread.sleep(WARMUP_MILLIS);
      measuring.set(true);
      long start = System.nanoTime();
      Thread.sleep(MEASURE_MILLIS);
      measuring.set(false);
      long elapsed = System.nanoTime() - start;
      stop.set(true);
      done.await();
      if (denied.get() > 0) {
        throw new IllegalStateException(denied.get() + " charges were denied: the wallets ran dry");
      }
      return charges.get() * 1e9 / elapsed;
    }
  }
}
