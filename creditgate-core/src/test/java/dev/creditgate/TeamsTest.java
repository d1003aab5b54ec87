package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.Plan;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TeamsTest {
  private static final Instant T0 = Instant.parse("2026-04-10T09:00:00Z");
  private static final AccountId TEAM = AccountId.of("team-acme");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final List<WalletEvent> events = new ArrayList<>();
  private final CreditGate gate = CreditGate.builder(store).eventSink((id, event) -> events.add(event)).build();
  private int keys;

  private IdempotencyKey key() {
    return IdempotencyKey.of("k" + (++keys));
  }

  private static AccountId member(int n) {
    return AccountId.of("member-" + n);
  }

  private void openOn(String plan) {
    gate.openWallet(TEAM, ZoneOffset.UTC, T0);
    if (!plan.equals("free")) {
      gate.changePlan(TEAM, plan, key(), T0);
    }
  }

  private SeatDecision add(int n) {
    return gate.addMember(TEAM, member(n), key(), T0);
  }

  @Test
  void membersFillTheTeamPlanUpToExactlyItsSeatCount() {
    openOn("team");
    for (int n = 1; n <= 5; n++) {
      SeatDecision d = add(n);
      assertInstanceOf(SeatDecision.Added.class, d);
      assertEquals(n, d.seatsUsed());
      assertEquals(5, d.seats());
    }
  }

  @Test
  void oneMemberOverTheSeatCountIsDeniedAndNothingChanges() {
    openOn("team");
    for (int n = 1; n <= 5; n++) {
      add(n);
    }
    StoredWallet before = store.load(TEAM).orElseThrow();
    SeatDecision.Denied denied = assertInstanceOf(SeatDecision.Denied.class, add(6));
    assertEquals(5, denied.seats());
    assertEquals("all 5 seats of the team plan are taken", denied.reason());
    assertEquals(before, store.load(TEAM).orElseThrow());
  }

  @Test
  void theDenialNamesTheCountAndThePlanThatHasMoreSeats() {
    openOn("pro");
    add(1);
    SeatDecision.Denied denied = assertInstanceOf(SeatDecision.Denied.class, add(2));
    assertEquals("team", denied.planWithMoreSeats().orElseThrow().id());
    assertEquals("the only seat of the pro plan is taken; the Team plan has 5 seats", denied.reason());
  }

  @Test
  void anUpgradeAddsSeatsAtOnce() {
    openOn("pro");
    add(1);
    assertInstanceOf(SeatDecision.Denied.class, add(2));
    gate.changePlan(TEAM, "team", key(), T0.plusSeconds(60));
    assertInstanceOf(SeatDecision.Added.class, gate.addMember(TEAM, member(2), key(), T0.plusSeconds(61)));
  }

  @Test
  void aDowngradeBelowTheMembersSaysWhoMustGoAndRemovesThemAtRenewal() {
    openOn("team");
    for (int n = 1; n <= 3; n++) {
      add(n);
    }
    PlanChange change = gate.changePlan(TEAM, "pro", key(), T0.plusSeconds(60));
    assertFalse(change.immediate());
    assertEquals(List.of(member(3), member(2)), change.membersToRemove(), "the latest to join go first");
    Instant beforeRenewal = change.effectiveAt().minusSeconds(1);
    assertEquals(3, gate.usage(TEAM, beforeRenewal).members().size(), "nothing changes before renewal");
    assertTrue(gate.has(TEAM, Catalog.PRIORITY_SUPPORT, beforeRenewal));

    Instant afterRenewal = change.effectiveAt().plusSeconds(1);
    gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 1, key(), afterRenewal);
    assertEquals(List.of(member(1)), gate.usage(TEAM, afterRenewal).members().stream().map(MemberUsage::member).toList());
    assertEquals(OptionalLong.of(1), gate.limit(TEAM, Plan.SEATS, afterRenewal));
    assertTrue(events.contains(new WalletEvent.MemberRemoved(TEAM, change.effectiveAt(), member(3))));
    assertThrows(UnknownMemberException.class,
        () -> gate.charge(TEAM, member(2), Operation.GENERATE_IMAGE, 1, key(), afterRenewal));
  }

  @Test
  void aMemberOverTheirCapIsDeniedForTheCapNotForTheWallet() {
    openOn("team"); // 300 credits
    add(1);
    gate.setMemberCap(TEAM, member(1), Optional.of(Credits.of(5)), key(), T0);
    assertTrue(gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 2, key(), T0).isAllowed()); // 4
    Decision d = gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 1, key(), T0);
    Decision.Denied denied = assertInstanceOf(Decision.Denied.class, d);
    assertEquals(Decision.Reason.MEMBER_CAP_REACHED, denied.reason());
    assertEquals(Credits.of(1), denied.shortfall());
    assertEquals(Credits.of(296), denied.balanceBefore(), "the wallet still has credits");
    assertTrue(denied.waysOut().topUp().smallestPack().isEmpty(), "a pack does not lift a cap");
    assertTrue(gate.charge(TEAM, Operation.GENERATE_IMAGE, 1, key(), T0).isAllowed(), "the team itself still can");
  }

  @Test
  void anEmptyTeamWalletDeniesAMemberForCreditsNotForTheCap() {
    openOn("team");
    add(1);
    gate.setMemberCap(TEAM, member(1), Optional.of(Credits.of(1000)), key(), T0);
    gate.adjust(TEAM, Credits.of(-299), "spend down", key(), T0);
    Decision.Denied denied = assertInstanceOf(Decision.Denied.class,
        gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 1, key(), T0));
    assertEquals(Decision.Reason.INSUFFICIENT_CREDITS, denied.reason());
  }

  @Test
  void holdsCountAgainstTheCapAndCapturesAreCappedAtWhatIsLeft() {
    openOn("team");
    add(1);
    gate.setMemberCap(TEAM, member(1), Optional.of(Credits.of(10)), key(), T0);
    IdempotencyKey hold = key();
    assertTrue(gate.reserve(TEAM, member(1), Operation.AI_CHAT_MESSAGE, 60_000, hold, T0).isAllowed()); // 6.1
    assertInstanceOf(Decision.Denied.class, gate.check(TEAM, member(1), Operation.CONNECT_INTEGRATION, 1, T0));
    HoldSettlement s = gate.capture(TEAM, hold, 200_000, Outcome.succeeded(), key(), T0);
    assertEquals(Credits.of(10), s.charged());
    assertTrue(s.isShort());
    assertEquals(Credits.of(10), gate.usage(TEAM, T0).members().get(0).spent());
  }

  @Test
  void theCapResetsAtRenewal() {
    openOn("team");
    add(1);
    gate.setMemberCap(TEAM, member(1), Optional.of(Credits.of(4)), key(), T0);
    gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 2, key(), T0);
    assertFalse(gate.check(TEAM, member(1), Operation.GENERATE_IMAGE, 1, T0).isAllowed());
    Instant nextPeriod = gate.status(TEAM, T0).nextRenewal();
    assertTrue(gate.check(TEAM, member(1), Operation.GENERATE_IMAGE, 2, nextPeriod).isAllowed());
    assertEquals(Credits.ZERO, gate.usage(TEAM, nextPeriod).members().get(0).spent());
  }

  @Test
  void theUsageReportShowsWhatEachMemberSpentPerOperation() {
    openOn("team");
    add(1);
    add(2);
    gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 3, key(), T0);
    gate.charge(TEAM, member(1), Operation.AI_CHAT_MESSAGE, 2_000, key(), T0);
    gate.charge(TEAM, member(2), Operation.CONNECT_INTEGRATION, 1, key(), T0);
    gate.charge(TEAM, Operation.CONNECT_INTEGRATION, 1, key(), T0); // the team itself, no member
    UsageReport report = gate.usage(TEAM, T0.plusSeconds(1));
    assertEquals(T0, report.periodStart());
    assertEquals(new MemberUsage(member(1), Optional.empty(), Credits.parse("6.3"),
        Map.of(Operation.GENERATE_IMAGE, Credits.of(6), Operation.AI_CHAT_MESSAGE, Credits.parse("0.3"))),
        report.members().get(0));
    assertEquals(new MemberUsage(member(2), Optional.empty(), Credits.of(5),
        Map.of(Operation.CONNECT_INTEGRATION, Credits.of(5))), report.members().get(1));
  }

  @Test
  void entitlementsFollowThePlan() {
    openOn("free");
    assertFalse(gate.has(TEAM, Catalog.CUSTOM_DOMAINS, T0));
    assertFalse(gate.has(TEAM, Catalog.PRIORITY_SUPPORT, T0));
    assertEquals(OptionalLong.of(1), gate.limit(TEAM, Plan.SEATS, T0));
    assertEquals(OptionalLong.empty(), gate.limit(TEAM, "projects", T0));

    gate.changePlan(TEAM, "pro", key(), T0.plusSeconds(10));
    assertTrue(gate.has(TEAM, Catalog.CUSTOM_DOMAINS, T0.plusSeconds(10)), "upgrades count at once");
    assertFalse(gate.has(TEAM, Catalog.PRIORITY_SUPPORT, T0.plusSeconds(10)));

    gate.changePlan(TEAM, "team", key(), T0.plusSeconds(20));
    assertTrue(gate.has(TEAM, Catalog.PRIORITY_SUPPORT, T0.plusSeconds(20)));
    assertEquals(OptionalLong.of(5), gate.limit(TEAM, Plan.SEATS, T0.plusSeconds(20)));

    PlanChange down = gate.changePlan(TEAM, "free", key(), T0.plusSeconds(30));
    assertTrue(gate.has(TEAM, Catalog.PRIORITY_SUPPORT, down.effectiveAt().minusSeconds(1)),
        "a downgrade waits for the renewal");
    assertFalse(gate.has(TEAM, Catalog.PRIORITY_SUPPORT, down.effectiveAt()));
    assertEquals(OptionalLong.of(1), gate.limit(TEAM, Plan.SEATS, down.effectiveAt().plus(Duration.ofDays(1))));
  }

  @Test
  void aHostDeclaresItsOwnFeaturesAndLimitsPerPlan() {
    Catalog catalog = Catalog.builder()
        .plan(new Plan("solo", "Solo", dev.creditgate.model.Money.usd("0"), Credits.of(10), java.util.Set.of(),
            Map.of(Plan.SEATS, 1L, "projects", 3L)))
        .plan(new Plan("studio", "Studio", dev.creditgate.model.Money.usd("30"), Credits.of(200),
            java.util.Set.of("white-label"), Map.of(Plan.SEATS, 3L, "projects", 50L)))
        .build();
    CreditGate custom = CreditGate.builder(InMemoryWalletStore.create()).catalog(catalog).build();
    custom.openWallet(TEAM, ZoneOffset.UTC, T0);
    assertEquals(OptionalLong.of(3), custom.limit(TEAM, "projects", T0));
    custom.changePlan(TEAM, "studio", key(), T0);
    assertEquals(OptionalLong.of(50), custom.limit(TEAM, "projects", T0));
    assertTrue(custom.has(TEAM, "white-label", T0));
  }

  @Test
  void addingAMemberTwiceWithTheSameKeyAddsOnce() {
    openOn("team");
    IdempotencyKey k = key();
    SeatDecision first = gate.addMember(TEAM, member(1), k, T0);
    assertEquals(first, gate.addMember(TEAM, member(1), k, T0));
    assertEquals(1, gate.usage(TEAM, T0).members().size());
  }

  @Test
  void aMemberAddedIsAnnouncedWithTheTeamTheTimeAndTheMember() {
    openOn("team");
    events.clear();
    assertEquals(new SeatDecision.Added(member(1), 1, 5), add(1));
    assertEquals(new SeatDecision.Added(member(2), 2, 5), add(2));
    assertEquals(List.of(new WalletEvent.MemberAdded(TEAM, T0, member(1)), new WalletEvent.MemberAdded(TEAM, T0, member(2))),
        events);
  }

  @Test
  void aRemovedMemberFreesTheirSeatIsAnnouncedAndIsRefusedAfterwards() {
    openOn("pro"); // one seat
    add(1);
    IdempotencyKey hold = key();
    assertTrue(gate.reserve(TEAM, member(1), Operation.GENERATE_IMAGE, 1, hold, T0).isAllowed());
    events.clear();
    Instant later = T0.plusSeconds(60);

    assertEquals(0, gate.removeMember(TEAM, member(1), key(), later), "the members left");

    assertEquals(List.of(new WalletEvent.MemberRemoved(TEAM, later, member(1))), events);
    assertEquals(List.of(), gate.usage(TEAM, later).members());
    UnknownMemberException refused = assertThrows(UnknownMemberException.class,
        () -> gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 1, key(), later));
    assertEquals(TEAM, refused.account());
    assertEquals(member(1), refused.member());
    assertThrows(UnknownMemberException.class, () -> gate.check(TEAM, member(1), Operation.GENERATE_IMAGE, 1, later));
    assertThrows(UnknownMemberException.class, () -> gate.removeMember(TEAM, member(1), key(), later));
    assertEquals(new SeatDecision.Added(member(2), 1, 1), gate.addMember(TEAM, member(2), key(), later), "the seat is free");

    HoldSettlement s = gate.capture(TEAM, hold, 1, Outcome.succeeded(), key(), later);
    assertEquals(Credits.of(2), s.charged(), "the removed member's open hold is charged to the wallet");
    assertEquals(Credits.of(148), gate.status(TEAM, later).available());
  }

  @Test
  void theSameKeyUsedByAnotherMemberIsAConflictNotTheFirstMembersAnswer() {
    openOn("team");
    add(1);
    add(2);
    IdempotencyKey k = key();
    Decision first = gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 1, k, T0);
    assertTrue(first.isAllowed());
    assertEquals(first, gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 1, k, T0), "the same member's retry");

    IdempotencyConflictException conflict = assertThrows(IdempotencyConflictException.class,
        () -> gate.charge(TEAM, member(2), Operation.GENERATE_IMAGE, 1, k, T0));
    assertEquals(k, conflict.key());
    assertThrows(IdempotencyConflictException.class, () -> gate.charge(TEAM, Operation.GENERATE_IMAGE, 1, k, T0),
        "nor is it the team's own charge");
    IdempotencyKey r = key();
    assertTrue(gate.reserve(TEAM, member(1), Operation.GENERATE_IMAGE, 1, r, T0).isAllowed());
    assertThrows(IdempotencyConflictException.class,
        () -> gate.reserve(TEAM, member(2), Operation.GENERATE_IMAGE, 1, r, T0));

    UsageReport usage = gate.usage(TEAM, T0);
    assertEquals(Credits.of(2), usage.members().get(0).spent());
    assertEquals(Credits.ZERO, usage.members().get(1).spent());
    assertEquals(Credits.of(298), gate.status(TEAM, T0).balance(), "one image charged");
    assertEquals(Credits.of(296), gate.status(TEAM, T0).available(), "and one held");
  }

  @Test
  void anUpgradeThatRestartsThePeriodResetsWhatMembersSpent() {
    openOn("pro");
    add(1);
    gate.setMemberCap(TEAM, member(1), Optional.of(Credits.of(10)), key(), T0);
    gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 4, key(), T0); // 8 of 10
    Instant later = T0.plusSeconds(60);

    gate.changePlan(TEAM, "team", key(), later); // RESTART_PERIOD, the default

    MemberUsage usage = gate.usage(TEAM, later).members().get(0);
    assertEquals(new MemberUsage(member(1), Optional.of(Credits.of(10)), Credits.ZERO, Map.of()), usage);
    assertEquals(later, gate.usage(TEAM, later).periodStart());
    assertTrue(gate.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 5, key(), later).isAllowed(), "the whole cap again");
  }

  @Test
  void anUpgradeThatKeepsTheRenewalDateKeepsWhatMembersSpent() {
    CreditGate keeping = CreditGate.builder(InMemoryWalletStore.create())
        .upgradePolicy(dev.creditgate.model.UpgradePolicy.KEEP_RENEWAL_DATE).build();
    keeping.openWallet(TEAM, ZoneOffset.UTC, T0);
    keeping.changePlan(TEAM, "pro", key(), T0);
    keeping.addMember(TEAM, member(1), key(), T0);
    keeping.setMemberCap(TEAM, member(1), Optional.of(Credits.of(10)), key(), T0);
    keeping.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 4, key(), T0);
    Instant later = T0.plusSeconds(60);

    keeping.changePlan(TEAM, "team", key(), later);

    assertEquals(Credits.of(8), keeping.usage(TEAM, later).members().get(0).spent());
    assertEquals(T0, keeping.usage(TEAM, later).periodStart());
    Decision.Denied denied = assertInstanceOf(Decision.Denied.class,
        keeping.charge(TEAM, member(1), Operation.GENERATE_IMAGE, 2, key(), later));
    assertEquals(Decision.Reason.MEMBER_CAP_REACHED, denied.reason());
  }

  @Test
  void removingAMemberAnswersHowManyAreLeft() {
    openOn("team");
    add(1);
    add(2);
    add(3);
    assertEquals(2, gate.removeMember(TEAM, member(2), key(), T0));
    assertEquals(List.of(member(1), member(3)), gate.usage(TEAM, T0).members().stream().map(MemberUsage::member).toList());
    CreditGate clocked = CreditGate.builder(store).clock(java.time.Clock.fixed(T0, ZoneOffset.UTC)).build();
    assertEquals(1, clocked.removeMember(TEAM, member(1), key()));
  }
}
