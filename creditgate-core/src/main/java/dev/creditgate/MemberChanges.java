package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Plan;
import dev.creditgate.model.WalletEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * The changes of a shared wallet's members: join, leave, cap. Pure: each returns the wallet after
 * the change as a {@link Transition}.
 */
final class MemberChanges {
  private MemberChanges() {}

  /**
   * Adds a member. The gate checks the seats first and answers a full wallet with a denial. A
   * member who left earlier this period rejoins with the cap and the spending they left with.
   *
   * @throws InvalidRequestException if {@code id} is already a member
   * @throws IllegalStateException if every seat of {@code plan} is taken
   */
  static Transition addMember(Wallet w, AccountId id, Plan plan, String key, Instant at) {
    if (w.hasMember(id)) {
      throw new InvalidRequestException("'" + id + "' is already a member of wallet '" + w.account() + "'");
    }
    if (w.members().size() >= plan.seats()) {
      throw new IllegalStateException("all " + plan.seats() + " seats of " + plan.id() + " are taken");
    }
    Draft draft = new Draft(w, at, key);
    draft.join(id);
    draft.event(new WalletEvent.MemberAdded(w.account(), at, id));
    return draft.done();
  }

  /**
   * Removes a member; their open holds stay and are charged to the wallet when captured (and
   * counted against them). Their cap and this period's spending are remembered until the period
   * ends, for a rejoin.
   *
   * @throws UnknownMemberException if {@code id} is not a member
   */
  static Transition removeMember(Wallet w, AccountId id, String key, Instant at) {
    Member m = w.member(id);
    Draft draft = new Draft(w, at, key);
    draft.leave(m);
    draft.event(new WalletEvent.MemberRemoved(w.account(), at, id));
    return draft.done();
  }

  /**
   * Sets or clears (empty) a member's spending cap for each period; it applies at once, to what
   * they already spent this period too.
   *
   * @throws UnknownMemberException if {@code id} is not a member
   */
  static Transition setMemberCap(Wallet w, AccountId id, Optional<Credits> cap, String key, Instant at) {
    Member m = w.member(id);
    Draft draft = new Draft(w, at, key);
    draft.replaceMember(draft.memberPosition(id), m.withCap(cap));
    return draft.done();
  }}
