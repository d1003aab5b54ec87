package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Plan;
import dev.creditgate.model.WalletEvent;


import dev.creditgate.spi.WalletState;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One account's credits: the subscription credits of the current period, the pack grants (oldest
 * first), the open holds and any overdraft debt, with the plan and its renewal schedule.
 *
 * <p>Immutable and thread-safe. Every change is a pure transition (no I/O, no clock: time is an
 * argument) that returns a {@link Transition}: the new wallet, the ledger entries that record the
 * change, and the events to publish. Renewal is lazy: {@link #rollForward} applies every renewal
 * due at a time, and every transition that takes a time calls it first.
 *
 * @param planId the plan in force
 * @param renewalPlanId the plan from the next renewal on (a scheduled downgrade), or {@code planId}
 * @param period the current period's index in {@code schedule}
 * @param subscription the subscription credits left this period
 * @param packs the pack grants with credits left, oldest purchase first
 * @param holds the open holds
 * @param debt credits owed after an overdraft, repaid first from the next grant
 * @param reference the period's reference amount for the warning thresholds
 * @param warningsRaised the thresholds already crossed this period, one bit per threshold index
 * @param refunded credits refunded so far per charge (by the charge's idempotency key); refunds
 *     are rare, so this stays small
 * @param members the members sharing the wallet (a team's), in the order they joined; at most the
 *     plan's seats
 */
record Wallet(AccountId account, String planId, String renewalPlanId, RenewalSchedule schedule,
    long period, Credits subscription, List<PackGrant> packs, List<Hold> holds, Credits debt,
    Credits reference, int warningsRaised, Map<String, Credits> refunded, List<Member> members)
    implements WalletState {

  public Wallet {
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(planId, "planId");
    InvalidRequestException.requireNonNull(renewalPlanId, "renewalPlanId");
    InvalidRequestException.requireNonNull(schedule, "schedule");
    InvalidRequestException.requireNonNull(subscription, "subscription");
    InvalidRequestException.requireNonNull(debt, "debt");
    InvalidRequestException.requireNonNull(reference, "reference");
    packs = PackList.of(InvalidRequestException.requireNonNull(packs, "packs"));
    holds = List.copyOf(holds);
    refunded = Map.copyOf(refunded);
    members = List.copyOf(members);
    InvalidRequestException.requireNonNegative(period, "period");
    InvalidRequestException.requireNonNegative(subscription.thousandths(), "subscription credits");
    InvalidRequestException.requireNonNegative(debt.thousandths(), "debt");
  }

  /** The wallet a store handed back: the object the gate committed, or its text decoded. */
  static Wallet of(WalletState state) {
    return state instanceof Wallet wallet ? wallet : WalletCodec.decode(state.encoded());
  }

  @Override
  public String encoded() {
    return WalletCodec.encode(this);
  }

  /** The earliest expiry of an open hold, if there is one: what a store indexes for the sweep. */
  Optional<Instant> nextHoldExpiry() {
    Instant next = null;
    for (Hold hold : holds) {
      if (next == null || hold.expiresAt().isBefore(next)) {
        next = hold.expiresAt();
      }
    }
    return Optional.ofNullable(next);
  }

  /**
   * A new wallet on {@code plan}, whose first period starts at {@code at}: the plan's allowance is
   * granted at once and renews monthly on that local date and time in {@code zone}.
   */
  public static Transition open(AccountId account, Plan plan, ZoneId zone, Instant at) {
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(plan, "plan");
    InvalidRequestException.requireNonNull(at, "at");
    Wallet empty = new Wallet(account, plan.id(), plan.id(), RenewalSchedule.startingAt(at, zone), 0,
        Credits.ZERO, List.of(), List.of(), Credits.ZERO, Credits.ZERO, 0, Map.of(), List.of());
    Draft draft = new Draft(empty, at, "");
    draft.grantSubscription(plan, at);
    // A new wallet holds only its allowance; sharing the plan's amount keeps an idle wallet small.
    draft.reference = draft.subscription;
    return draft.done();
  }

  /** Subscription plus pack credits, less any debt; includes credits that are held. */
  public Credits balance() {
    return Credits.ofThousandths(balanceThousandths());
  }

  /** Credits reserved by open holds. */
  public Credits held() {
    return Credits.ofThousandths(heldThousandths(holds));
  }

  /** What a charge may spend now: the balance less the held credits. */
  public Credits available() {
    return Credits.ofThousandths(Thousandths.add(balanceThousandths(), -heldThousandths(holds)));
  }

  public Credits packCredits() {
    return Credits.ofThousandths(packThousandths());
  }

  // Sums in thousandths: a wallet with many grants must not allocate a Credits per grant per call.
  private long balanceThousandths() {
    return Thousandths.add(Thousandths.add(subscription.thousandths(), packThousandths()), -debt.thousandths());
  }

  // The constructor keeps packs as a PackList, which knows its total: O(1) with any number of grants.
  private long packThousandths() {
    return ((PackList) packs).total();
  }

  static long heldThousandths(List<Hold> holds) {
    long total = 0;
    for (int i = 0; i < holds.size(); i++) {
      total = Thousandths.add(total, holds.get(i).amount().thousandths());
    }
    return total;
  }

  /** When the current period ends and the subscription credits refresh. */
  public Instant nextRenewal() {
    return schedule.periodStart(period + 1);
  }

  public Optional<Hold> hold(String id) {
    for (Hold hold : holds) {
      if (hold.id().equals(id)) {
        return Optional.of(hold);
      }
    }
    return Optional.empty();
  }

  /** The meter state of the available credits against the period's reference amount. */
  public Meter meter(WalletRules rules) {
    return meterAt(available(), rules);
  }

  /** The meter state {@code credits} would show against this period's reference amount. */
  public Meter meterAt(Credits credits, WalletRules rules) {
    if (!credits.isPositive()) {
      return Meter.EMPTY;
    }
    int low = rules.lowPercent();
    if (low > 0 && credits.thousandths() <= WalletRules.percentOf(reference, low)) {
      return Meter.LOW;
    }
    return Meter.OK;
  }

  /**
   * Applies every renewal due at {@code at} and expires the holds whose time is up, in time order.
   * A wallet untouched for several periods renews once: the unused subscription credits expire at
   * the first missed renewal and the allowance of the plan then in force is granted at the last.
   */
  public Transition rollForward(Instant at, WalletRules rules) {
    if (isCurrentAt(at)) {
      return Transition.none(this);
    }
    boolean renew = schedule.hasStarted(period + 1, at);
    long target = renew ? schedule.periodAt(at) : period;
    Draft draft = new Draft(this, at, "");
    if (renew) {
      draft.renew(target, rules);
    }
    draft.expireHolds(at);
    return draft.done();
  }

  /**
   * This wallet as it stands at {@code at}: itself when no renewal or hold expiry is due (the
   * common case, which allocates nothing), else the wallet {@link #rollForward} computes.
   */
  public Wallet at(Instant at, WalletRules rules) {
    return isCurrentAt(at) ? this : rollForward(at, rules).wallet();
  }

  private boolean isCurrentAt(Instant at) {
    InvalidRequestException.requireNonNull(at, "at");
    if (schedule.hasStarted(period + 1, at)) {
      return false;
    }
    // Indexed loops on the hot path: no iterator to allocate.
    for (int i = 0; i < holds.size(); i++) {
      if (!holds.get(i).expiresAt().isAfter(at)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a charge of {@code cost} is allowed now under the overdraft policy. */
  public boolean canAfford(Credits cost, WalletRules rules) {
    return rules.overdraft().allows(available(), cost);
  }

  /**
   * Spends {@code cost} in the spend order, recording one entry per grant touched, and counts it
   * against {@code member}'s spending when a member of a shared wallet charges. Call
   * {@link #rollForward} first and check {@link #canAfford} and {@link #memberRoom}.
   *
   * @throws IllegalStateException if the wallet or the member's cap cannot afford it
   */
  public Transition debit(Operation operation, Credits cost, Optional<AccountId> member, String key,
      Instant at, WalletRules rules) {
    requireAffordable(cost, rules);
    requireMemberRoom(member, cost);
    Draft draft = new Draft(this, at, key);
    draft.spend(LedgerEntry.Kind.DEBIT, operation.id(), cost, rules);
    draft.countSpending(member, operation.id(), cost);
    draft.raiseWarnings(rules);
    return draft.done();
  }

  /**
   * What {@code member} may still spend this period under their cap: the cap less what they spent
   * and what their open holds reserve; empty when they have no cap (or no member is named).
   *
   * @throws UnknownMemberException if {@code member} is not a member of this wallet
   */
  public Optional<Credits> memberRoom(Optional<AccountId> member) {
    if (member.isEmpty()) {
      return Optional.empty();
    }
    Member m = member(member.get());
    if (m.cap().isEmpty()) {
      return Optional.empty();
    }
    Credits held = Credits.ZERO;
    for (Hold hold : holds) {
      if (hold.member().equals(member)) {
        held = held.plus(hold.amount());
      }
    }
    return Optional.of(m.cap().get().minus(m.spent()).minus(held).max(Credits.ZERO));
  }

  private void requireMemberRoom(Optional<AccountId> member, Credits cost) {
    Optional<Credits> room = memberRoom(member);
    if (room.isPresent() && cost.compareTo(room.get()) > 0) {
      throw new IllegalStateException("member " + member.get() + " has only " + room.get() + " left");
    }
  }

  /**
   * The member {@code id} of this wallet.
   *
   * @throws UnknownMemberException if there is none
   */
  public Member member(AccountId id) {
    for (Member m : members) {
      if (m.id().equals(id)) {
        return m;
      }
    }
    throw new UnknownMemberException(account, id);
  }

  public boolean hasMember(AccountId id) {
    for (Member m : members) {
      if (m.id().equals(id)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds a member. The gate checks the seats first and answers a full wallet with a denial.
   *
   * @throws InvalidRequestException if {@code id} is already a member
   * @throws IllegalStateException if every seat of {@code plan} is taken
   */
  public Transition addMember(AccountId id, Plan plan, String key, Instant at) {
    if (hasMember(id)) {
      throw new InvalidRequestException("'" + id + "' is already a member of wallet '" + account + "'");
    }
    if (members.size() >= plan.seats()) {
      throw new IllegalStateException("all " + plan.seats() + " seats of " + plan.id() + " are taken");
    }
    Draft draft = new Draft(this, at, key);
    draft.membersToEdit().add(Member.joined(id, at));
    draft.event(new WalletEvent.MemberAdded(account, at, id));
    return draft.done();
  }

  /**
   * Removes a member; their open holds stay and are charged to the wallet when captured.
   *
   * @throws UnknownMemberException if {@code id} is not a member
   */
  public Transition removeMember(AccountId id, String key, Instant at) {
    Member m = member(id);
    Draft draft = new Draft(this, at, key);
    draft.membersToEdit().remove(m);
    draft.event(new WalletEvent.MemberRemoved(account, at, id));
    return draft.done();
  }

  /**
   * Sets or clears (empty) a member's spending cap for each period; it applies at once, to what
   * they already spent this period too.
   *
   * @throws UnknownMemberException if {@code id} is not a member
   */
  public Transition setMemberCap(AccountId id, Optional<Credits> cap, String key, Instant at) {
    Member m = member(id);
    Draft draft = new Draft(this, at, key);
    draft.membersToEdit().set(draft.members.indexOf(m), m.withCap(cap));
    return draft.done();
  }

  /**
   * The members who must go before the wallet fits {@code plan}'s seats: the latest to join first.
   * A downgrade takes effect at the next renewal and removes them then if they are still there.
   */
  public List<AccountId> membersBeyondSeats(Plan plan) {
    List<AccountId> beyond = new ArrayList<>();
    for (int i = members.size() - 1; i >= plan.seats(); i--) {
      beyond.add(members.get(i).id());
    }
    return beyond;
  }

  private void requireAffordable(Credits cost, WalletRules rules) {
    if (cost.isNegative() || !canAfford(cost, rules)) {
      throw new IllegalStateException("wallet " + account + " cannot afford " + cost);
    }
  }

  /**
   * Adds a pack grant at once, repaying any debt from it first; re-arms the warnings the balance is
   * above again.
   */
  public Transition topUp(String grantId, String packId, Credits credits, String key, Instant at,
      WalletRules rules) {
    if (!credits.isPositive()) {
      throw new InvalidRequestException("top-up credits must be positive but were " + credits);
    }
    for (PackGrant grant : packs) {
      if (grant.id().equals(grantId)) {
        throw new InvalidRequestException("grant '" + grantId + "' already exists in " + account);
      }
    }
    Draft draft = new Draft(this, at, key);
    draft.grantPack(grantId, packId, credits, rules);
    return draft.done();
  }

  /**
   * Moves to {@code target}. A higher plan takes effect at once (see {@link UpgradePolicy}); a
   * lower one at the next renewal, keeping this period's credits; the current plan cancels a
   * scheduled change, and changes nothing if none is scheduled.
   */
  public Transition changePlan(Plan target, String key, Instant at, WalletRules rules) {
    Catalog catalog = rules.catalog();
    int rank = catalog.rank(target.id());
    int current = catalog.rank(planId);
    Draft draft = new Draft(this, at, key);
    if (rank > current) {
      draft.upgrade(target, rules);
    } else if (rank < current || !renewalPlanId.equals(planId)) {
      draft.renewalPlanId = target.id();
      draft.event(new WalletEvent.PlanChanged(account, at, planId, target.id(), nextRenewal()));
    }
    return draft.done();
  }

  /**
   * Reserves {@code amount} for the work {@code id} until {@code expiresAt}, for {@code member} of
   * a shared wallet if named (the hold counts against their cap).
   *
   * @throws IllegalStateException if the wallet or the member's cap cannot afford it
   */
  public Transition reserve(String id, Operation operation, Credits amount, Optional<AccountId> member,
      Instant expiresAt, Instant at, WalletRules rules) {
    requireAffordable(amount, rules);
    requireMemberRoom(member, amount);
    if (hold(id).isPresent()) {
      throw new HoldStateException("hold '" + id + "' is already open in " + account);
    }
    Draft draft = new Draft(this, at, id);
    draft.holdsToEdit().add(new Hold(id, operation, amount, at, expiresAt, member));
    draft.entry(LedgerEntry.Kind.HOLD, id, amount, operation.id());
    // No warning yet: a hold may be released; the capture that spends it warns.
    return draft.done();
  }

  /**
   * Closes the hold and spends {@code cost} in the spend order, counted against the hold's member.
   * Use {@link #mostCapturable} for the most a capture may take.
   *
   * @throws HoldStateException if no such hold is open
   * @throws IllegalStateException if {@code cost} is above {@link #mostCapturable}
   */
  public Transition capture(String holdId, Credits cost, String key, Instant at, WalletRules rules) {
    Hold hold = openHold(holdId);
    if (cost.isNegative() || cost.compareTo(mostCapturable(holdId, rules)) > 0) {
      throw new IllegalStateException("hold " + holdId + " cannot capture " + cost);
    }
    Draft draft = new Draft(this, at, key);
    draft.closeHold(hold);
    if (cost.isPositive()) {
      draft.spend(LedgerEntry.Kind.CAPTURE, hold.operation().id(), cost, rules);
      draft.countSpending(hold.member().filter(this::hasMember), hold.operation().id(), cost);
    }
    draft.raiseWarnings(rules);
    return draft.done();
  }

  /**
   * The most capturing {@code holdId} may take: the held amount plus what the overdraft policy
   * allows from the available credits, and no more than the hold's member has left under their cap.
   */
  public Credits mostCapturable(String holdId, WalletRules rules) {
    Hold hold = openHold(holdId);
    Credits extra = rules.overdraft().mostAllowed(available());
    Optional<Credits> room = memberRoom(hold.member().filter(this::hasMember));
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
  public Transition release(String holdId, String key, Instant at) {
    Hold hold = openHold(holdId);
    Draft draft = new Draft(this, at, key);
    draft.closeHold(hold);
    return draft.done();
  }

  /**
   * The open hold {@code holdId}.
   *
   * @throws HoldStateException if it was never reserved, or was captured, released or expired
   */
  public Hold openHold(String holdId) {
    return hold(holdId).orElseThrow(() ->
        new HoldStateException("hold '" + holdId + "' is not open in " + account
            + ": it was never reserved, or was captured, released or expired"));
  }

  /**
   * Gives back {@code credits} of a pack purchase, taken from what remains of the grant and never
   * from credits open holds reserve.
   *
   * @throws InvalidRequestException if the amount is not positive or exceeds what remains of the
   *     grant or what is available
   */
  public Transition refundPack(String grantId, Credits credits, String key, Instant at) {
    Credits remaining = Credits.ZERO;
    for (PackGrant grant : packs) {
      if (grant.id().equals(grantId)) {
        remaining = grant.remaining();
      }
    }
    if (!credits.isPositive() || credits.compareTo(remaining) > 0) {
      throw new InvalidRequestException("refund of " + credits + " from grant '" + grantId
          + "' must be positive and at most what remains of it (" + remaining + ")");
    }
    if (credits.compareTo(available()) > 0) {
      throw new InvalidRequestException("refund of " + credits + " from grant '" + grantId
          + "' would take credits open holds reserve: only " + available() + " are available");
    }
    Draft draft = new Draft(this, at, key);
    draft.takeFromPack(grantId, credits, LedgerEntry.Kind.REFUND, "");
    return draft.done();
  }

  /**
   * Gives back {@code credits} of the charge made with {@code chargeKey}, which cost
   * {@code charged}, as a grant of its own ({@code "refund:<key>"}) that never expires.
   *
   * @throws InvalidRequestException if the amount is not positive or exceeds what is left of the
   *     charge after earlier refunds
   */
  public Transition refundCharge(String chargeKey, Credits charged, Operation operation, Credits credits,
      String key, Instant at, WalletRules rules) {
    Credits left = charged.minus(refunded.getOrDefault(chargeKey, Credits.ZERO));
    if (!credits.isPositive() || credits.compareTo(left) > 0) {
      throw new InvalidRequestException("refund of " + credits + " for charge '" + chargeKey
          + "' must be positive and at most what is left of it (" + left + " of " + charged + ")");
    }
    Draft draft = new Draft(this, at, key);
    draft.credit("refund:" + key, "refund", credits, LedgerEntry.Kind.REFUND, operation.id(), rules);
    draft.refundedToEdit().merge(chargeKey, credits, Credits::plus);
    return draft.done();
  }

  /**
   * A correction by the host: a positive {@code delta} adds a never-expiring grant
   * ({@code "adjustment:<key>"}); a negative one takes credits in the spend order, at most what is
   * available.
   *
   * @throws InvalidRequestException if the delta is zero or takes more than is available
   */
  public Transition adjust(Credits delta, String reason, String key, Instant at, WalletRules rules) {
    if (delta.isZero()) {
      throw new InvalidRequestException("adjustment must not be zero");
    }
    Draft draft = new Draft(this, at, key);
    if (delta.isPositive()) {
      draft.credit("adjustment:" + key, "adjustment", delta, LedgerEntry.Kind.ADJUSTMENT, reason, rules);
    } else {
      Credits taken = delta.negate();
      if (taken.compareTo(available()) > 0) {
        throw new InvalidRequestException("adjustment of " + delta + " takes more than the "
            + available() + " credits available");
      }
      draft.spend(LedgerEntry.Kind.ADJUSTMENT, reason, taken, rules);
      draft.raiseWarnings(rules);
    }
    return draft.done();
  }

  /**
   * Self-check for tests and audits: every invariant the wallet keeps. Returns the broken ones,
   * empty when all hold.
   */
  public List<String> invariantViolations() {
    List<String> problems = new ArrayList<>();
    if (subscription.isNegative()) {
      problems.add("negative subscription credits " + subscription);
    }
    for (PackGrant grant : packs) {
      if (!grant.remaining().isPositive() || grant.remaining().compareTo(grant.granted()) > 0) {
        problems.add("grant " + grant.id() + " remaining " + grant.remaining() + " outside (0, granted]");
      }
    }
    if (debt.isNegative()) {
      problems.add("negative debt " + debt);
    }
    if (debt.isPositive() && (subscription.isPositive() || !packs.isEmpty())) {
      problems.add("debt " + debt + " left unpaid beside spendable credits");
    }
    for (Hold hold : holds) {
      if (!hold.amount().isPositive()) {
        problems.add("hold " + hold.id() + " is not positive");
      }
    }
    return problems;
  }
}
