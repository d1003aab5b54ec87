package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.util.Optional;

/**
 * The changes of in-flight work: reserve a hold, capture or release it. Pure: each returns the
 * wallet after the change as a {@link Transition}.
 */
final class HoldChanges {
  private HoldChanges() {}

  /**
   * Reserves {@code amount} for the work {@code id} until {@code expiresAt}, for {@code member} of
   * a shared wallet if named (the hold counts against their cap).
   *
   * @throws IllegalStateException if the wallet or the member's cap cannot afford it
   */
  static Transition reserve(Wallet w, String id, Operation operation, Credits amount, Optional<AccountId> member,
      Instant expiresAt, Instant at, WalletRules rules) {
    // A scoped promotional grant never backs a hold: the reserve is decided on the common credits.
    w.forHolds().requireAffordable(operation, amount, rules);
    w.requireMemberRoom(member, amount);
    if (w.hold(id).isPresent()) {
      throw new HoldStateException(w.account(), id, HoldStateException.State.OPEN);
    }
    Draft draft = new Draft(w, at, id);
    draft.holdsToEdit().add(new Hold(id, operation, amount, at, expiresAt, member));
    draft.entry(LedgerEntry.Kind.HOLD, id, amount, operation.id());
    // No warning yet: a hold may be released; the capture that spends it warns.
    return draft.done();
  }

  /**
   * Closes the hold and spends {@code cost} in the spend order, counted against the hold's member
   * (a former member's too: it counts if they rejoin this period).
   * Use {@link #mostCapturable} for the most a capture may take.
   *
   * @throws HoldStateException if no such hold is open
   * @throws IllegalStateException if {@code cost} is above {@link #mostCapturable}
   */
  static Transition capture(Wallet w, String holdId, Credits cost, String key, Instant at, WalletRules rules) {
    Hold hold = openHold(w, holdId);
    if (cost.isNegative() || cost.compareTo(mostCapturable(w, holdId, rules)) > 0) {
      throw new IllegalStateException("hold " + holdId + " cannot capture " + cost);
    }
    Draft draft = new Draft(w, at, key);
    draft.closeHold(hold);
    if (cost.isPositive()) {
      draft.spend(LedgerEntry.Kind.CAPTURE, hold.operation().id(), cost, rules);
      draft.countSpending(hold.member(), hold.operation().id(), cost);
      draft.recordUse(cost);
    }
    draft.raiseWarnings(rules);
    draft.requestAutoTopUp(rules);
    return draft.done();
  }

  /**
   * The most capturing {@code holdId} may take: the held amount plus what the overdraft policy
   * allows from the credits available to the hold's operation (its scoped promotions included),
   * and no more than the hold's member has left under their cap.
   */
  static Credits mostCapturable(Wallet w, String holdId, WalletRules rules) {
    Hold hold = openHold(w, holdId);
    Credits extra = rules.overdraft().mostAllowed(w.availableFor(hold.operation()));
    Optional<Credits> room = w.memberRoom(hold.member().filter(w::hasMember));
    if (room.isPresent()) {
      extra = extra.min(room.get());
    }
    return hold.amount().plus(extra);
  }

  /**
   * Closes the hold without spending anything.
   *
   * @throws HoldStateException if no such hold is open
   */
  static Transition release(Wallet w, String holdId, String key, Instant at) {
    Hold hold = openHold(w, holdId);
    Draft draft = new Draft(w, at, key);
    draft.closeHold(hold);
    return draft.done();
  }

  /**
   * The open hold {@code holdId}.
   *
   * @throws HoldStateException if it was never reserved, or was captured, released or expired
   */
  static Hold openHold(Wallet w, String holdId) {
    return w.hold(holdId).orElseThrow(() ->
        new HoldStateException(w.account(), holdId, HoldStateException.State.NOT_OPEN));
  }
}
