package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The wallet's hold list and member list against plain lists as the model. A hold list's total is
 * the sum of its holds, its earliest expiry their minimum and each member's share the sum of their
 * holds; a member list replaced member by member holds what the plain list holds, finds each member
 * where they are, and leaves every earlier version as it was (versions share their chunks).
 */
class HoldAndMemberListPropertiesTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<AccountId> PEOPLE = List.of(AccountId.of("ann"), AccountId.of("bob"), AccountId.of("cy"));

  @Provide
  Arbitrary<List<Hold>> holds() {
    Arbitrary<Optional<AccountId>> member = Arbitraries.of(PEOPLE).optional();
    return Combinators.combine(Arbitraries.longs().between(1, 1_000_000), Arbitraries.longs().between(1, 10_000),
            member)
        .as((amount, seconds, who) -> new Hold("h", Operation.of("chat"), Credits.ofThousandths(amount), T,
            T.plusSeconds(seconds), who))
        .list().ofMaxSize(70);
  }

  @Property(tries = 300)
  void holdListTotalIsTheSumEarliestExpiryIsTheMinimumAndEachMembersShareIsTheirSum(
      @ForAll("holds") List<Hold> holds) {
    HoldList list = HoldList.of(holds);
    assertEquals(holds, list);
    assertEquals(holds.stream().mapToLong(h -> h.amount().thousandths()).sum(), list.total());
    assertEquals(Wallet.heldThousandths(new ArrayList<>(holds)), Wallet.heldThousandths(list));
    Optional<Instant> earliest = holds.stream().map(Hold::expiresAt).min(Instant::compareTo);
    assertEquals(earliest, list.earliestExpiry());
    for (long s = 0; s <= 10_001; s += 137) {
      Instant at = T.plusSeconds(s);
      assertEquals(holds.stream().anyMatch(h -> !h.expiresAt().isAfter(at)), list.anyExpiredAt(at), "at " + at);
    }
    for (AccountId person : PEOPLE) {
      long expected = holds.stream().filter(h -> h.member().equals(Optional.of(person)))
          .mapToLong(h -> h.amount().thousandths()).sum();
      assertEquals(expected, list.heldBy(person), person.value());
      assertEquals(expected, list.heldBy(person), "asked twice: " + person.value());
    }
    assertSame(list, HoldList.of(list));
  }

  @Example
  void holdsWhoseTotalOverflowsAreRefusedAndNullHoldsNamed() {
    Hold big = new Hold("a", Operation.of("chat"), Credits.ofThousandths(Long.MAX_VALUE - 1), T, T.plusSeconds(1),
        Optional.empty());
    Hold two = new Hold("b", Operation.of("chat"), Credits.ofThousandths(2), T, T.plusSeconds(1), Optional.empty());
    assertThrows(CreditOverflowException.class, () -> HoldList.of(List.of(big, two)));
    List<Hold> withNull = new ArrayList<>();
    withNull.add(two);
    withNull.add(null);
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> HoldList.of(withNull));
    assertTrue(e.getMessage().contains("hold"), e.getMessage());
    assertSame(HoldList.EMPTY, HoldList.of(List.of()));
    IndexOutOfBoundsException beyond = assertThrows(IndexOutOfBoundsException.class,
        () -> HoldList.of(List.of(two)).get(1));
    assertEquals("index 1 of 1 holds", beyond.getMessage());
    assertEquals(Optional.empty(), HoldList.EMPTY.earliestExpiry());
  }

  @Example
  void aTeamRemembersAtMostOneHundredFormerMembersNoneOfThemAMember() {
    List<Member> former = new ArrayList<>();
    for (int i = 0; i < Team.MAX_FORMER; i++) {
      former.add(Member.joined(AccountId.of("former-" + i), T));
    }
    Member ann = Member.joined(AccountId.of("ann"), T);
    assertEquals(Team.MAX_FORMER, new Team(List.of(ann), former).former().size(), "exactly the most is kept");
    List<Member> tooMany = new ArrayList<>(former);
    tooMany.add(Member.joined(AccountId.of("one-more"), T));
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> new Team(List.of(ann), tooMany));
    assertTrue(e.getMessage().contains("101"), e.getMessage());
    InvalidRequestException both = assertThrows(InvalidRequestException.class,
        () -> new Team(List.of(ann), List.of(ann)));
    assertTrue(both.getMessage().contains("ann"), both.getMessage());
    Member bob = Member.joined(AccountId.of("bob"), T);
    assertThrows(InvalidRequestException.class, () -> new Team(List.of(ann), List.of(bob, bob)));
    assertEquals(1, new Team(List.of(ann, bob), List.of()).positionOf(bob.id()));
  }

  /** One replacement: which member (by position, modulo the size) and what they spend. */
  record Spend(int position, long credits) {}

  @Provide
  Arbitrary<Integer> teamSizes() {
    return Arbitraries.integers().between(1, 200);
  }

  @Provide
  Arbitrary<List<Spend>> spends() {
    return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.longs().between(1, 1_000))
        .as(Spend::new).list().ofMaxSize(60);
  }

  @Property(tries = 200)
  void memberListEqualsAPlainListFindsEveryMemberAndEarlierVersionsNeverChange(
      @ForAll("teamSizes") int size, @ForAll("spends") List<Spend> spends) {
    List<Member> model = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      model.add(Member.joined(AccountId.of("m" + i), T));
    }
    MemberList list = MemberList.of(model);
    List<MemberList> versions = new ArrayList<>();
    List<List<Member>> snapshots = new ArrayList<>();
    for (Spend s : spends) {
      versions.add(list);
      snapshots.add(List.copyOf(model));
      int i = s.position() % size;
      Member spent = model.get(i).withSpending("chat", Credits.ofThousandths(s.credits()));
      model.set(i, spent);
      list = list.replacing(i, spent);
    }
    assertEquals(model, list);
    assertEquals(model.hashCode(), list.hashCode());
    for (int i = 0; i < size; i++) {
      assertEquals(i, list.positionOf(model.get(i).id()));
      assertEquals(i, list.indexOf(model.get(i)));
      assertTrue(list.contains(model.get(i)));
    }
    assertEquals(-1, list.positionOf(AccountId.of("stranger")));
    for (int v = 0; v < versions.size(); v++) {
      assertEquals(snapshots.get(v), versions.get(v), "version " + v);
    }
  }

  @Example
  void aMemberListRefusesTwinsAndNullsAndAReplacementBySomeoneElse() {
    Member ann = Member.joined(AccountId.of("ann"), T);
    Member bob = Member.joined(AccountId.of("bob"), T);
    InvalidRequestException twins = assertThrows(InvalidRequestException.class,
        () -> MemberList.of(List.of(ann, bob, ann)));
    assertTrue(twins.getMessage().contains("ann"), twins.getMessage());
    List<Member> withNull = new ArrayList<>();
    withNull.add(ann);
    withNull.add(null);
    assertThrows(InvalidRequestException.class, () -> MemberList.of(withNull));
    MemberList list = MemberList.of(List.of(ann, bob));
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> list.replacing(0, bob));
    assertTrue(other.getMessage().contains("bob") && other.getMessage().contains("ann"), other.getMessage());
    IndexOutOfBoundsException beyond = assertThrows(IndexOutOfBoundsException.class, () -> list.get(2));
    assertEquals("index 2 of 2 members", beyond.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> list.get(-1));
    assertEquals(1, list.lastIndexOf(bob));
    assertEquals(-1, list.lastIndexOf(Member.joined(AccountId.of("cy"), T)));
    org.junit.jupiter.api.Assertions.assertFalse(list.contains(Member.joined(AccountId.of("cy"), T)));
    assertEquals(-1, list.indexOf(ann.withCap(Optional.of(Credits.of(1)))), "same id, another state");
    assertEquals(-1, list.indexOf("ann"));
    assertSame(list, MemberList.of(list));
    assertEquals(List.of(ann, bob), list);
    assertEquals(Map.of(), list.get(1).spentByOperation());
  }
}
