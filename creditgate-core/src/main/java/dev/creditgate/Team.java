package dev.creditgate;

import dev.creditgate.model.AccountId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The members sharing a wallet, and those who left it this period: a member who leaves (or is
 * removed for lack of seats) with spending or a cap this period is remembered as a former member,
 * so that rejoining within the period restores their cap and what they spent against it. Former
 * members are forgotten when a new period starts. A wallet with no team shares {@link #NONE} (an
 * idle wallet costs no heap for it). Immutable.
 *
 * @param members the members, in the order they joined; at most the plan's seats
 * @param former the former members of this period, the latest to leave last; at most
 *     {@link #MAX_FORMER}, none of them a member
 */
record Team(List<Member> members, List<Member> former) {
  /** The most former members a wallet remembers in a period: beyond them the earliest to leave is forgotten. */
  static final int MAX_FORMER = 100;
  /** No members, no former members. */
  static final Team NONE = new Team(List.of(), List.of());

  Team {
    members = MemberList.of(Arguments.require(members, "members"));
    former = List.copyOf(Arguments.require(former, "former members"));
    if (former.size() > MAX_FORMER) {
      throw new InvalidRequestException("a wallet remembers at most " + MAX_FORMER + " former members but got "
          + former.size());
    }
    // A team is built on every member's charge: the check costs nothing while no one has left.
    Set<AccountId> formerIds = former.isEmpty() ? Set.of() : new HashSet<>();
    for (Member m : former) {
      if (((MemberList) members).positionOf(m.id()) >= 0 || !formerIds.add(m.id())) {
        throw new InvalidRequestException("former member '" + m.id() + "' is a member or appears twice");
      }
    }
  }

  /** The position of the member {@code id} among {@link #members}, or -1 when they are not one: O(1). */
  int positionOf(AccountId id) {
    return ((MemberList) members).positionOf(id);
  }

  /** The members only, as every format before {@code w5} kept them. */
  static Team of(List<Member> members) {
    return members.isEmpty() ? NONE : new Team(members, List.of());
  }
}
