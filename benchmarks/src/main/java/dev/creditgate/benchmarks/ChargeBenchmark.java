package dev.creditgate.benchmarks;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code charge} on the in-memory store, each with its ledger entry and idempotency record kept: one
 * thread on one wallet, two threads on one wallet, two threads over a million wallets.
 *
 * <p>Time advances a millisecond per charge (a thousand charges a second) and the store keeps the
 * idempotency records of the last minute, so the run reaches the steady state of a host with
 * bounded retention: each charge stores one record and ages one out, about 60,000 being kept. (At a
 * microsecond per charge nothing would age out during a run, and the figure would measure the
 * collector copying an ever-growing heap.) The heap is sized and touched up front so that the
 * first iterations do not pay the operating system for fresh pages.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Two forks: the threads-on-one-wallet figures move between JVMs more than within one.
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class ChargeBenchmark {

  @State(Scope.Benchmark)
  public static class OneWallet {
    final AccountId account = AccountId.of("one");
    final AtomicLong sequence = new AtomicLong();
    CreditGate gate;

    @Setup(Level.Trial)
    public void setUp() {
      gate = Fixtures.gate(Fixtures.boundedStore());
      Fixtures.openRich(gate, account);
    }

    /** How many charges lost a race (and decided again under the wallet's lock), in the fork's output. */
    @TearDown(Level.Trial)
    public void report() {
      System.out.println("charges " + sequence.get() + ", " + gate.retryStatistics());
    }
  }

  @State(Scope.Benchmark)
  public static class ManyWallets {
    @Param({"1000000"})
    int wallets;

    AccountId[] accounts;
    final AtomicLong sequence = new AtomicLong();
    CreditGate gate;

    @Setup(Level.Trial)
    public void setUp() {
      InMemoryWalletStore store = Fixtures.boundedStore();
      gate = Fixtures.gate(store);
      accounts = new AccountId[wallets];
      for (int i = 0; i < wallets; i++) {
        accounts[i] = AccountId.of("acct-" + i);
        Fixtures.openRich(gate, accounts[i]);
      }
    }
  }

  @Benchmark
  @Threads(1)
  public Decision oneThreadOneWallet(OneWallet s) {
    return Fixtures.charge(s.gate, s.account, s.sequence.incrementAndGet());
  }

  @Benchmark
  @Threads(2)
  public Decision twoThreadsOneWallet(OneWallet s) {
    return Fixtures.charge(s.gate, s.account, s.sequence.incrementAndGet());
  }

  @Benchmark
  @Threads(2)
  public Decision twoThreadsManyWallets(ManyWallets s) {
    long n = s.sequence.incrementAndGet();
    return Fixtures.charge(s.gate, s.accounts[(int) (mix(n) % s.wallets)], n);
  }

  /** Spreads consecutive numbers over the wallets so threads rarely meet on one. */
  private static long mix(long n) {
    long x = n * 0x9E3779B97F4A7C15L;
    return (x ^ (x >>> 31)) & Long.MAX_VALUE;
  }
}
