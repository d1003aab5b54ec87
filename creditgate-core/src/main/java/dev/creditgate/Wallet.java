package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Money;
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
 * @param eventsRecorded how many events the wallet's commits have recorded so far: the sequence
 *     number of its latest event (0 before the first), so the next event is number
 *     {@code eventsRecorded + 1}
 * @param usage what the wallet spent on its last days and in its last periods, for the forecast
 *     and the advice; {@link UsageHistory#EMPTY} until it first spends or buys
 */
record Wallet(AccountId account, String planId, String renewalPlanId, RenewalSchedule schedule,
    long period, Credits subscription, List<PackGrant> packs, List<Hold> holds, Credits debt,
    Credits reference, int warningsRaised, Map<String, Credits> refunded, List<Member> members,
    long eventsRecorded, UsageHistory usage) implements WalletState {

  /** A wallet with no usage recorded: as 0.2 kept it (formats {@code w1} and {@code w2}). */
  Wallet(AccountId account, String planId, String renewalPlanId, RenewalSchedule schedule, long period,
      Credits subscription, List<PackGrant> packs, List<Hold> holds, Credits debt, Credits reference,
      int warningsRaised, Map<String, Credits> refunded, List<Member> members, long eventsRecorded) {
    this(account, planId, renewalPlanId, schedule, period, subscription, packs, holds, debt, reference,
        warningsRaised, refunded, members, eventsRecorded, UsageHistory.EMPTY);
  }

  public Wallet {
    Arguments.require(account, "account");
    Arguments.require(planId, "planId");
    Arguments.require(renewalPlanId, "renewalPlanId");
    Arguments.require(schedule, "schedule");
    Arguments.require(subscription, "subscription");
    Arguments.require(debt, "debt");
    Arguments.require(reference, "reference");
    packs = PackList.of(Arguments.require(packs, "packs"));
    holds = List.copyOf(holds);
    refunded = Map.copyOf(refunded);
    members = List.copyOf(members);
    Arguments.requireNonNegative(period, "period");
    Arguments.requireNonNegative(subscription.thousandths(), "subscription credits");
    Arguments.requireNonNegative(debt.thousandths(), "debt");
    Arguments.requireNonNegative(eventsRecorded, "events recorded");
    Arguments.require(usage, "usage");
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
    Arguments.require(account, "account");
    Arguments.require(plan, "plan");
    Arguments.require(at, "at");
    Wallet empty = new Wallet(account, plan.id(), plan.id(), RenewalSchedule.startingAt(at, zone), 0,
        Credits.ZERO, List.of(), List.of(), Credits.ZERO, Credits.ZERO, 0, Map.of(), List.of(), 0);
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
    Arguments.require(at, "at");
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
    draft.recordUse(cost);
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

  void requireMemberRoom(Optional<AccountId> member, Credits cost) {
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

  void requireAffordable(Credits cost, WalletRules rules) {
    if (cost.isNegative() || !canAfford(cost, rules)) {
      throw new IllegalStateException("wallet " + account + " cannot afford " + cost);
    }
  }

  /**
   * Adds a pack grant bought for {@code price} at once, repaying any debt from it first; re-arms
   * the warnings the balance is above again.
   */
  public Transition topUp(String grantId, String packId, Credits credits, Money price, String key, Instant at,
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
    draft.usage = draft.usage.bought(credits, price);
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
