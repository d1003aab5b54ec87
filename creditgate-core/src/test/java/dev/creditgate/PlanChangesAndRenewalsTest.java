package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.UNIT;
import static dev.creditgate.GateTestKit.defaultCostsPlusUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.LedgerEntry.Kind;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.Plan;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Plan changes and renewals, through the gate: what each answers, the events it publishes field by
 * field, and the ledger it writes, in time order.
 */
class PlanChangesAndRenewalsTest {
  private static final AccountId ALICE = AccountId.of("alice");
  /** Free wallets opened at T0 (2025-01-15 09:00 UTC) renew on the 15th at 09:00 UTC. */
  private static final Instant FEB = Instant.parse("2025-02-15T09:00:00Z");
  private static final Instant MAR = Instant.parse("2025-03-15T09:00:00Z");
  private static final Instant APR = Instant.parse("2025-04-15T09:00:00Z");
  private static final Instant MAY = Instant.parse("2025-05-15T09:00:00Z");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();
  private int keys;

  private CreditGate gate(UpgradePolicy policy) {
    return CreditGate.builder(store).eventSink(sink).costTable(defaultCostsPlusUnit()).upgradePolicy(policy)
        .overdraft(OverdraftPolicy.downTo(Credits.of(50))).build();
  }

  private final CreditGate gate = gate(UpgradePolicy.RESTART_PERIOD);

  private IdempotencyKey key() {
    return IdempotencyKey.of("k" + ++keys);
  }

  /** The ledger's length now: where the entries of the next call start. */
  private int ledgerLength() {
    return GateTestKit.ledger(store, ALICE).size();
  }

  /**
   * The entries written since {@code from} without a key: those of the renewals and hold expiries
   * the call rolled over before its own change.
   */
  private List<LedgerEntry> rolledOverSince(int from) {
    List<LedgerEntry> ledger = GateTestKit.ledger(store, ALICE);
    return ledger.subList(from, ledger.size()).stream().filter(e -> e.key().isEmpty()).toList();
  }

  @Test
  void anUpgradeIsAnnouncedFromTheOldPlanToTheNewEffectiveAtOnce() {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    Instant at = T0.plusSeconds(3_600);
    sink.clear();

    PlanChange change = gate.changePlan(ALICE, "pro", key(), at);

    assertEquals(new PlanChange("free", "pro", true, at, Credits.of(150), List.of()), change);
    assertEquals(List.of(new WalletEvent.SubscriptionCreditsExpired(ALICE, at, Credits.of(30)),
        new WalletEvent.PlanChanged(ALICE, at, "free", "pro", at)), sink.events);
    assertEquals(at.plus(Duration.ofDays(31)), gate.status(ALICE, at).nextRenewal(), "the upgrade restarted the period");
  }

  /** Changed by 0.5: the credits left no longer expire at such an upgrade (see ProratedUpgradesTest). */
  @Test
  void anUpgradeKeepingTheRenewalDateIsAnnouncedTheSameWayAndExpiresNothing() {
    CreditGate keeping = gate(UpgradePolicy.KEEP_RENEWAL_DATE);
    keeping.openWallet(ALICE, ZoneOffset.UTC, T0);
    Instant at = T0.plusSeconds(3_600);
    sink.clear();

    keeping.changePlan(ALICE, "team", key(), at);

    assertEquals(List.of(new WalletEvent.PlanChanged(ALICE, at, "free", "team", at)), sink.events);
    assertEquals(FEB, keeping.status(ALICE, at).nextRenewal());
    assertEquals(T0, keeping.status(ALICE, at).periodStart());
  }

