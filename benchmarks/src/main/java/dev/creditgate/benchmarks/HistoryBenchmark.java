package dev.creditgate.benchmarks;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import dev.creditgate.model.Plan;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.util.Set;
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
 * How a charge's cost grows with the wallet's history and its work in flight: with 1 to 1,000 pack
 * grants (the charge spends from the oldest, which stays non-empty), with 10^2 to 10^6 ledger
 * entries already kept, with 1 and 1,000 open holds (reserved up front, none expiring in a run), and
 * on a team wallet with 1 and 1,000 members (each of whom has charged once; the benchmark charges
 * as the first).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
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

  @State(Scope.Benchmark)
  public static class Holds {
    @Param({"1", "1000"})
    int holds;

    final AccountId account = AccountId.of("holds");
    CreditGate gate;
    long n;

    @Setup(Level.Trial)
    public void setUp() {
      // Holds that outlive any run: the charges' times run on a millisecond per call from NOW.
      gate = CreditGate.builder(Fixtures.boundedStore()).holdTimeToLive(Duration.ofDays(365)).build();
      Fixtures.openRich(gate, account);
      for (int i = 0; i < holds; i++) {
        Fixtures.allowed(gate.reserve(account, Operation.AI_CHAT_MESSAGE, 2_000, IdempotencyKey.of("hold-" + i),
            Fixtures.T0));
      }
    }
  }

  @State(Scope.Benchmark)
  public static class Members {
    @Param({"1", "1000"})
    int members;

    final AccountId account = AccountId.of("team");
    AccountId first;
    CreditGate gate;
    long n;

    @Setup(Level.Trial)
    public void setUp() {
      // One plan, a team's with room for every member: each wallet opens on it.
      Catalog catalog = Catalog.builder()
          .plan(new Plan("team-1000", "Team of 1,000", Money.usd("49"), Credits.of(300), 1_000, Set.of()))
          .build();
      gate = CreditGate.builder(Fixtures.boundedStore()).catalog(catalog).build();
      Fixtures.openRich(gate, account);
      for (int i = 0; i < members; i++) {
        AccountId member = AccountId.of("member-" + i);
        gate.addMember(account, member, IdempotencyKey.of("add-" + i), Fixtures.T0);
        Fixtures.allowed(gate.charge(account, member, Operation.AI_CHAT_MESSAGE, 2_000,
            IdempotencyKey.of("first-" + i), Fixtures.T0));
      }
      first = AccountId.of("member-0");
    }
  }

  @Benchmark
  public Decision chargeWithOpenHolds(Holds s) {
    return Fixtures.charge(s.gate, s.account, ++s.n);
  }

  @Benchmark
  public Decision chargeWithTeamMembers(Members s) {
    return Fixtures.chargeAs(s.gate, s.account, s.first, ++s.n);
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
