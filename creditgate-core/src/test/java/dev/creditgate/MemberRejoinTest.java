package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A member who leaves and rejoins within the period, or moves out of a seat and back, keeps the
 * period's spending against their cap (docs/teams.md); a new period forgets it.
 */
class MemberRejoinTest {
  private static final Instant T0 = Instant.parse("2026-04-10T09:00:00Z");
  private static final Instant NEXT_PERIOD = Instant.parse("2026-05-10T09:00:00Z");
  private static final AccountId TEAM = AccountId.of("team-acme");
  private static final AccountId BOB = AccountId.of("bob");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final CreditGate gate = CreditGate.builder(store).build();
  private int keys;

  private IdempotencyKey key() {
    return IdempotencyKey.of("k" + ++keys);
  }

  private Wallet wallet() {
    return Wallet.of(store.load(TEAM).orElseThrow().state());
  }

  /** Bob joins the Team wallet with a cap of 10 and spends 8 on four images. */
  private void bobSpendsEightOfTen() {
    gate.openWallet(TEAM, ZoneOffset.UTC, T0);
    gate.changePlan(TEAM, "team", key(), T0);
    gate.addMember(TEAM, BOB, key(), T0);
    gate.setMemberCap(TEAM, BOB, Optional.of(Credits.of(10)), key(), T0);
    assertTrue(gate.charge(TEAM, BOB, Operation.GENERATE_IMAGE, 4, key(), T0.plusSeconds(1)).isAllowed());
  }

  @Test
  void aMemberWhoLeavesAndRejoinsKeepsTheirCapAndWhatTheySpentAgainstIt() {
    bobSpendsEightOfTen();
    gate.removeMember(TEAM, BOB, key(), T0.plusSeconds(2));
    gate.addMember(TEAM, BOB, key(), T0.plusSeconds(3));
    assertEquals(new MemberUsage(BOB, Optional.of(Credits.of(10)), Credits.of(8),
        Map.of(Operation.GENERATE_IMAGE, Credits.of(8))), gate.usage(TEAM, T0.plusSeconds(3)).members().get(0));
    Decision.Denied denied = assertInstanceOf(Decision.Denied.class,
        gate.charge(TEAM, BOB, Operation.GENERATE_IMAGE, 2, key(), T0.plusSeconds(4)));
    assertEquals(Decision.Reason.MEMBER_CAP_REACHED, denied.reason());
    // Exactly the 2 left are allowed, and then not one thousandth more.
    assertTrue(gate.charge(TEAM, BOB, Operation.GENERATE_IMAGE, 1, key(), T0.plusSeconds(5)).isAllowed());
    assertEquals(Decision.Reason.MEMBER_CAP_REACHED, assertInstanceOf(Decision.Denied.class,
        gate.charge(TEAM, BOB, Operation.AI_CHAT_MESSAGE, 1, key(), T0.plusSeconds(6))).reason());
    assertEquals(List.of(), wallet().team().former(), "a rejoined member is no longer a former one");
  }

  @Test
  void movingOutOfASeatAndBackWhileOthersComeAndGoKeepsTheSpending() {
    bobSpendsEightOfTen();
    gate.removeMember(TEAM, BOB, key(), T0.plusSeconds(2));
    for (int n = 1; n <= 5; n++) { // every seat taken by others, then freed again
      gate.addMember(TEAM, AccountId.of("m" + n), key(), T0.plusSeconds(3));
    }
    for (int n = 1; n <= 5; n++) {
      gate.removeMember(TEAM, AccountId.of("m" + n), key(), T0.plusSeconds(4));
    }
    gate.addMember(TEAM, BOB, key(), T0.plusSeconds(5));
    assertEquals(Credits.of(8), gate.usage(TEAM, T0.plusSeconds(5)).members().get(0).spent());
    assertEquals(List.of(), wallet().team().former(), "members who spent nothing and had no cap are not kept");
  }

  @Test
  void aHoldCapturedAfterTheMemberLeftCountsAgainstThemOnTheirReturn() {
    bobSpendsEightOfTen();
    IdempotencyKey hold = key();
    assertTrue(gate.reserve(TEAM, BOB, Operation.GENERATE_IMAGE, 1, hold, T0.plusSeconds(2)).isAllowed());
    gate.removeMember(TEAM, BOB, key(), T0.plusSeconds(3));
    gate.capture(TEAM, hold, 1, Outcome.succeeded(), key(), T0.plusSeconds(4));
    gate.addMember(TEAM, BOB, key(), T0.plusSeconds(5));
    assertEquals(Credits.of(10), gate.usage(TEAM, T0.plusSeconds(5)).members().get(0).spent());
  }

  @Test
  void aNewPeriodForgetsFormerMembers() {
    bobSpendsEightOfTen();
    gate.removeMember(TEAM, BOB, key(), T0.plusSeconds(2));
    gate.addMember(TEAM, BOB, key(), NEXT_PERIOD);
    assertEquals(new MemberUsage(BOB, Optional.empty(), Credits.ZERO, Map.of()),
        gate.usage(TEAM, NEXT_PERIOD).members().get(0), "a fresh member: no cap, nothing spent");
    // One nanosecond before the renewal the former member is still remembered.
    CreditGate other = CreditGate.builder(InMemoryWalletStore.create()).build();
    other.openWallet(TEAM, ZoneOffset.UTC, T0);
    other.changePlan(TEAM, "team", key(), T0);
    other.addMember(TEAM, BOB, key(), T0);
    other.setMemberCap(TEAM, BOB, Optional.of(Credits.of(10)), key(), T0);
    other.removeMember(TEAM, BOB, key(), T0.plusSeconds(1));
    other.addMember(TEAM, BOB, key(), NEXT_PERIOD.minusNanos(1));
    assertEquals(Optional.of(Credits.of(10)), other.usage(TEAM, NEXT_PERIOD.minusNanos(1)).members().get(0).cap());
  }

  @Test
  void aWalletWithNoTeamSharesTheEmptyTeamAndStaysSo() {
    gate.openWallet(TEAM, ZoneOffset.UTC, T0);
    assertSame(Team.NONE, wallet().team());
    gate.changePlan(TEAM, "team", key(), T0);
    gate.addMember(TEAM, BOB, key(), T0);
    gate.removeMember(TEAM, BOB, key(), T0.plusSeconds(1));
    assertSame(Team.NONE, wallet().team(), "a member who spent nothing and had no cap leaves nothing behind");
    gate.charge(TEAM, Operation.GENERATE_IMAGE, 1, key(), T0.plusSeconds(2));
    assertSame(Team.NONE, wallet().team());
  }

  @Test
  void atMostAHundredFormerMembersAreRememberedTheEarliestToLeaveForgottenFirst() {
    gate.openWallet(TEAM, ZoneOffset.UTC, T0);
    gate.changePlan(TEAM, "team", key(), T0);
    for (int n = 0; n <= Team.MAX_FORMER; n++) {
      AccountId m = AccountId.of("m" + n);
      gate.addMember(TEAM, m, key(), T0);
      gate.setMemberCap(TEAM, m, Optional.of(Credits.of(1)), key(), T0);
      gate.removeMember(TEAM, m, key(), T0);
    }
    List<Member> former = wallet().team().former();
    assertEquals(Team.MAX_FORMER, former.size());
    assertEquals(List.of(AccountId.of("m1"), AccountId.of("m" + Team.MAX_FORMER)),
        List.of(former.get(0).id(), former.get(former.size() - 1).id()));
    assertEquals(wallet(), WalletCodec.decode(wallet().encoded()), "a full team section reads back");
  }
}