  @Test
  void aDowngradeIsAnnouncedEffectiveAtTheRenewal_andCancellingItToo() {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.changePlan(ALICE, "team", key(), T0); // the period restarts at T0: renewal on FEB still
    sink.clear();
    Instant down = T0.plusSeconds(60);
    Instant back = T0.plusSeconds(120);

    PlanChange downgrade = gate.changePlan(ALICE, "pro", key(), down);
    PlanChange cancel = gate.changePlan(ALICE, "team", key(), back);
    PlanChange nothing = gate.changePlan(ALICE, "team", key(), back.plusSeconds(1));

    assertEquals(new PlanChange("team", "pro", false, FEB, Credits.of(300), List.of()), downgrade);
    assertEquals(new PlanChange("team", "team", false, FEB, Credits.of(300), List.of()), cancel);
    assertEquals(new PlanChange("team", "team", false, FEB, Credits.of(300), List.of()), nothing);
    assertEquals(List.of(new WalletEvent.PlanChanged(ALICE, down, "team", "pro", FEB),
        new WalletEvent.PlanChanged(ALICE, back, "team", "team", FEB)), sink.events,
        "a cancellation goes from the plan in force to itself; choosing that plan again announces nothing");
    sink.clear();

    gate.status(ALICE, FEB); // a read: announces nothing, writes nothing
    gate.topUp(ALICE, "small", key(), FEB.plusSeconds(60));
    assertEquals(new WalletEvent.SubscriptionRenewed(ALICE, FEB, "team", Credits.of(300), MAR),
        sink.of(WalletEvent.SubscriptionRenewed.class).get(0), "the cancelled downgrade did not happen");
  }

  @Test
  void aRenewalIsAnnouncedWithItsTimePlanCreditsAndNextRenewal() {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.charge(ALICE, UNIT, 12_000, key(), T0); // 18 left to expire
    sink.clear();
    int before = ledgerLength();
    Instant touch = FEB.plusSeconds(3_600);

    TopUp topUp = gate.topUp(ALICE, "small", IdempotencyKey.of("pay"), touch);

    assertEquals(List.of(new WalletEvent.SubscriptionCreditsExpired(ALICE, FEB, Credits.of(18)),
        new WalletEvent.SubscriptionRenewed(ALICE, FEB, "free", Credits.of(30), MAR),
        new WalletEvent.CreditsGranted(ALICE, touch, "pack:pay", Credits.of(100))), sink.events);
    assertEquals(Credits.of(130), topUp.balanceAfter());
    assertEquals(List.of(
        new LedgerEntry(ALICE, FEB, Kind.EXPIRY, LedgerEntry.SUBSCRIPTION, Credits.of(-18), "", ""),
        new LedgerEntry(ALICE, FEB, Kind.GRANT, LedgerEntry.SUBSCRIPTION, Credits.of(30), "", "")), rolledOverSince(before));
  }

  @Test
  void aRenewalFirstExpiresTheHoldsDueBeforeIt() {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.changePlan(ALICE, "pro", key(), T0); // 150 credits, renewal on FEB
    gate.changePlan(ALICE, "free", key(), T0); // from FEB on: 30 credits
    Instant reserved = FEB.minus(Duration.ofMinutes(20));
    Instant expired = reserved.plus(CreditGateBuilder.DEFAULT_HOLD_TIME_TO_LIVE); // 5 minutes before FEB
    gate.reserve(ALICE, Operation.CONNECT_INTEGRATION, 20, IdempotencyKey.of("deploy"), reserved); // 100 held
    sink.clear();
    int before = ledgerLength();

    gate.topUp(ALICE, "small", key(), FEB.plusSeconds(3_600));

    // Had the hold been open at the renewal, it would have been trimmed to the 30 of Free first.
    assertEquals(List.of(
        new LedgerEntry(ALICE, expired, Kind.RELEASE, "deploy", Credits.of(-100), "connect-integration", ""),
        new LedgerEntry(ALICE, FEB, Kind.EXPIRY, LedgerEntry.SUBSCRIPTION, Credits.of(-150), "", ""),
        new LedgerEntry(ALICE, FEB, Kind.GRANT, LedgerEntry.SUBSCRIPTION, Credits.of(30), "", "")), rolledOverSince(before));
    assertEquals(Credits.of(130), gate.status(ALICE, FEB.plusSeconds(3_600)).available());
  }

