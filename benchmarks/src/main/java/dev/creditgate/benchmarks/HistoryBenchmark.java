package dev.creditgate.benchmarks;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How a charge's cost grows with the wallet's history: with 1 to 1,000 pack grants (the charge
 * spends from the oldest, which stays non-empty), and with 10^2 to 10^6 ledger entries already kept.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class HistoryBenchmark {

  @State(Scope.Benchmark)
  public static class Packs {
    @Param({"1", "10", "100", "1000"})
    int grants;

    final AccountId account = AccountId.of("packs");
    CreditGate gate;
    long n;

    @Setup(Level.Trial)
    public void setUp() {
      gate = Fixtures.gate(Fixtures.boundedStore());
      gate.openWallet(account, java.time.ZoneOffset.UTC, Fixtures.T0);
      gate.adjust(account, dev.creditgate.model.Credits.of(-30), "no subscription", IdempotencyKey.of("zero"),
          Fixtures.T0);
      for (int i = 0; i < grants; i++) {
        // Never-expiring grants of a billion credits each: the oldest covers any run, so every
        // grant stays in the wallet and every charge is allowed (a denial would be a cheaper path).
        gate.adjust(account, dev.creditgate.model.Credits.of(1_000_000_000L), "grant " + i,
            IdempotencyKey.of("grant-" + i), Fixtures.T0);
      }
    }
  }

  @State(Scope.Benchmark)
  public static class Ledger {
    @Param({"100", "10000", "1000000"})
    int entries;

    final AccountId account = AccountId.of("ledger");
    CreditGate gate;
    long n;

    @Setup(Level.Trial)
    public void setUp() {
      InMemoryWalletStore store = InMemoryWalletStore.builder()
          .idempotencyRecordsFor(Duration.ofMinutes(1))
          .clock(Fixtures.CALLS)
          .build();
      gate = Fixtures.gate(store);
      Fixtures.openRich(gate, account);
      for (int i = 0; i < entries; i++) {
        gate.charge(account, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("pre-" + i), Fixtures.T0);
      }
    }
  }

  @Benchmark
  public Decision chargeWithPackGrants(Packs s) {
    return Fixtures.charge(s.gate, s.account, ++s.n);
  }

  @Benchmark
  public Decision chargeWithLedgerEntries(Ledger s) {
    return Fixtures.charge(s.gate, s.account, ++s.n);
  }
}
