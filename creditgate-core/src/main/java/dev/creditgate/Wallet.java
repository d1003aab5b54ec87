package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Plan;
import dev.creditgate.model.Promotion;
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
 * @param period the current period's index in {@code schedule} (an {@code int}: see
 *     {@link #periodIndex})
 * @param subscription the subscription credits left this period
 * @param packs the pack grants with credits left, oldest purchase first
 * @param holds the open holds
 * @param debt credits owed after an overdraft, repaid first from the next grant
 * @param reference the period's reference amount for the warning thresholds
 * @param warningsRaised the thresholds already crossed this period, one bit per threshold index
 * @param eventsRecorded how many events the wallet's commits have recorded so far: the sequence
 *     number of its latest event (0 before the first), so the next event is number
 *     {@code eventsRecorded + 1}
 * @param usage what the wallet spent on its last days and in its last periods, for the forecast
 *     and the advice; {@link UsageHistory#EMPTY} until it first spends or buys
 * @param extras what few wallets have: the promotional grants, the auto top-up, the returns and
 *     the team ({@link Extras}); {@link Extras#NONE}, shared, for the rest, so an idle wallet's
 *     heap stays as it was before any of them
 */
record Wallet(AccountId account, String planId, String renewalPlanId, RenewalSchedule schedule,
    int period, Credits subscription, List<PackGrant> packs, List<Hold> holds, Credits debt,
    Credits reference, int warningsRaised, long eventsRecorded, UsageHistory usage, Extras extras)
    implements WalletState {

  /**
   * The sections of a wallet that few wallets have, kept out of the wallet itself: one shared
   * {@link #NONE} for every wallet without them, so that adding a section never grows an idle
   * wallet (the wallet record stays at 72 bytes).
   *
   * @param promotions the promotional grants with credits left, in their spend order
   *     ({@link PromotionGrant#SPEND_ORDER}); empty (a shared empty list) for a wallet that has none
   * @param autoTopUp the auto top-up rule, its open request and counters; null for a wallet that
   *     never set a rule
   * @param refunded what was given back or taken back so far: refunds per charge (by the charge's
   *     idempotency key) and per pack grant, and the reversed pack grants ({@link Returns#NONE}
   *     for a wallet that had none)
   * @param team the members sharing the wallet (a team's), in the order they joined (at most the
   *     plan's seats), and those who left it this period ({@link Team#NONE} for a wallet with none)
   */
  record Extras(List<PromotionGrant> promotions, AutoTopUpState autoTopUp, Returns refunded, Team team) {
    /** No promotional grant, no auto top-up, no returns, no team. */
    static final Extras NONE = new Extras(List.of(), null, Returns.NONE, Team.NONE);

    Extras {
      promotions = promotions.isEmpty() ? List.of() : List.copyOf(promotions);
      Arguments.require(refunded, "refunded");
      Arguments.require(team, "team");
    }

    /** {@link #NONE} when there is nothing to keep, else new extras. */
    static Extras of(List<PromotionGrant> promotions, AutoTopUpState autoTopUp, Returns refunded, Team team) {
      return promotions.isEmpty() && autoTopUp == null && refunded.equals(Returns.NONE) && team.equals(Team.NONE)
          ? NONE : new Extras(promotions, autoTopUp, refunded, team);
    }
  }

  /**
   * A wallet from its returns, its team, its promotional grants and its auto top-up (null for none),
   * as format {@code w5} keeps it.
   */
  Wallet(AccountId account, String planId, String renewalPlanId, RenewalSchedule schedule, int period,
      Credits subscription, List<PackGrant> packs, List<Hold> holds, Credits debt, Credits reference,
      int warningsRaised, Returns refunded, Team team, long eventsRecorded,
      UsageHistory usage, List<PromotionGrant> promotions, AutoTopUpState autoTopUp) {
    this(account, planId, renewalPlanId, schedule, period, subscription, packs, holds, debt, reference,
        warningsRaised, eventsRecorded, usage,
        Extras.of(promotions, autoTopUp, Arguments.require(refunded, "refunded"), Arguments.require(team, "team")));
  }

  /** The most promotional grants a wallet keeps open at once: a grant beyond them is refused. */
  static final int MAX_PROMOTIONS = 100;

  /** A wallet without auto top-up: as 0.4 kept it (format {@code w4}). */
  Wallet(AccountId account, String planId, String renewalPlanId, RenewalSchedule schedule, int period,
      Credits subscription, List<PackGrant> packs, List<Hold> holds, Credits debt, Credits reference,
      int warningsRaised, Map<String, Credits> refunded, List<Member> members, long eventsRecorded,
      UsageHistory usage, List<PromotionGrant> promotions) {
    this(account, planId, renewalPlanId, schedule, period, subscription, packs, holds, debt, reference,
        warningsRaised, Returns.ofCharges(refunded), Team.of(members), eventsRecorded, usage, promotions, null);
  }

  /** A wallet with no promotional grant: as 0.3 kept it (format {@code w3}). */
  Wallet(AccountId account, String planId, String renewalPlanId, RenewalSchedule schedule, long period,
      Credits subscription, List<PackGrant> packs, List<Hold> holds, Credits debt, Credits reference,
      int warningsRaised, Map<String, Credits> refunded, List<Member> members, long eventsRecorded,
      UsageHistory usage) {
    this(account, planId, renewalPlanId, schedule, periodIndex(period), subscription, packs, holds, debt, reference,
        warningsRaised, refunded, members, eventsRecorded, usage, List.of());
  }

  /** A wallet with no usage recorded: as 0.2 kept it (formats {@code w1} and {@code w2}). */
  Wallet(AccountId account, String planId, String renewalPlanId, RenewalSchedule schedule, long period,
      Credits subscription, List<PackGrant> packs, List<Hold> holds, Credits debt, Credits reference,
      int warningsRaised, Map<String, Credits> refunded, List<Member> members, long eventsRecorded) {
    this(account, planId, renewalPlanId, schedule, periodIndex(period), subscription, packs, holds, debt, reference,
        warningsRaised, refunded, members, eventsRecorded, UsageHistory.EMPTY, List.of());
  }

  /**
   * A period's index as the wallet keeps it: an {@code int}, which covers 178 million years of
   * monthly periods and keeps an idle wallet one field narrower (the heap per idle wallet).
   */
  static int periodIndex(long period) {
    if (period < 0 || period > Integer.MAX_VALUE) {
      throw new InvalidRequestException("period must be in 0.." + Integer.MAX_VALUE + " but was " + period);
    }
    return (int) period;
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
    holds = HoldList.of(holds);
    Arguments.requireNonNegative(period, "period");
    Arguments.requireNonNegative(subscription.thousandths(), "subscription credits");
    Arguments.requireNonNegative(debt.thousandths(), "debt");
    Arguments.requireNonNegative(eventsRecorded, "events recorded");
    Arguments.require(usage, "usage");
    Arguments.require(extras, "extras");
  }

  /** The promotional grants with credits left, in their spend order; empty for most wallets. */
  List<PromotionGrant> promotions() {
    return extras.promotions();
  }

  /** The auto top-up; null for a wallet that never set a rule. */
  AutoTopUpState autoTopUp() {
    return extras.autoTopUp();
  }

  /** What was refunded or reversed so far ({@link Returns#NONE} for most wallets). */
  Returns refunded() {
    return extras.refunded();
  }

  /** The members and this period's former members ({@link Team#NONE} for a wallet with none). */
  Team team() {
    return extras.team();
  }

  /** The wallet a store handed back: the object the gate committed, or its text decoded. */
  static Wallet of(WalletState state) {
    return state instanceof Wallet wallet ? wallet : WalletCodec.decode(state.encoded());
  }

  @Override
  public String encoded() {
    return WalletCodec.encode(this);
  }

  /** The members sharing the wallet, in the order they joined: {@code team().members()}. */
  List<Member> members() {
    return team().members();
  }

  /** The earliest expiry of an open hold, if there is one: what a store indexes for the sweep. */
  Optional<Instant> nextHoldExpiry() {
    return ((HoldList) holds).earliestExpiry();
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

  /** Subscription, pack and promotional credits, less any debt; includes credits that are held. */
  public Credits balance() {
    return Credits.ofThousandths(balanceThousandths());
  }

  /** Credits reserved by open holds. */
  public Credits held() {
    return Credits.ofThousandths(heldThousandths(holds));
  }

  /** What a charge may spend now: the balance less the held credits. */
  public Credits available() {
    return Credits.ofThousandths(availableThousandths());
  }

  private long availableThousandths() {
    return Thousandths.add(balanceThousandths(), -heldThousandths(holds));
  }

  public Credits packCredits() {
    return Credits.ofThousandths(packThousandths());
  }

  /** The promotional credits left, of every scope. */
  public Credits promotionCredits() {
    return Credits.ofThousandths(promotionThousandths(promotions(), null, false));
  }

  /**
   * What a charge of {@code operation} may spend now: the available credits less the promotional
   * credits scoped to other operations.
   */
  public Credits availableFor(Operation operation) {
    return Credits.ofThousandths(Thousandths.add(availableThousandths(),
        -promotionThousandths(promotions(), operation.id(), true)));
  }

  /**
   * What every operation may spend now: the available credits less every scoped promotional grant.
   * Holds reserve only these credits (a scoped grant never backs a hold, though a capture may
   * spend it).
   */
  public Credits commonAvailable() {
    return Credits.ofThousandths(Thousandths.add(availableThousandths(),
        -promotionThousandths(promotions(), null, true)));
  }

  /**
   * This wallet as a reserve sees it: without its scoped promotional grants, which never back a
   * hold; itself (no copy) when it has none.
   */
  Wallet forHolds() {
    boolean scoped = false;
    for (int i = 0; i < promotions().size(); i++) {
      scoped |= promotions().get(i).isScoped();
    }
    if (!scoped) {
      return this;
    }
    List<PromotionGrant> common = new ArrayList<>();
    for (PromotionGrant p : promotions()) {
      if (!p.isScoped()) {
        common.add(p);
      }
    }
    return new Wallet(account, planId, renewalPlanId, schedule, period, subscription, packs, holds, debt, reference,
        warningsRaised, eventsRecorded, usage, Extras.of(common, autoTopUp(), refunded(), team()));
  }

  /**
   * The credits left of {@code promotions}: all of them ({@code scopedOnly} false), or only the
   * scoped ones that cannot pay for {@code operationId} (every scoped one when it is null).
   */
  static long promotionThousandths(List<PromotionGrant> promotions, String operationId, boolean scopedOnly) {
    long total = 0;
    for (int i = 0; i < promotions.size(); i++) {
      PromotionGrant p = promotions.get(i);
      if (!scopedOnly || p.isScoped() && (operationId == null || !p.covers(operationId))) {
        total = Thousandths.add(total, p.remaining().thousandths());
      }
    }
    return total;
  }

  /** The promotional grant {@code id}, if it has credits left. */
  Optional<PromotionGrant> promotion(String id) {
    for (PromotionGrant p : promotions()) {
      if (p.id().equals(id)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  // Sums in thousandths: a wallet with many grants must not allocate a Credits per grant per call.
  private long balanceThousandths() {
    return Thousandths.add(Thousandths.add(Thousandths.add(subscription.thousandths(), packThousandths()),
        promotionThousandths(promotions(), null, false)), -debt.thousandths());
  }

  // The constructor keeps packs as a PackList, which knows its total: O(1) with any number of grants.
  private long packThousandths() {
    return ((PackList) packs).total();
  }

  /** What {@code holds} reserve, in thousandths: O(1) for a wallet's own {@link HoldList}. */
  static long heldThousandths(List<Hold> holds) {
    if (holds instanceof HoldList list) {
      return list.total();
    }
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
   * Applies every renewal due at {@code at} and expires the promotional grants and holds whose time
   * is up, in time order.
   * A wallet untouched for several periods renews once: the unused subscription credits expire at
   * the first missed renewal and the allowance of the plan then in force is granted at the last.
   */
  public Transition rollForward(Instant at, WalletRules rules) {
    if (isCurrentAt(at, rules)) {
      return Transition.none(this);
    }
    boolean renew = schedule.hasStarted(period + 1, at);
    long target = renew ? schedule.periodAt(at) : period;
    Draft draft = new Draft(this, at, "");
    if (renew) {
      draft.renew(target, rules);
    }
    draft.expirePromotions(at);
    draft.expireHolds(at);
    draft.warnExpiringPromotions(rules.expiryWarningLead());
    return draft.done();
  }

  /**
   * This wallet as it stands at {@code at}: itself when no renewal or hold expiry is due (the
   * common case, which allocates nothing), else the wallet {@link #rollForward} computes.
   */
  public Wallet at(Instant at, WalletRules rules) {
    return isCurrentAt(at, rules) ? this : rollForward(at, rules).wallet();
  }

  /**
   * Whether {@code grant}'s expiry warning is due at {@code at} under the lead time {@code lead}:
   * not yet published, and {@code at} is at or after its expiry less the lead (and before its
   * expiry). A zero lead warns of nothing.
   */
  static boolean expiryWarningDue(PromotionGrant grant, Instant at, java.time.Duration lead) {
    return !lead.isZero() && !grant.expiryWarned() && grant.expiresAt().isAfter(at)
        && !at.plus(lead).isBefore(grant.expiresAt());
  }

  private boolean isCurrentAt(Instant at, WalletRules rules) {
    Arguments.require(at, "at");
    if (schedule.hasStarted(period + 1, at)) {
      return false;
    }
    if (((HoldList) holds).anyExpiredAt(at)) {
      return false;
    }
    // An indexed loop on the hot path: no iterator to allocate.
    java.time.Duration lead = rules.expiryWarningLead();
    for (int i = 0; i < promotions().size(); i++) {
      PromotionGrant p = promotions().get(i);
      if (!p.expiresAt().isAfter(at) || expiryWarningDue(p, at, lead)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a charge of {@code cost} for {@code operation} is allowed now under the overdraft policy. */
  public boolean canAfford(Operation operation, Credits cost, WalletRules rules) {
    return rules.overdraft().allows(availableFor(operation), cost);
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
    requireAffordable(operation, cost, rules);
    requireMemberRoom(member, cost);
    Draft draft = new Draft(this, at, key);
    draft.spend(LedgerEntry.Kind.DEBIT, operation.id(), cost, rules);
    draft.countSpending(member, operation.id(), cost);
    draft.recordUse(cost);
    draft.raiseWarnings(rules);
    draft.requestAutoTopUp(rules);
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
    Credits held = Credits.ofThousandths(((HoldList) holds).heldBy(member.get()));
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
    int position = team().positionOf(id);
    if (position < 0) {
      throw new UnknownMemberException(account, id);
    }
    return team().members().get(position);
  }

  public boolean hasMember(AccountId id) {
    return team().positionOf(id) >= 0;
  }




  /**
   * The members who must go before the wallet fits {@code plan}'s seats: the latest to join first.
   * A downgrade takes effect at the next renewal and removes them then if they are still there.
   */
  public List<AccountId> membersBeyondSeats(Plan plan) {
    List<AccountId> beyond = new ArrayList<>();
    for (int i = team().members().size() - 1; i >= plan.seats(); i--) {
      beyond.add(team().members().get(i).id());
    }
    return beyond;
  }

  void requireAffordable(Operation operation, Credits cost, WalletRules rules) {
    if (cost.isNegative() || !canAfford(operation, cost, rules)) {
      throw new IllegalStateException("wallet " + account + " cannot afford " + cost + " for " + operation);
    }
  }

  /**
   * Adds the promotional grant {@code grantId}: never repaying debt (its credits pay only for
   * what is done from now on, in its scope); raises the period's reference and re-arms the
   * warnings the balance is above again.
   *
   * @throws InvalidRequestException if it expires at or before {@code at}, the grant exists, or
   *     the wallet already keeps {@link #MAX_PROMOTIONS} open promotions
   */
  Transition grantPromotion(String grantId, Promotion promotion, String key, Instant at, WalletRules rules) {
    if (!promotion.expiresAt().isAfter(at)) {
      throw new InvalidRequestException("expiresAt", promotion.expiresAt().toString(), "promotion '" + grantId
          + "' must expire after it is granted (" + at + ") but expires at " + promotion.expiresAt());
    }
    if (promotion(grantId).isPresent()) {
      throw new InvalidRequestException("grant '" + grantId + "' already exists in " + account);
    }
    if (promotions().size() >= MAX_PROMOTIONS) {
      throw new InvalidRequestException("wallet " + account + " already keeps " + MAX_PROMOTIONS
          + " open promotional grants, the most it may");
    }
    Draft draft = new Draft(this, at, key);
    draft.grantPromotion(grantId, promotion, rules);
    return draft.done();
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
    draft.confirmAutoTopUp(key, packId, price);
    draft.grantPack(grantId, packId, credits, rules);
    draft.usage = draft.usage.bought(credits, price);
    return draft.done();
  }

  /**
   * Sets the auto top-up rule ({@code rule} present) or turns auto top-up off (empty). A new rule
   * starts the decline streak afresh but keeps the back-off of a recent decline; the rule in force
   * set again changes nothing. Either way, with the credits already at or under the threshold, a
   * request is made in this commit if one is due (see {@code Draft.requestAutoTopUp}). An open
   * request stays open, to be confirmed or declined. Turning off a wallet that never set a rule
   * changes nothing.
   *
   * @throws InvalidRequestException if the account id is too long for request ids, or the rule's
   *     currency differs from what this period's requests were counted in
   */
  Transition setAutoTopUp(Optional<AutoTopUp> rule, String key, Instant at, WalletRules rules) {
    Draft draft = new Draft(this, at, key);
    if (rule.isPresent()) {
      if (account.value().length() > AutoTopUpState.MAX_ACCOUNT_LENGTH) {
        throw new InvalidRequestException("account", account.value(), "auto top-up needs an account id of at most "
            + AutoTopUpState.MAX_ACCOUNT_LENGTH + " characters (its request ids must fit a key) but it has "
            + account.value().length());
      }
      Instant start = schedule.periodStart(period);
      draft.autoTopUp = autoTopUp() == null ? AutoTopUpState.first(rule.get(), start)
          : autoTopUp().inPeriod(start).withRule(rule.get());
      draft.requestAutoTopUp(rules);
    } else if (autoTopUp() != null) {
      draft.autoTopUp = autoTopUp().off();
    }
    return draft.done();
  }

  /**
   * Closes the open auto top-up request {@code requestId}, which the payment provider declined:
   * see {@link AutoTopUpState#declined}; at the rule's decline limit auto top-up switches off,
   * with an {@code AutoTopUpDisabled} event.
   *
   * @throws InvalidRequestException if {@code requestId} is not the open request's id, or
   *     {@code at} is before the request was made
   */
  Transition declineAutoTopUp(String requestId, String reason, String key, Instant at) {
    if (autoTopUp() == null || autoTopUp().open() == null || !autoTopUp().open().id().equals(requestId)) {
      throw new InvalidRequestException("requestId", requestId, "'" + requestId + "' is not the open auto top-up"
          + " request of " + account + (autoTopUp() != null && autoTopUp().open() != null
              ? " ('" + autoTopUp().open().id() + "' is)" : " (none is open)"));
    }
    if (at.isBefore(autoTopUp().open().requestedAt())) {
      throw new InvalidRequestException("at", at.toString(), "auto top-up request '" + requestId + "' was made at "
          + autoTopUp().open().requestedAt() + ", so it cannot be declined before, at " + at);
    }
    Draft draft = new Draft(this, at, key);
    AutoTopUpState after = autoTopUp().inPeriod(schedule.periodStart(period))
        .declined(new AutoTopUpStatus.Decline(at, requestId, reason));
    draft.autoTopUp = after;
    if (after.switchedOff() && !autoTopUp().switchedOff()) {
      draft.event(new WalletEvent.AutoTopUpDisabled(account, at, after.declines(), reason));
    }
    return draft.done();
  }

  /** The auto top-up section of the status: empty for a wallet that never set a rule. */
  Optional<AutoTopUpStatus> autoTopUpStatus() {
    return autoTopUp() == null ? Optional.empty() : Optional.of(autoTopUp().status(schedule.periodStart(period)));
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
    for (Member m : team().former()) {
      if (hasMember(m.id())) {
        problems.add("former member " + m.id() + " is a member");
      }
    }
    for (PromotionGrant grant : promotions()) {
      if (!grant.remaining().isPositive() || grant.remaining().compareTo(grant.granted()) > 0) {
        problems.add("promotion " + grant.id() + " remaining " + grant.remaining() + " outside (0, granted]");
      }
    }
    for (int i = 1; i < promotions().size(); i++) {
      if (PromotionGrant.SPEND_ORDER.compare(promotions().get(i - 1), promotions().get(i)) >= 0) {
        problems.add("promotions out of their spend order at " + promotions().get(i).id());
      }
    }
    // Promotions never repay debt: they pay only for what is done after they are granted.
    if (debt.isPositive() && (subscription.isPositive() || !packs.isEmpty())) {
      problems.add("debt " + debt + " left unpaid beside spendable credits");
    }
    for (Hold hold : holds) {
      if (!hold.amount().isPositive()) {
        problems.add("hold " + hold.id() + " is not positive");
      }
    }
    if (autoTopUp() != null) {
      if (autoTopUp().open() != null && autoTopUp().numberOf(account.value(), autoTopUp().open().id()) == 0) {
        problems.add("auto top-up request " + autoTopUp().open().id() + " is not this wallet's");
      }
    }
    return problems;
  }
}
