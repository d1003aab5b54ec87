package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.Catalog;
import dev.creditgate.model.Cost;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.model.WalletEvent;
import java.math.BigInteger;
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

  /**
   * The test's own books, in thousandths, kept from the gate's answers and the events it published
   * (never from the ledger): granted (the opening allowance, top-ups, upgrade allowances, renewals),
   * spent (allowed charges) and expired.
   */
  static final class Books {
    long granted;
    long spent;
    long expired;
    int denied;
    private int eventsSeen;

    /** Takes in the events published since the last call. */
    void readEvents(GateFixture f) {
      List<WalletEvent> events = f.events;
      for (; eventsSeen < events.size(); eventsSeen++) {
        WalletEvent event = events.get(eventsSeen);
        if (event instanceof WalletEvent.SubscriptionRenewed renewed) {
          assertEquals(f.catalog().plan(renewed.plan()).monthlyCredits(), renewed.credits(),
              "a renewal grants the plan's allowance");
          granted = Math.addExact(granted, renewed.credits().thousandths());
        } else if (event instanceof WalletEvent.SubscriptionCreditsExpired lapsed) {
          assertTrue(lapsed.credits().isPositive(), "an expiry event names what lapsed: " + lapsed);
          expired = Math.addExact(expired, lapsed.credits().thousandths());
        }
      }
    }

    @Override
    public String toString() {
      return "granted " + Credits.ofThousandths(granted) + ", spent " + Credits.ofThousandths(spent)
          + ", expired " + Credits.ofThousandths(expired);
    }
  }

  /** Runs one step through the gate, checking its answer and keeping the books. */
  static void apply(GateFixture f, Books books, Step step) {
    Catalog catalog = f.catalog();
    if (step instanceof Wait wait) {
      f.now = f.now.plus(wait.duration());
    } else if (step instanceof Charge charge) {
      Decision decision = f.gate.charge(GateFixture.ACCOUNT, charge.operation(), charge.quantity(), f.nextKey(), f.now);
      if (decision.isAllowed()) {
        books.spent = Math.addExact(books.spent, decision.cost().thousandths());
      } else {
        books.denied++;
      }
    } else if (step instanceof TopUpPack topUp) {
      TopUp result = f.gate.topUp(GateFixture.ACCOUNT, topUp.packId(), f.nextKey(), f.now);
      assertEquals(catalog.pack(topUp.packId()).credits(), result.credits(), "a pack grants its credits");
      books.granted = Math.addExact(books.granted, result.credits().thousandths());
    } else if (step instanceof TopUpCustom custom) {
      TopUp result = f.gate.topUpCustom(GateFixture.ACCOUNT, custom.price(), f.nextKey(), f.now);
      // price x rate, rounded down to the credit unit: cents x thousandths-per-dollar / 100
      long expected = BigInteger.valueOf(custom.cents())
          .multiply(BigInteger.valueOf(f.config.customCreditsPerDollar().thousandths()))
          .divide(BigInteger.valueOf(100)).longValueExact();
      assertEquals(expected, result.credits().thousandths(), "custom pack credits for " + custom.price());
      books.granted = Math.addExact(books.granted, result.credits().thousandths());
    } else if (step instanceof ChangePlan change) {
      dev.creditgate.WalletStatus was = f.gate.status(GateFixture.ACCOUNT, f.now);
      String before = was.plan();
      PlanChange result = f.gate.changePlan(GateFixture.ACCOUNT, change.planId(), f.nextKey(), f.now);
      boolean upgrade = catalog.rank(change.planId()) > catalog.rank(before);
      assertEquals(upgrade, result.immediate(), "only an upgrade is immediate: " + before + " -> " + change.planId());
      if (upgrade) {
        long granted = catalog.plan(change.planId()).monthlyCredits().thousandths();
        if (f.config.upgradePolicy() == UpgradePolicy.KEEP_RENEWAL_DATE) {
          // The difference, times the nanoseconds left of the period over its length, rounded down.
          long difference = Math.max(0, granted - catalog.plan(before).monthlyCredits().thousandths());
          long length = java.time.Duration.between(was.periodStart(), was.nextRenewal()).toNanos();
          long left = Math.min(length, java.time.Duration.between(f.now, was.nextRenewal()).toNanos());
          granted = BigInteger.valueOf(difference).multiply(BigInteger.valueOf(left))
              .divide(BigInteger.valueOf(length)).longValueExact();
        }
        books.granted = Math.addExact(books.granted, granted);
      }
    } else {
      throw new AssertionError("unknown step " + step);
    }
  }

}
