package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.UNIT;
import static dev.creditgate.GateTestKit.defaultCostsPlusUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The threshold warnings through the gate (docs/gate.md, "Meter and warnings"; docs/decisions.md):
 * a spend that takes the available credits to or under a threshold warns once per crossing; a grant
 * that lifts them strictly above a threshold re-arms that threshold alone; a new period (a renewal,
 * an upgrade) arms them all against a new reference amount. A threshold is {@code percent}% of the
 * reference in thousandths, rounded down.
 */
class WarningsTest {
  private static final AccountId ALICE = AccountId.of("alice");

  private final RecordingSink sink = new RecordingSink();
  private int keys;

  private CreditGate gate(int... warnAt) {
    return CreditGate.builder(InMemoryWalletStore.create()).eventSink(sink).costTable(defaultCostsPlusUnit())
        .warnAt(warnAt).build();
  }

  /** A Free wallet (30 credits, reference 30) under the default thresholds, 20% and 0%. */
  private CreditGate freeWallet() {
    CreditGate gate = gate(20, 0);
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    return gate;
  }

  private IdempotencyKey key() {
    return IdempotencyKey.of("k" + ++keys);
  }

  /** Charges exactly {@code credits} (the test-only unit costs 0.001 each). */
  private Decision spend(CreditGate gate, String credits) {
    Decision d = gate.charge(ALICE, UNIT, Credits.parse(credits).thousandths(), key(), T0);
    assertTrue(d.isAllowed(), () -> "spending " + credits + ": " + d);
    return d;
  }

  /** A positive adjustment: a grant, like a top-up, that raises the reference by as much. */
  private void grant(CreditGate gate, String credits) {
    gate.adjust(ALICE, Credits.parse(credits), "goodwill", key(), T0);
  }

  private Credits available(CreditGate gate) {
    return gate.status(ALICE, T0).available();
  }

  @Test
  void aCaptureThatTakesTheBalanceTo20PercentWarns_theReserveBeforeItDidNot() {
    CreditGate gate = freeWallet();
    gate.reserve(ALICE, UNIT, 25_000, key(), T0); // 25 of 30 held: 5 available, no warning yet
    assertEquals(List.of(), sink.warnings(ALICE));

    HoldSettlement s = gate.capture(ALICE, IdempotencyKey.of("k1"), 25_000, Outcome.succeeded(), key(), T0);

    assertEquals(Credits.of(25), s.charged());
    assertEquals(List.of(20), sink.warnings(ALICE), "the capture spent the credits: 5 of 30 is under 20%");
    WalletEvent.ThresholdCrossed crossed = sink.of(WalletEvent.ThresholdCrossed.class).get(0);
    assertEquals(new WalletEvent.ThresholdCrossed(ALICE, T0, 20, Credits.of(5), Credits.of(30)), crossed);
  }

  @Test
  void anUpgradeStartsANewReferenceAmountAndArmsEveryWarningAgain() {
    CreditGate gate = freeWallet();
    spend(gate, "30");
    assertEquals(List.of(20, 0), sink.warnings(ALICE));

    gate.changePlan(ALICE, "pro", key(), T0); // Pro: 150 credits; the reference is 150 now

    assertEquals(Credits.of(150), gate.status(ALICE, T0).reference());
    spend(gate, "119.999"); // 30.001 left: above 20% of 150
    assertEquals(List.of(20, 0), sink.warnings(ALICE));
    spend(gate, "0.001"); // 30 = 20% of 150
    assertEquals(List.of(20, 0, 20), sink.warnings(ALICE), "the 20% warning was armed again by the upgrade");
    assertEquals(new WalletEvent.ThresholdCrossed(ALICE, T0, 20, Credits.of(30), Credits.of(150)),
        sink.of(WalletEvent.ThresholdCrossed.class).get(2));
    spend(gate, "30");
    assertEquals(List.of(20, 0, 20, 0), sink.warnings(ALICE));
  }

  @Test
  void anUpgradeKeepingTheRenewalDateAlsoStartsANewReferenceAmount() {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).eventSink(sink)
        .costTable(defaultCostsPlusUnit()).upgradePolicy(UpgradePolicy.KEEP_RENEWAL_DATE).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.topUp(ALICE, "small", key(), T0); // reference 130
    spend(gate, "110"); // 20 left of 130: 20% is 26
    assertEquals(List.of(20), sink.warnings(ALICE));

    // The 20 left are pack credits; at the period's start the whole difference, 120, is granted
    // (0.5: before, the whole allowance of 150).
    gate.changePlan(ALICE, "pro", key(), T0);

