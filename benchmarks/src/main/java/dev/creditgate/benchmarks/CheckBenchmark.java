package dev.creditgate.benchmarks;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** {@code check} on the allowed path and on the denied path (which builds the three ways out). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CheckBenchmark {
  private final AccountId rich = AccountId.of("rich");
  private final AccountId empty = AccountId.of("empty");
  private CreditGate gate;

  @Setup
  public void setUp() {
    gate = Fixtures.gate(Fixtures.boundedStore());
    Fixtures.openRich(gate, rich);
    gate.openWallet(empty, java.time.ZoneOffset.UTC, Fixtures.T0);
    gate.adjust(empty, Credits.of(-30), "empty", IdempotencyKey.of("empty"), Fixtures.T0);
  }

  @Benchmark
  public Decision checkAllowed() {
    return gate.check(rich, Operation.AI_CHAT_MESSAGE, 2_000, Fixtures.NOW);
  }

  @Benchmark
  public Decision checkDenied() {
    return gate.check(empty, Operation.AI_CHAT_MESSAGE, 2_000, Fixtures.NOW);
  }
}
