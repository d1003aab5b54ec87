package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateSteps.Charge;
import dev.creditgate.GateSteps.Step;
import dev.creditgate.model.Operation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@code check}, {@code status} and free operations never write: the stored wallet, its version,
 * the ledger and the published events are the same before and after, whatever the wallet, the
 * request and its time (even when a renewal is due, or the request is bad).
 */
class ReadsNeverWritePropertiesTest {

  /** A read at the walk's current time plus {@code offset} (which may be in the past). */
  record Read(boolean status, Operation operation, long quantity, Duration offset) {}

  @Provide
  Arbitrary<GateFixture.Config> configs() {
    return GateSteps.configs();
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return GateSteps.zones();
  }

  @Provide
  Arbitrary<Instant> starts() {
    return GateSteps.starts();
  }

  @Provide
  Arbitrary<List<Step>> walks() {
    return GateSteps.walks(30, 1_000_000);
  }

  @Provide
  Arbitrary<Read> reads() {
    Arbitrary<Operation> operations = Arbitraries.frequencyOf(
        Tuple.of(8, GateSteps.charges(1_000_000).map(Charge::operation)),
        Tuple.of(1, Arbitraries.of("no-such-operation", "ai-chat").map(Operation::of)));
    Arbitrary<Long> quantities = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.longs().between(0, 2_000_000)),
        Tuple.of(1, Arbitraries.longs().between(-5, 0)),
        Tuple.of(1, Arbitraries.of(Long.MAX_VALUE, Long.MAX_VALUE / 100)));
    Arbitrary<Duration> offsets = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(Duration.ZERO)),
        Tuple.of(3, Arbitraries.longs().between(-30, 800).map(Duration::ofDays)),
        Tuple.of(1, Arbitraries.longs().between(-3600, 3600).map(Duration::ofSeconds)));
    return Combinators.combine(Arbitraries.of(true, false), operations, quantities, offsets).as(Read::new);
  }

  @Provide
  Arbitrary<List<Read>> readLists() {
    return reads().list().ofMinSize(1).ofMaxSize(10);
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void checkAndStatusNeverChangeTheStoredWalletVersionLedgerOrEvents(
      @ForAll("configs") GateFixture.Config config, @ForAll("zones") ZoneId zone, @ForAll("starts") Instant start,
      @ForAll("walks") List<Step> walk, @ForAll("readLists") List<Read> reads) {
    GateFixture f = GateFixture.open(config, zone, start);
    GateSteps.Books books = new GateSteps.Books();
    for (int i = 0; i < walk.size(); i++) {
      GateSteps.apply(f, books, walk.get(i));
      if (!reads.isEmpty()) {
        Read read = reads.get(i % reads.size());
        GateFixture.Snapshot before = f.snapshot();
        Instant at = f.now.plus(read.offset());
        try {
          if (read.status()) {
            f.gate.status(GateFixture.ACCOUNT, at);
          } else {
            f.gate.check(GateFixture.ACCOUNT, read.operation(), read.quantity(), at);
          }
        } catch (CreditGateException badRequest) {
          // bad input is refused; it must leave everything as it was, like any read
        }
        f.assertUnchangedSince(before, "after step " + i + ": " + read);
      }
    }
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void checkPredictsTheChargeAtTheSameTime_sameDecisionCostAndBalances(
      @ForAll("configs") GateFixture.Config config, @ForAll("zones") ZoneId zone, @ForAll("starts") Instant start,
      @ForAll("walks") List<Step> walk) {
    GateFixture f = GateFixture.open(config, zone, start);
    GateSteps.Books books = new GateSteps.Books();
    for (int i = 0; i < walk.size(); i++) {
      Step step = walk.get(i);
      if (step instanceof Charge charge) {
        Decision predicted = f.gate.check(GateFixture.ACCOUNT, charge.operation(), charge.quantity(), f.now);
        Decision actual = f.gate.charge(GateFixture.ACCOUNT, charge.operation(), charge.quantity(), f.nextKey(), f.now);
        assertEquals(predicted, actual, "step " + i + " " + step);
      } else {
        GateSteps.apply(f, books, step);
      }
    }
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void freeOperationsAreAlwaysAllowed_andNeverWrite(
      @ForAll("configs") GateFixture.Config config, @ForAll("zones") ZoneId zone, @ForAll("starts") Instant start,
      @ForAll("walks") List<Step> walk, @ForAll("freeCharges") List<Charge> freeCharges,
      @ForAll("reads") Read when) {
    GateFixture f = GateFixture.open(config, zone, start);
    GateSteps.Books books = new GateSteps.Books();
    for (Step step : walk) {
      GateSteps.apply(f, books, step);
    }
    for (Charge charge : freeCharges) {
      GateFixture.Snapshot before = f.snapshot();
      Instant at = f.now.plus(when.offset());
      Decision decision = f.gate.charge(GateFixture.ACCOUNT, charge.operation(), charge.quantity(), f.nextKey(), at);
      assertTrue(decision.isAllowed(), charge + " at " + at + ": " + decision);
      assertEquals(0, decision.cost().thousandths());
      f.assertUnchangedSince(before, "free " + charge);
    }
  }

  @Provide
  Arbitrary<List<Charge>> freeCharges() {
    return GateSteps.freeCharges().list().ofMinSize(1).ofMaxSize(5);
  }

  @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
  void aChargeWithBadInputThrowsAndChangesNothing(
      @ForAll("configs") GateFixture.Config config, @ForAll("zones") ZoneId zone, @ForAll("starts") Instant start,
      @ForAll("walks") List<Step> walk, @ForAll("badCharges") Charge bad) {
    GateFixture f = GateFixture.open(config, zone, start);
    GateSteps.Books books = new GateSteps.Books();
    for (Step step : walk) {
      GateSteps.apply(f, books, step);
    }
    GateFixture.Snapshot before = f.snapshot();
    assertThrows(CreditGateException.class,
        () -> f.gate.charge(GateFixture.ACCOUNT, bad.operation(), bad.quantity(), f.nextKey(), f.now), bad.toString());
    f.assertUnchangedSince(before, "bad " + bad);
  }

  /** Unknown operations, negative quantities, zero images, quantities whose fixed cost overflows. */
  @Provide
  Arbitrary<Charge> badCharges() {
    return Arbitraries.oneOf(
        Arbitraries.of("no-such-operation", "image").map(id -> new Charge(Operation.of(id), 1)),
        Combinators.combine(GateSteps.charges(10), Arbitraries.longs().between(Long.MIN_VALUE, -1))
            .as((c, q) -> new Charge(c.operation(), q)),
        Arbitraries.of(Operation.GENERATE_IMAGE, Operation.CONNECT_INTEGRATION).map(op -> new Charge(op, 0)),
        Arbitraries.of(Operation.GENERATE_IMAGE, Operation.CONNECT_INTEGRATION)
            .map(op -> new Charge(op, Long.MAX_VALUE)));
  }
}
