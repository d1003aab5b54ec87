package dev.creditgate;

import static dev.creditgate.GateTestKit.ledger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Upgrades under {@link UpgradePolicy#KEEP_RENEWAL_DATE} (docs/gate.md, "Plans"): the credits left
 * stay and the allowance difference is granted prorated to the part of the period left, to the
 * nanosecond, rounded down to the thousandth; {@link UpgradePolicy#RESTART_PERIOD} still grants
 * the whole allowance with a new period.
 */
class ProratedUpgradesTest {
  private static final AccountId MAYA = AccountId.of("maya");
  /** April 2026 has 30 days: a period from 1 April to 1 May is 2,592,000 seconds long. */
  private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
  private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();
  private final CreditGate keeping = CreditGate.builder(store).eventSink(sink)
      .upgradePolicy(UpgradePolicy.KEEP_RENEWAL_DATE).build();
  private int keys;

  private IdempotencyKey key() {
    return IdempotencyKey.of("k" + ++keys);
  }

  /** The subscription credits after Maya, opened on Free on 1 April, upgrades to {@code plan} at {@code at}. */
  private Credits upgradeAt(String plan, Instant at) {
    keeping.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    keeping.changePlan(MAYA, plan, key(), at);
    return keeping.status(MAYA, at).subscription();
  }

  @Test
  void halfwayThroughThePeriodTheCreditsLeftStayAndHalfTheDifferenceIsGranted() {
    Instant halfway = APRIL.plus(Duration.ofDays(15));
    assertEquals(Credits.of(30 + 60), upgradeAt("pro", halfway), "30 left of Free, and (150 - 30) / 2");
    WalletStatus status = keeping.status(MAYA, halfway);
    assertEquals(List.of(APRIL, MAY), List.of(status.periodStart(), status.nextRenewal()), "the renewal date stays");
    assertEquals(List.of(new WalletEvent.PlanChanged(MAYA, halfway, "free", "pro", halfway)),
        sink.of(WalletEvent.PlanChanged.class));
    assertEquals(List.of(), sink.of(WalletEvent.SubscriptionCreditsExpired.class), "nothing expires at the upgrade");
    assertTrue(keeping.replay(MAYA).isConsistent());
  }

  @Test
  void spendingTheCheapPlanAndUpgradingADayBeforeTheRenewalBuysADaysShareNotAFullAllowance() {
    keeping.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    keeping.charge(MAYA, Operation.CONNECT_INTEGRATION, 6, key(), APRIL.plusSeconds(60)); // all 30
    Instant dayBefore = MAY.minus(Duration.ofDays(1));
    keeping.changePlan(MAYA, "pro", key(), dayBefore);
    assertEquals(Credits.of(4), keeping.status(MAYA, dayBefore).subscription(), "(150 - 30) / 30 days");
    assertEquals(List.of("GRANT subscription 4"), ledger(store, MAYA).stream()
        .filter(e -> e.at().equals(dayBefore)).map(e -> e.kind() + " " + e.grant() + " " + e.amount())
        .collect(Collectors.toList()));
    // The renewal grants Pro's whole allowance.
    assertEquals(Credits.of(150), keeping.status(MAYA, MAY).subscription());
  }

  @Test
  void exactlyAtThePeriodsStartTheWholeDifferenceAndOneNanosecondLaterOneThousandthLess() {
    assertEquals(Credits.of(150), upgradeAt("pro", APRIL));
    CreditGate other = CreditGate.builder(InMemoryWalletStore.create())
        .upgradePolicy(UpgradePolicy.KEEP_RENEWAL_DATE).build();
    other.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    other.changePlan(MAYA, "pro", key(), APRIL.plusNanos(1));
    // 120,000 thousandths x (length - 1 ns) / length = 119,999.99...: rounded down.
    assertEquals(Credits.parse("149.999"), other.status(MAYA, APRIL.plusNanos(1)).subscription());
  }

  @Test
  void oneNanosecondBeforeTheRenewalNothingAndExactlyAtItTheNewPeriodsWholeAllowance() {
    assertEquals(Credits.of(30), upgradeAt("pro", MAY.minusNanos(1)), "a nanosecond's share rounds down to 0");
    CreditGate other = CreditGate.builder(InMemoryWalletStore.create())
        .upgradePolicy(UpgradePolicy.KEEP_RENEWAL_DATE).build();
    other.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    other.changePlan(MAYA, "pro", key(), MAY);
    // The renewal comes first (Free's 30 for May), then the whole difference of May.
    assertEquals(Credits.of(150), other.status(MAYA, MAY).subscription());
  }

  @Test
  void theShareIsExactToTheThousandthAndRoundedDown() {
    Instant third = APRIL.plus(Duration.ofDays(10)); // 20 of 30 days left
    assertEquals(Credits.of(30 + 80), upgradeAt("pro", third));
    CreditGate other = CreditGate.builder(InMemoryWalletStore.create())
        .upgradePolicy(UpgradePolicy.KEEP_RENEWAL_DATE).build();
    other.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    Instant at = APRIL.plusSeconds(7); // 2,591,993 of 2,592,000 seconds left
    other.changePlan(MAYA, "team", key(), at);
    // (300 - 30) x 2,591,993 / 2,592,000 = 269.999270833...
    assertEquals(Credits.parse("299.999"), other.status(MAYA, at).subscription());
  }

  @Test
  void twoUpgradesInOnePeriodEachGrantTheirShareOfTheirDifference() {
    keeping.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    keeping.changePlan(MAYA, "pro", key(), APRIL.plus(Duration.ofDays(15)));   // + 120 / 2 = 60
    keeping.changePlan(MAYA, "team", key(), APRIL.plus(Duration.ofDays(24)));  // + 150 / 5 = 30
    assertEquals(Credits.of(30 + 60 + 30), keeping.status(MAYA, APRIL.plus(Duration.ofDays(24))).subscription());
  }

  @Test
  void aRepeatedUpgradeAnswersTheSameAndGrantsNothingMore() {
    keeping.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    Instant halfway = APRIL.plus(Duration.ofDays(15));
    PlanChange first = keeping.changePlan(MAYA, "pro", IdempotencyKey.of("up"), halfway);
    int entries = ledger(store, MAYA).size();
    assertEquals(first, keeping.changePlan(MAYA, "pro", IdempotencyKey.of("up"), halfway.plusSeconds(60)));
    assertEquals(Credits.of(90), first.balanceAfter());
    assertEquals(entries, ledger(store, MAYA).size());
  }

  @Test
  void restartingThePeriodStillExpiresTheOldCreditsAndGrantsTheWholeAllowance() {
    CreditGate restarting = CreditGate.builder(store).eventSink(sink).build();
    restarting.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    Instant dayBefore = MAY.minus(Duration.ofDays(1));
    restarting.changePlan(MAYA, "pro", key(), dayBefore);
    WalletStatus status = restarting.status(MAYA, dayBefore);
    assertEquals(List.of(Credits.of(150), dayBefore), List.of(status.subscription(), status.periodStart()));
    assertEquals(List.of(new WalletEvent.SubscriptionCreditsExpired(MAYA, dayBefore, Credits.of(30))),
        sink.of(WalletEvent.SubscriptionCreditsExpired.class));
    assertTrue(ledger(store, MAYA).stream().anyMatch(e -> e.kind() == LedgerEntry.Kind.EXPIRY));
  }

  @Test
  void prorationRoundsDownAndNeverExceedsTheDifference() {
    Instant start = APRIL;
    Instant end = MAY;
    assertEquals(Credits.of(120), Draft.prorated(Credits.of(120), start, start, end));
    assertEquals(Credits.of(120), Draft.prorated(Credits.of(120), start.minusSeconds(5), start, end),
        "a clock behind the period's start counts the whole period");
    assertEquals(Credits.ZERO, Draft.prorated(Credits.of(120), end, start, end));
    assertEquals(Credits.ZERO, Draft.prorated(Credits.of(120), end.minusNanos(1), start, end));
    assertEquals(Credits.parse("0.001"), Draft.prorated(Credits.ofThousandths(Long.MAX_VALUE), end.minusNanos(1),
        start, end).min(Credits.parse("0.001")), "no overflow: exact in big integers");
    assertEquals(Credits.ZERO, Draft.prorated(Credits.ZERO, start, start, end));
  }
}
