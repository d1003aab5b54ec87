package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.UNIT;
import static dev.creditgate.GateTestKit.defaultCostsPlusUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Cost;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.OutcomePolicy;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The edges of the gate's settings and of the values it answers with: each documented bound is
 * accepted exactly at its limit and refused one step beyond, and the answers compare by value.
 */
class SettingsAndValuesTest {
  private static final AccountId ALICE = AccountId.of("alice");

  private final RecordingSink sink = new RecordingSink();

  private CreditGate gateWarningAt(int... percents) {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).eventSink(sink)
        .costTable(defaultCostsPlusUnit()).warnAt(percents).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0); // Free: 30 credits
    return gate;
  }

  private static Decision spend(CreditGate gate, long thousandths, String key) {
    return gate.charge(ALICE, UNIT, thousandths, IdempotencyKey.of(key), T0);
  }

  // ----- warnAt --------------------------------------------------------------------------------

  @Test
  void warningsMayBeGivenInAnyOrder_theHighestNonZeroIsTheLowLineAndTheyArePublishedHighestFirst() {
    CreditGate gate = gateWarningAt(0, 5, 20);
    assertEquals(Meter.OK, spend(gate, 23_999, "a").meter(), "6.001 of 30");
    assertEquals(Meter.LOW, spend(gate, 1, "b").meter(), "6 is 20% of 30: the LOW line is 20, not 5");
    assertEquals(List.of(20), sink.warnings(ALICE));
    spend(gate, 6_000, "c"); // across 5% (1.5) and 0% in one charge
    assertEquals(List.of(20, 5, 0), sink.warnings(ALICE));
  }

  @Test
  void warningsAt0And100PercentAreAcceptedAndWarn() {
    CreditGate gate = gateWarningAt(100, 0);
    assertEquals(Meter.LOW, gate.status(ALICE, T0).meter(), "at 100% of the reference the meter is LOW");
    spend(gate, 1, "a");
    assertEquals(List.of(100), sink.warnings(ALICE), "the first spend takes the balance under 100%");
    spend(gate, 29_999, "b");
    assertEquals(List.of(100, 0), sink.warnings(ALICE));
  }

  @Test
  void aWarningOnlyAt0PercentLeavesTheMeterOkUntilEmpty() {
    CreditGate gate = gateWarningAt(0);
    assertEquals(Meter.OK, spend(gate, 29_999, "a").meter(), "no LOW line without a non-zero threshold");
    assertEquals(Meter.EMPTY, spend(gate, 1, "b").meter());
    assertEquals(List.of(0), sink.warnings(ALICE));
  }

  @Test
  void warningPercentsOutside0To100AreRefusedNamingTheValue() {
    for (int bad : new int[] {-1, 101}) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> CreditGate.builder(InMemoryWalletStore.create()).warnAt(20, bad));
      assertEquals(Optional.of("percents"), e.argument());
      assertEquals(Optional.of(Integer.toString(bad)), e.value());
    }
  }

  @Test
  void atMostMaxWarningsThresholdsAreAccepted() {
    int[] most = IntStream.range(0, CreditGateBuilder.MAX_WARNINGS).toArray();
    CreditGate gate = gateWarningAt(most);
    spend(gate, 30_000, "all");
    assertEquals(CreditGateBuilder.MAX_WARNINGS, sink.warnings(ALICE).size(), "every one of them warns once");

    int[] tooMany = IntStream.rangeClosed(0, CreditGateBuilder.MAX_WARNINGS).toArray();
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> CreditGate.builder(InMemoryWalletStore.create()).warnAt(tooMany));
    assertEquals(Optional.of(Integer.toString(CreditGateBuilder.MAX_WARNINGS + 1)), e.value());
  }

  // ----- holdTimeToLive ------------------------------------------------------------------------

  @Test
  void aHoldMayLiveExactlyTheLongestTimeToLiveAndNoLonger() {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create())
        .holdTimeToLive(CreditGateBuilder.MAX_HOLD_TIME_TO_LIVE).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.reserve(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("h"), T0);
    assertEquals(Credits.of(2), gate.status(ALICE, T0.plus(Duration.ofDays(28))).held());

    Duration longer = CreditGateBuilder.MAX_HOLD_TIME_TO_LIVE.plusNanos(1);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> CreditGate.builder(InMemoryWalletStore.create()).holdTimeToLive(longer));
    assertEquals(Optional.of(longer.toString()), e.value());
    assertThrows(InvalidRequestException.class,
        () -> CreditGate.builder(InMemoryWalletStore.create()).holdTimeToLive(Duration.ZERO));
    CreditGate.builder(InMemoryWalletStore.create()).holdTimeToLive(Duration.ofNanos(1)); // the shortest
  }

  // ----- OutcomePolicy -------------------------------------------------------------------------

  @Test
  void theDefaultOutcomePolicyChargesItsDocumentedShares() {
    OutcomePolicy p = OutcomePolicy.defaults();
    assertEquals(OutcomePolicy.ALL, p.share(Outcome.Kind.SUCCEEDED));
    assertEquals(5_000, p.share(Outcome.Kind.FAILED_AT_MODEL));
    assertEquals(2_500, p.share(Outcome.Kind.PLATFORM_ERROR));
    assertEquals(5_000, p.share(Outcome.Kind.RETRY));
    assertEquals(1_000, p.floor());
    OutcomePolicy copy = p.toBuilder().build();
    for (Outcome.Kind kind : Outcome.Kind.values()) {
      assertEquals(p.share(kind), copy.share(kind), kind::toString);
    }
    assertEquals(p.floor(), copy.floor());
    assertTrue(p.toString().contains("floor 1000"), p::toString);
  }

  @Test
  void outcomeSharesAndTheFloorAreBasisPointsFrom0To10000() {
    OutcomePolicy all = OutcomePolicy.defaults().toBuilder().share(Outcome.Kind.PLATFORM_ERROR, OutcomePolicy.ALL)
        .floor(0).share(Outcome.Kind.RETRY, 0).build();
    assertEquals(OutcomePolicy.ALL, all.share(Outcome.Kind.PLATFORM_ERROR));
    assertEquals(Credits.ZERO, all.charge(Outcome.retryOf(IdempotencyKey.of("first")), Credits.of(3)),
        "a share of 0 with no floor charges nothing");
    for (int bad : new int[] {-1, OutcomePolicy.ALL + 1}) {
      assertThrows(InvalidRequestException.class, () -> OutcomePolicy.builder().floor(bad), () -> "floor " + bad);
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> OutcomePolicy.builder().share(Outcome.Kind.SUCCEEDED, bad));
      assertEquals(Optional.of(Integer.toString(bad)), e.value());
    }
    OutcomePolicy.builder().floor(OutcomePolicy.ALL); // the highest floor is accepted
  }

  // ----- answers -------------------------------------------------------------------------------

  @Test
  void anAllowedDecisionEqualsAnotherOnlyWithEveryValueEqual() {
    Decision.Allowed a = new Decision.Allowed(Operation.GENERATE_IMAGE, 1, Credits.of(2), Credits.of(30),
        Credits.of(28), Meter.OK);
    Decision.Allowed same = new Decision.Allowed(Operation.GENERATE_IMAGE, 1, Credits.of(2), Credits.of(30),
        Credits.of(28), Meter.OK);
    assertEquals(a, same);
    assertEquals(a.hashCode(), same.hashCode());
    assertEquals("Allowed[operation=generate-image, quantity=1, cost=2, balanceBefore=30, balanceAfter=28, meter=OK,"
        + " pricing=not itemized]", a.toString());
    Decision.Allowed priced = new Decision.Allowed(Operation.GENERATE_IMAGE, 1, Credits.of(2), Credits.of(30),
        Credits.of(28), Meter.OK, Cost.fixed(Credits.of(2)).explain(1));
    assertEquals(priced, new Decision.Allowed(Operation.GENERATE_IMAGE, 1, Credits.of(2), Credits.of(30),
        Credits.of(28), Meter.OK, Cost.fixed(Credits.of(2)).explain(1)));
    assertEquals("Allowed[operation=generate-image, quantity=1, cost=2, balanceBefore=30, balanceAfter=28, meter=OK,"
        + " pricing=2]", priced.toString());
    List<Decision.Allowed> others = List.of(
        new Decision.Allowed(Operation.CONNECT_INTEGRATION, 1, Credits.of(2), Credits.of(30), Credits.of(28), Meter.OK),
        new Decision.Allowed(Operation.GENERATE_IMAGE, 2, Credits.of(2), Credits.of(30), Credits.of(28), Meter.OK),
        new Decision.Allowed(Operation.GENERATE_IMAGE, 1, Credits.of(3), Credits.of(30), Credits.of(28), Meter.OK),
        new Decision.Allowed(Operation.GENERATE_IMAGE, 1, Credits.of(2), Credits.of(31), Credits.of(28), Meter.OK),
        new Decision.Allowed(Operation.GENERATE_IMAGE, 1, Credits.of(2), Credits.of(30), Credits.of(27), Meter.OK),
        new Decision.Allowed(Operation.GENERATE_IMAGE, 1, Credits.of(2), Credits.of(30), Credits.of(28), Meter.LOW),
        priced,
        new Decision.Allowed(Operation.GENERATE_IMAGE, 1, Credits.of(2), Credits.of(30), Credits.of(28), Meter.OK,
            Cost.metered(Credits.of(1), Credits.of(1), 1).explain(1)));
    for (Decision.Allowed other : others) {
      assertNotEquals(a, other, other::toString);
    }
    assertFalse(a.equals(null));
  }

  @Test
  void anAdjustmentAnswersWithTheGrantItMadeOrNoneForATakeBack() {
    CreditGate gate = gateWarningAt(20, 0);
    BalanceChange added = gate.adjust(ALICE, Credits.of(5), "goodwill", IdempotencyKey.of("plus"), T0);
    BalanceChange taken = gate.adjust(ALICE, Credits.of(-3), "correction", IdempotencyKey.of("minus"), T0);
    assertEquals(new BalanceChange("adjustment:plus", Credits.of(5), Credits.of(35), Meter.OK), added);
    assertEquals(new BalanceChange("", Credits.of(-3), Credits.of(32), Meter.OK), taken);
  }

  @Test
  void anAdjustmentsReasonIsCheckedLikeAnId() {
    CreditGate gate = gateWarningAt(20, 0);
    String longest = "r".repeat(200);
    gate.adjust(ALICE, Credits.of(1), longest, IdempotencyKey.of("longest"), T0);
    gate.adjust(ALICE, Credits.of(1), "thanks \uD83D\uDE00", IdempotencyKey.of("emoji"), T0); // a proper pair
    List<String> bad = List.of("r".repeat(201), " ", "ends high \uD83D", "lone low \uDE00 inside", "nul \0");
    for (String reason : bad) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> gate.adjust(ALICE, Credits.of(1), reason, IdempotencyKey.of("bad"), T0), reason);
      assertEquals(Optional.of("reason"), e.argument());
    }
    assertEquals(Credits.of(32), gate.status(ALICE, T0).available(), "only the two good adjustments");
  }
}