  @Test
  void missedRenewalsWithADebtRepayItPeriodByPeriodAndAnnounceEachRenewal() {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.charge(ALICE, UNIT, 29_000, key(), T0);
    gate.charge(ALICE, UNIT, 51_000, key(), T0); // the overdraft's last operation: 50 owed
    assertEquals(Credits.of(50), gate.status(ALICE, T0).debt());
    sink.clear();
    int before = ledgerLength();
    Instant touch = APR.plusSeconds(60);

    gate.topUp(ALICE, "small", key(), touch);

    assertEquals(List.of(
        new WalletEvent.SubscriptionRenewed(ALICE, FEB, "free", Credits.of(30), MAR),
        new WalletEvent.SubscriptionRenewed(ALICE, MAR, "free", Credits.of(30), APR),
        new WalletEvent.SubscriptionCreditsExpired(ALICE, APR, Credits.of(10)),
        new WalletEvent.SubscriptionRenewed(ALICE, APR, "free", Credits.of(30), MAY)),
        sink.events.subList(0, 4));
    String repay = "repay-overdraft";
    assertEquals(List.of(
        new LedgerEntry(ALICE, FEB, Kind.GRANT, LedgerEntry.SUBSCRIPTION, Credits.of(30), "", ""),
        new LedgerEntry(ALICE, FEB, Kind.ADJUSTMENT, LedgerEntry.SUBSCRIPTION, Credits.of(-30), repay, ""),
        new LedgerEntry(ALICE, FEB, Kind.ADJUSTMENT, LedgerEntry.OVERDRAFT, Credits.of(30), repay, ""),
        new LedgerEntry(ALICE, MAR, Kind.GRANT, LedgerEntry.SUBSCRIPTION, Credits.of(30), "", ""),
        new LedgerEntry(ALICE, MAR, Kind.ADJUSTMENT, LedgerEntry.SUBSCRIPTION, Credits.of(-20), repay, ""),
        new LedgerEntry(ALICE, MAR, Kind.ADJUSTMENT, LedgerEntry.OVERDRAFT, Credits.of(20), repay, ""),
        new LedgerEntry(ALICE, APR, Kind.EXPIRY, LedgerEntry.SUBSCRIPTION, Credits.of(-10), "", ""),
        new LedgerEntry(ALICE, APR, Kind.GRANT, LedgerEntry.SUBSCRIPTION, Credits.of(30), "", "")), rolledOverSince(before));
    WalletStatus status = gate.status(ALICE, touch);
    assertEquals(Credits.ZERO, status.debt());
    assertEquals(Credits.of(130), status.available());
    assertEquals(APR, status.periodStart());
  }

  /** A host's catalog whose later (higher) plan has fewer seats and fewer credits than the first. */
  private static Catalog wideThenNarrow() {
    return Catalog.builder()
        .plan(new Plan("wide", "Wide", Money.usd("0"), Credits.of(100), 3, Set.of()))
        .plan(new Plan("narrow", "Narrow", Money.usd("50"), Credits.of(20), 1, Set.of()))
        .build();
  }

  @ParameterizedTest
  @EnumSource(UpgradePolicy.class)
  void anUpgradeToAPlanWithFewerSeatsRemovesTheLatestMembersAtOnce(UpgradePolicy policy) {
    CreditGate gate = CreditGate.builder(store).eventSink(sink).catalog(wideThenNarrow()).upgradePolicy(policy).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    List<AccountId> members = List.of(AccountId.of("m1"), AccountId.of("m2"), AccountId.of("m3"));
    for (AccountId member : members) {
      gate.addMember(ALICE, member, key(), T0);
    }
    sink.clear();
    Instant at = T0.plusSeconds(60);

    PlanChange change = gate.changePlan(ALICE, "narrow", key(), at);

    assertEquals(List.of(members.get(2), members.get(1)), change.membersToRemove());
    assertEquals(List.of(new WalletEvent.MemberRemoved(ALICE, at, members.get(2)),
        new WalletEvent.MemberRemoved(ALICE, at, members.get(1))), sink.of(WalletEvent.MemberRemoved.class));
    assertEquals(List.of(members.get(0)), gate.usage(ALICE, at).members().stream().map(MemberUsage::member).toList());
  }

  @Test
  void anUpgradeToAPlanWithFewerCreditsTrimsTheHoldsToWhatTheWalletHolds() {
    CreditGate gate = CreditGate.builder(store).eventSink(sink).catalog(wideThenNarrow())
        .costTable(defaultCostsPlusUnit()).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.reserve(ALICE, UNIT, 60_000, IdempotencyKey.of("job"), T0); // 60 of the 100 held
    int before = ledgerLength();
    Instant at = T0.plusSeconds(60);

    gate.changePlan(ALICE, "narrow", key(), at); // the 100 expire, 20 are granted

    WalletStatus status = gate.status(ALICE, at);
    assertEquals(Credits.of(20), status.held(), "the hold was trimmed to the 20 the wallet holds");
    assertEquals(Credits.ZERO, status.available());
    assertEquals(new LedgerEntry(ALICE, at, Kind.RELEASE, "job", Credits.of(-40), UNIT.id(), "k1"),
        GateTestKit.ledger(store, ALICE).get(before + 2));
    assertEquals(true, gate.replay(ALICE).isConsistent());
  }

