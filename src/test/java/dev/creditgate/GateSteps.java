package dev.creditgate;

import dev.creditgate.model.Cost;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/** Generators for random walks through a wallet's life: time passing, charges, top-ups, plan changes. */
final class GateSteps {
  private GateSteps() {}

  /** One call a customer's host makes, or time passing between calls. */
  sealed interface Step permits Wait, Charge, TopUpPack, TopUpCustom, ChangePlan {}

  record Wait(Duration duration) implements Step {}

  record Charge(Operation operation, long quantity) implements Step {}

  record TopUpPack(String packId) implements Step {}

  record TopUpCustom(long cents) implements Step {
    Money price() {
      return new Money(cents, Money.usd("1").currency());
    }
  }

  record ChangePlan(String planId) implements Step {}

  static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneId.of("Europe/Paris"),
      ZoneId.of("America/New_York"), ZoneId.of("Australia/Sydney"), ZoneId.of("Australia/Lord_Howe"));

  static Arbitrary<ZoneId> zones() {
    return Arbitraries.of(ZONES);
  }

  /** Opening times from 2020 to 2035, any second of the day. */
  static Arbitrary<Instant> starts() {
    return Arbitraries.longs()
        .between(Instant.parse("2020-01-01T00:00:00Z").getEpochSecond(),
            Instant.parse("2035-01-01T00:00:00Z").getEpochSecond())
        .map(Instant::ofEpochSecond);
  }

  static Arbitrary<GateFixture.Config> configs() {
    Arbitrary<OverdraftPolicy> overdraft = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(OverdraftPolicy.NONE)),
        Tuple.of(1, Arbitraries.longs().between(1, 500_000).withDistribution(RandomDistribution.uniform()).map(t -> OverdraftPolicy.downTo(Credits.ofThousandths(t)))));
    return Combinators.combine(Arbitraries.of(SpendOrder.class), overdraft, Arbitraries.of(UpgradePolicy.class),
        customRates()).as(GateFixture.Config::new);
  }

  /** Credits per dollar for Custom packs, some of them rounding the credits down. */
  static Arbitrary<Credits> customRates() {
    return Arbitraries.of("10", "7.5", "3.333", "0.001", "12.345").map(Credits::parse);
  }

  static Arbitrary<Wait> waits() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(0, 12 * 60).map(Duration::ofMinutes)),
        Tuple.of(3, Arbitraries.longs().between(1, 40).map(Duration::ofDays)),
        Tuple.of(1, Arbitraries.longs().between(28, 160).map(Duration::ofDays)))
        .map(Wait::new);
  }

  /**
   * Charges of every operation of the default cost table; metered ones up to {@code maxTokens}
   * tokens (the default AI chat message costs 0.1 + 0.1 per 1,000 tokens).
   */
  static Arbitrary<Charge> charges(long maxTokens) {
    return Arbitraries.frequencyOf(Tuple.of(4, paidCharges(maxTokens)), Tuple.of(1, freeCharges()));
  }

  /** Charges of the operations that cost credits. */
  static Arbitrary<Charge> paidCharges(long maxTokens) {
    List<Arbitrary<Charge>> perOperation = new ArrayList<>();
    for (Map.Entry<Operation, Cost> entry : CostTable.defaults().costs().entrySet()) {
      Operation operation = entry.getKey();
      if (entry.getValue() instanceof Cost.Metered) {
        perOperation.add(Arbitraries.longs().between(0, maxTokens).withDistribution(RandomDistribution.uniform()).map(q -> new Charge(operation, q)));
      } else if (entry.getValue() instanceof Cost.Fixed) {
        perOperation.add(Arbitraries.longs().between(1, 6).map(q -> new Charge(operation, q)));
      }
    }
    return Arbitraries.oneOf(perOperation);
  }

  /** Charges of the operations that are free (allowed at any balance). */
  static Arbitrary<Charge> freeCharges() {
    List<Operation> free = new ArrayList<>();
    for (Map.Entry<Operation, Cost> entry : CostTable.defaults().costs().entrySet()) {
      if (entry.getValue().isFree()) {
        free.add(entry.getKey());
      }
    }
    return Combinators.combine(Arbitraries.of(free), Arbitraries.longs().between(0, 3)).as(Charge::new);
  }

  static Arbitrary<TopUpPack> packTopUps() {
    return Arbitraries.of("small", "medium", "large").map(TopUpPack::new);
  }

  static Arbitrary<TopUpCustom> customTopUps() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(500, 5_000)),
        Tuple.of(1, Arbitraries.longs().between(500, 100_000)))
        .map(TopUpCustom::new);
  }

  static Arbitrary<ChangePlan> planChanges() {
    return Arbitraries.of("free", "pro", "team").map(ChangePlan::new);
  }

  static Arbitrary<Step> asStep(Arbitrary<? extends Step> steps) {
    return steps.map(step -> (Step) step);
  }

  /** Walks of up to {@code maxSteps} steps. */
  static Arbitrary<List<Step>> walks(int maxSteps, long maxTokens) {
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        Tuple.of(8, asStep(charges(maxTokens))),
        Tuple.of(3, asStep(waits())),
        Tuple.of(1, asStep(packTopUps())),
        Tuple.of(1, asStep(customTopUps())),
        Tuple.of(1, asStep(planChanges())));
    return step.list().ofMinSize(1).ofMaxSize(maxSteps).withSizeDistribution(RandomDistribution.uniform());
  }
}