    assertEquals(Credits.of(140), gate.status(ALICE, T0).reference());
    spend(gate, "112"); // 28 = 20% of 140
    assertEquals(List.of(20, 20), sink.warnings(ALICE));
  }

  @Test
  void aGrantThatLiftsTheBalanceAbove0ButNotAbove20PercentArmsOnlyThe0PercentWarning() {
    CreditGate gate = freeWallet();
    spend(gate, "30");
    assertEquals(List.of(20, 0), sink.warnings(ALICE));

    grant(gate, "2"); // 2 of 32: above 0, under 20% (6.4)

    assertEquals(Meter.LOW, gate.status(ALICE, T0).meter());
    spend(gate, "1");
    assertEquals(List.of(20, 0), sink.warnings(ALICE), "1 of 32 is still under 20%, which stayed raised");
    spend(gate, "1");
    assertEquals(List.of(20, 0, 0), sink.warnings(ALICE), "the 0% warning alone was armed again");
  }

  @Test
  void aGrantThatLiftsTheBalanceAbove20ButNotAbove50PercentArmsOnlyThe20PercentWarning() {
    // (With 20% and 0% alone the other direction cannot happen: above 20% is above 0% too.)
    CreditGate gate = gate(50, 20, 0);
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    spend(gate, "25"); // 5 of 30: under 50% (15) and 20% (6)
    assertEquals(List.of(50, 20), sink.warnings(ALICE));

    grant(gate, "5"); // 10 of 35: above 20% (7), under 50% (17.5)
    spend(gate, "3"); // 7 = 20% of 35

    assertEquals(List.of(50, 20, 20), sink.warnings(ALICE), "20% warns again; 50% stayed raised");
    spend(gate, "7");
    assertEquals(List.of(50, 20, 20, 0), sink.warnings(ALICE), "0% was never raised, so it warns once");
  }

  @Test
  void aGrantThatLiftsTheBalanceAboveEveryThresholdArmsThemAll() {
    CreditGate gate = freeWallet();
    spend(gate, "30");
    gate.topUp(ALICE, "small", key(), T0); // 100 of 130
    spend(gate, "100");
    assertEquals(List.of(20, 0, 20, 0), sink.warnings(ALICE));
  }

  @Test
  void the0PercentWarningIsNotRepeatedBySpendsAtOrBelowZero() {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).eventSink(sink)
        .costTable(defaultCostsPlusUnit()).overdraft(OverdraftPolicy.downTo(Credits.of(10))).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    IdempotencyKey first = key();
    IdempotencyKey second = key();
    gate.reserve(ALICE, UNIT, 2_000, first, T0);
    gate.reserve(ALICE, UNIT, 3_000, second, T0); // 5 held, 25 available
    spend(gate, "25");
    assertEquals(List.of(20, 0), sink.warnings(ALICE));

    gate.capture(ALICE, first, 2_000, Outcome.succeeded(), key(), T0); // spends held credits: still 0
    assertEquals(Credits.ZERO, available(gate));
    assertEquals(List.of(20, 0), sink.warnings(ALICE), "a spend at 0 is no new crossing");

    gate.capture(ALICE, second, 3_000, Outcome.succeeded(), key(), T0);
    gate.adjust(ALICE, Credits.of(1), "a little", key(), T0); // 1 of 31: above 0 again
    spend(gate, "4"); // the overdraft's last operation: -3
    assertEquals(Credits.of(-3), available(gate));
    assertEquals(List.of(20, 0, 0), sink.warnings(ALICE), "re-armed by the grant, the fall below 0 warns once");
  }

  @Test
  void aReleasedHoldDoesNotArmAWarningAgain() {
    CreditGate gate = freeWallet();
    IdempotencyKey hold = key();
    gate.reserve(ALICE, UNIT, 10_000, hold, T0); // 20 available
    spend(gate, "20");
    assertEquals(List.of(20, 0), sink.warnings(ALICE));

    gate.release(ALICE, hold, key(), T0); // 10 available again, but no grant lifted them
    spend(gate, "10");

    assertEquals(List.of(20, 0), sink.warnings(ALICE));
  }

  @Test
  void aGrantThatLandsExactlyOnAThresholdDoesNotArmItAgain() {
    CreditGate gate = freeWallet();
    spend(gate, "28"); // 2 of 30
    assertEquals(List.of(20), sink.warnings(ALICE));

    grant(gate, "5"); // 7 of 35: exactly 20%, not above it

    assertEquals(Credits.of(7), available(gate));
    assertEquals(Credits.of(35), gate.status(ALICE, T0).reference());
    spend(gate, "0.001");
    assertEquals(List.of(20), sink.warnings(ALICE), "at the threshold is not above it: no new crossing");
  }

  @Test
  void aGrantThatLandsOneThousandthAboveAThresholdArmsItAgain() {
    CreditGate gate = freeWallet();
    spend(gate, "28");
    grant(gate, "5.001"); // 7.001 of 35.001: 20% of it is 7.0002, rounded down 7.000

    assertEquals(Meter.OK, gate.status(ALICE, T0).meter());
    spend(gate, "0.001");
    assertEquals(List.of(20, 20), sink.warnings(ALICE));
  }

  @Test
  void aThresholdOfAReferenceThatIsNotRoundIsItsPercentInThousandthsRoundedDown() {
    CreditGate gate = freeWallet();
    grant(gate, "0.099"); // reference 30.099: 20% of it is 6.0198, so the line is 6.019

    assertEquals(Credits.parse("30.099"), gate.status(ALICE, T0).reference());
    Decision above = spend(gate, "24.079"); // 6.020 left
    assertEquals(Meter.OK, above.meter(), "6.020 is above 6.0198");
    assertEquals(List.of(), sink.warnings(ALICE));

    Decision at = spend(gate, "0.001"); // 6.019 left
    assertEquals(Meter.LOW, at.meter(), "6.019 is under 6.0198");
    assertEquals(List.of(new WalletEvent.ThresholdCrossed(ALICE, T0, 20, Credits.parse("6.019"), Credits.parse("30.099"))),
        sink.of(WalletEvent.ThresholdCrossed.class));
  }

  @Test
  void aSpendWhileCreditsAreHeldWarnsByWhatIsAvailableNotByTheBalance() {
    CreditGate gate = freeWallet();
    gate.reserve(ALICE, UNIT, 10_000, key(), T0); // 10 held

    spend(gate, "14"); // balance 16, available 6 = 20% of 30

    assertEquals(List.of(new WalletEvent.ThresholdCrossed(ALICE, T0, 20, Credits.of(6), Credits.of(30))),
        sink.of(WalletEvent.ThresholdCrossed.class));
  }
}