  @Test
  void aRenewalMovedForwardByADaylightSavingGapHasNotHappenedBeforeItsMovedTime() {
    // Anchored at 02:30 New York time: on 9 March 2025 that time does not exist (02:00 -> 03:00),
    // so the renewal is at 03:30 EDT (07:30 UTC). A call at 03:00 EDT is still in the period before.
    ZoneId newYork = ZoneId.of("America/New_York");
    Instant opened = Instant.parse("2025-01-09T07:30:00Z"); // 02:30 EST
    Instant movedRenewal = Instant.parse("2025-03-09T07:30:00Z");
    gate.openWallet(ALICE, newYork, opened);
    gate.charge(ALICE, UNIT, 10_000, key(), opened); // 20 left

    Instant beforeIt = Instant.parse("2025-03-09T07:00:00Z"); // 03:00 EDT
    gate.charge(ALICE, UNIT, 1_000, key(), beforeIt); // rolls over the February renewal only

    WalletStatus status = gate.status(ALICE, beforeIt);
    assertEquals(Instant.parse("2025-02-09T07:30:00Z"), status.periodStart());
    assertEquals(movedRenewal, status.nextRenewal());
    assertEquals(Credits.of(29), status.available(), "February's 30 less the 1 just spent");
    assertEquals(Credits.of(30), gate.status(ALICE, movedRenewal).available(), "March's 30 arrive at 03:30 EDT");
  }

  @Test
  void overMissedRenewalsWithADebtAHoldExpiresBetweenTheRenewalsItFallsBetween() {
    CreditGate longHolds = CreditGate.builder(store).eventSink(sink).costTable(defaultCostsPlusUnit())
        .overdraft(OverdraftPolicy.downTo(Credits.of(50))).holdTimeToLive(Duration.ofDays(40)).build();
    longHolds.openWallet(ALICE, ZoneOffset.UTC, T0);
    longHolds.reserve(ALICE, UNIT, 1_000, IdempotencyKey.of("long-job"), T0); // expires 24 February
    longHolds.charge(ALICE, UNIT, 79_000, key(), T0); // 29 available + 50 overdraft: 49 owed
    int before = ledgerLength();

    longHolds.topUp(ALICE, "small", key(), APR.plusSeconds(60));

    String repay = "repay-overdraft";
    assertEquals(List.of(
        new LedgerEntry(ALICE, FEB, Kind.GRANT, LedgerEntry.SUBSCRIPTION, Credits.of(30), "", ""),
        new LedgerEntry(ALICE, FEB, Kind.ADJUSTMENT, LedgerEntry.SUBSCRIPTION, Credits.of(-30), repay, ""),
        new LedgerEntry(ALICE, FEB, Kind.ADJUSTMENT, LedgerEntry.OVERDRAFT, Credits.of(30), repay, ""),
        new LedgerEntry(ALICE, T0.plus(Duration.ofDays(40)), Kind.RELEASE, "long-job", Credits.of(-1), UNIT.id(), ""),
        new LedgerEntry(ALICE, MAR, Kind.GRANT, LedgerEntry.SUBSCRIPTION, Credits.of(30), "", ""),
        new LedgerEntry(ALICE, MAR, Kind.ADJUSTMENT, LedgerEntry.SUBSCRIPTION, Credits.of(-19), repay, ""),
        new LedgerEntry(ALICE, MAR, Kind.ADJUSTMENT, LedgerEntry.OVERDRAFT, Credits.of(19), repay, ""),
        new LedgerEntry(ALICE, APR, Kind.EXPIRY, LedgerEntry.SUBSCRIPTION, Credits.of(-11), "", ""),
        new LedgerEntry(ALICE, APR, Kind.GRANT, LedgerEntry.SUBSCRIPTION, Credits.of(30), "", "")),
        rolledOverSince(before), "in time order, as if the wallet had been touched every month");
  }
}
