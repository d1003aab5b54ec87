package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Credits;
import dev.creditgate.model.CustomPackTerms;
import dev.creditgate.model.Money;
import dev.creditgate.model.Pack;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Plan;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.model.WalletEvent;


import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A wallet being changed by one transition: a private mutable working copy, so that a transition
 * touching several grants builds its ledger entries in one pass and allocates one new wallet.
 * Confined to the thread running the transition.
 */
final class Draft {
  private static final String REPAY = "repay-overdraft";
  /** The pack id of a Custom pack, and of a target balance's auto top-up. */
  static final String CUSTOM = "custom";
  /** The operation named by a payment reversal's ledger entries. */
  static final String REVERSAL = "reversal";

  private final AccountId account;
  private final Instant at;
  private final String key;
  String planId;
  String renewalPlanId;
  RenewalSchedule schedule;
  long period;
  Credits subscription;
  PackList packs;
  // Holds, members and refunds are copied on first change: most transitions change none of them.
  List<Hold> holds;
  private boolean holdsCopied;
  Credits debt;
  Credits reference;
  int warningsRaised;
  Returns refunded;
  /** A {@link MemberList} until a member joins or leaves, then an {@link ArrayList} copy. */
  List<Member> members;
  private boolean membersCopied;
  /** Whether a member's record changed, joined or left: the team is then built anew. */
  private boolean membersChanged;
  /** The former members of this period (see {@link Team}); copied on first change. */
  private List<Member> former;
  private boolean formerCopied;
  private final Team team;
  private final long eventsRecorded;
  UsageHistory usage;
  /** In their spend order; copied on first change, as most wallets have none. */
  List<PromotionGrant> promotions;
  private boolean promotionsCopied;
  /** Null for a wallet that never set an auto top-up rule. */
  AutoTopUpState autoTopUp;
  /**
   * While a spend runs: what it must still take from scoped promotional grants so that the common
   * credits keep backing the open holds (see {@link #spend}).
   */
  private long owedByScoped;
  final List<LedgerEntry> entries = new ArrayList<>(4);
  /** Created by the first event: most transitions (a charge that crosses no threshold) have none. */
  private List<WalletEvent> events;

  Draft(Wallet wallet, Instant at, String key) {
    this.account = wallet.account();
    this.at = Arguments.require(at, "at");
    this.key = key;
    this.planId = wallet.planId();
    this.renewalPlanId = wallet.renewalPlanId();
    this.schedule = wallet.schedule();
    this.period = wallet.period();
    this.subscription = wallet.subscription();
    this.packs = PackList.of(wallet.packs());
    this.holds = wallet.holds();
    this.debt = wallet.debt();
    this.reference = wallet.reference();
    this.warningsRaised = wallet.warningsRaised();
    this.refunded = wallet.refunded();
    this.team = wallet.team();
    this.members = team.members();
    this.former = team.former();
    this.eventsRecorded = wallet.eventsRecorded();
    this.usage = wallet.usage();
    this.promotions = wallet.promotions();
    this.autoTopUp = wallet.autoTopUp();
  }

  List<PromotionGrant> promotionsToEdit() {
    if (!promotionsCopied) {
      promotions = new ArrayList<>(promotions);
      promotionsCopied = true;
    }
    return promotions;
  }

  List<Hold> holdsToEdit() {
    if (!holdsCopied) {
      holds = new ArrayList<>(holds);
      holdsCopied = true;
    }
    return holds;
  }

  List<Member> membersToEdit() {
    if (!membersCopied) {
      members = new ArrayList<>(members);
      membersCopied = true;
      membersChanged = true;
    }
    return members;
  }

  /**
   * Replaces the member at {@code position} with their new record: in place in the member list
   * (sharing all but one chunk with the wallet's, see {@link MemberList}) until the list is copied.
   */
  void replaceMember(int position, Member member) {
    if (members instanceof MemberList list) {
      members = list.replacing(position, member);
      membersChanged = true;
    } else {
      membersToEdit().set(position, member);
    }
  }

  /** The position of member {@code id} in {@link #members}, or -1: O(1) until the list is copied. */
  int memberPosition(AccountId id) {
    if (members instanceof MemberList list) {
      return list.positionOf(id);
    }
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  private List<Member> formerToEdit() {
    if (!formerCopied) {
      former = new ArrayList<>(former);
      formerCopied = true;
    }
    return former;
  }

  /** The team as it stands: the wallet's own when no member changed (no allocation). */
  private Team team() {
    if (!membersChanged && !formerCopied) {
      return team;
    }
    return members.isEmpty() && former.isEmpty() ? Team.NONE : new Team(members, former);
  }

  /**
   * {@code m} leaves the wallet. Their cap and what they spent this period are remembered (if
   * they had either), so that rejoining within the period restores them; beyond
   * {@link Team#MAX_FORMER} former members the earliest to leave is forgotten.
   */
  void leave(Member m) {
    membersToEdit().remove(m);
    remember(m);
  }

  private void remember(Member m) {
    if (!m.spent().isPositive() && m.cap().isEmpty()) {
      return;
    }
    List<Member> list = formerToEdit();
    list.removeIf(f -> f.id().equals(m.id()));
    list.add(m);
    if (list.size() > Team.MAX_FORMER) {
      list.remove(0);
    }
  }

  /**
   * {@code id} joins the wallet at this transition's time: as a new member, or, if they left it
   * earlier this period, with the cap and the spending they left with.
   */
  void join(AccountId id) {
    for (Member f : former) {
      if (f.id().equals(id)) {
        formerToEdit().remove(f);
        membersToEdit().add(new Member(id, at, f.cap(), f.spent(), f.spentByOperation()));
        return;
      }
    }
    membersToEdit().add(Member.joined(id, at));
  }

  Transition done() {
    Wallet wallet = new Wallet(account, planId, renewalPlanId, schedule, Wallet.periodIndex(period), subscription, packs,
        holds, debt, reference, warningsRaised, refunded, team(),
        // Each event gets the next number of the wallet's sequence: its id in the outbox.
        events == null ? eventsRecorded : Math.addExact(eventsRecorded, events.size()), usage, promotions, autoTopUp);
    return new Transition(wallet, entries, events == null ? List.of() : events);
  }

  void event(WalletEvent event) {
    if (events == null) {
      events = new ArrayList<>(2);
    }
    events.add(event);
  }

  Credits balance() {
    return Credits.ofThousandths(balanceThousandths());
  }

  private long balanceThousandths() {
    return Thousandths.add(Thousandths.add(Thousandths.add(subscription.thousandths(), packs.total()),
        Wallet.promotionThousandths(promotions, null, false)), -debt.thousandths());
  }

  /** The balance less every scoped promotional grant: what backs the open holds. */
  private long commonBalance() {
    return Thousandths.add(balanceThousandths(), -Wallet.promotionThousandths(promotions, null, true));
  }

  Credits available() {
    return Credits.ofThousandths(availableThousandths());
  }

  private long availableThousandths() {
    return Thousandths.add(balanceThousandths(), -Wallet.heldThousandths(holds));
  }

  void entry(LedgerEntry.Kind kind, String grant, Credits amount, String operation) {
    entryAt(at, kind, grant, amount, operation);
  }

  private void entryAt(Instant when, LedgerEntry.Kind kind, String grant, Credits amount, String operation) {
    entries.add(new LedgerEntry(account, when, kind, grant, amount, operation, key));
  }

  void grantSubscription(Plan plan, Instant when) {
    grantSubscription(plan.monthlyCredits(), when);
  }

  /**
   * {@code credits} of the period's allowance, in exact thousandths: {@code credits} times the
   * time left of the period ({@code at} to {@code end}) over the period's length ({@code start}
   * to {@code end}), to the nanosecond, rounded down to the thousandth (in the house's favour: the
   * share is never more than exact, and at most 0.001 less). A time before {@code start} (a clock
   * slightly behind) counts as the whole period.
   */
  static Credits prorated(Credits credits, Instant at, Instant start, Instant end) {
    long length = java.time.Duration.between(start, end).toNanos();
    long left = Math.min(length, java.time.Duration.between(at, end).toNanos());
    if (left <= 0 || !credits.isPositive()) {
      return Credits.ZERO;
    }
    return Credits.ofThousandths(java.math.BigInteger.valueOf(credits.thousandths())
        .multiply(java.math.BigInteger.valueOf(left)).divide(java.math.BigInteger.valueOf(length)).longValueExact());
  }

  private void grantSubscription(Credits credits, Instant when) {
    subscription = subscription.plus(credits);
    if (credits.isPositive()) {
      entryAt(when, LedgerEntry.Kind.GRANT, LedgerEntry.SUBSCRIPTION, credits, "");
    }
    if (debt.isPositive() && subscription.isPositive()) {
      Credits repaid = debt.min(subscription);
      subscription = subscription.minus(repaid);
      recordRepayment(when, LedgerEntry.SUBSCRIPTION, repaid);
    }
  }

  void grantPack(String grantId, String packId, Credits credits, WalletRules rules) {
    credit(grantId, packId, credits, LedgerEntry.Kind.GRANT, "", rules);
    event(new WalletEvent.CreditsGranted(account, at, grantId, credits));
  }

  /**
   * Adds a new never-expiring grant, raising the period's reference and repaying debt first. A
   * threshold the balance is now above again is re-armed, so the next crossing warns again.
   */
  void credit(String grantId, String packId, Credits credits, LedgerEntry.Kind kind, String operation,
      WalletRules rules) {
    // Oldest purchase first: a top-up recorded late but bought earlier goes before later ones.
    int position = packs.size();
    while (position > 0 && packs.get(position - 1).purchasedAt().isAfter(at)) {
      position--;
    }
    packs = packs.inserting(position, new PackGrant(grantId, packId, credits, credits, at));
    entry(kind, grantId, credits, operation);
    reference = reference.plus(credits);
    if (debt.isPositive()) {
      Credits repaid = debt.min(credits);
      takeFromPack(grantId, repaid, null, REPAY);
    }
    rearmWarnings(rules);
    rearmAutoTopUp();
  }

  private void recordRepayment(Instant when, String grant, Credits repaid) {
    debt = debt.minus(repaid);
    entryAt(when, LedgerEntry.Kind.ADJUSTMENT, grant, repaid.negate(), REPAY);
    entryAt(when, LedgerEntry.Kind.ADJUSTMENT, LedgerEntry.OVERDRAFT, repaid, REPAY);
  }

  /** Takes credits from one pack grant; {@code kind == null} means a debt repayment. */
  void takeFromPack(String grantId, Credits credits, LedgerEntry.Kind kind, String operation) {
    for (int i = 0; i < packs.size(); i++) {
      PackGrant grant = packs.get(i);
      if (grant.id().equals(grantId)) {
        Credits left = grant.remaining().minus(credits);
        packs = packs.with(i, left.isZero() ? null : grant.withRemaining(left));
        if (kind == null) {
          recordRepayment(at, grantId, credits);
        } else {
          entry(kind, grantId, credits.negate(), operation);
        }
        return;
      }
    }
    throw new IllegalStateException("no grant " + grantId);
  }

  /**
   * Reverses the pack grant {@code grantId}: what remains of it ({@code remaining}) is taken back,
   * and {@code spent} (what was spent from it) becomes debt, repaid at once from the subscription
   * and pack credits in the spend order (debt never stands beside them); promotional credits never
   * repay it. The holds its loss leaves uncovered are then cut back, the latest first.
   */
  void reversePack(String grantId, Credits remaining, Credits spent, WalletRules rules) {
    if (remaining.isPositive()) {
      takeFromPack(grantId, remaining, LedgerEntry.Kind.REVERSAL, REVERSAL);
    }
    if (spent.isPositive()) {
      debt = debt.plus(spent);
      entry(LedgerEntry.Kind.REVERSAL, LedgerEntry.OVERDRAFT, spent.negate(), REVERSAL);
      if (rules.spendOrder() == SpendOrder.SUBSCRIPTION_FIRST) {
        repayFromSubscription();
        repayFromPacks();
      } else {
        repayFromPacks();
        repayFromSubscription();
      }
    }
    trimHolds(at);
    refunded = refunded.withReversal(grantId, remaining.plus(spent));
    event(new WalletEvent.PackReversed(account, at, grantId, remaining, spent));
    raiseWarnings(rules);
  }

  private void repayFromSubscription() {
    if (debt.isPositive() && subscription.isPositive()) {
      Credits repaid = debt.min(subscription);
      subscription = subscription.minus(repaid);
      recordRepayment(at, LedgerEntry.SUBSCRIPTION, repaid);
    }
  }

  private void repayFromPacks() {
    while (debt.isPositive() && !packs.isEmpty()) {
      PackGrant oldest = packs.get(0);
      takeFromPack(oldest.id(), debt.min(oldest.remaining()), null, REPAY);
    }
  }

  /**
   * Spends {@code cost} for {@code operation} in the spend order; what no grant covers becomes debt.
   * Only the promotional grants that cover the operation pay (see {@link #spendAny}).
   */
  void spend(LedgerEntry.Kind kind, String operation, Credits cost, WalletRules rules) {
    spendIn(kind, operation, operation, cost, rules);
  }

  /** Spends {@code cost} (an adjustment, for {@code reason}) from every grant, in the spend order. */
  void spendAny(LedgerEntry.Kind kind, String reason, Credits cost, WalletRules rules) {
    spendIn(kind, reason, null, cost, rules);
  }

  /**
   * The spend order: subscription credits, then promotional grants (priority 0 first, then the
   * soonest expiry, then the oldest), then packs oldest first; under {@link SpendOrder#PACKS_FIRST}
   * promotional grants, then packs, then subscription credits. A scoped grant pays only for the
   * operations it covers ({@code scope}; null: any). The open holds stay backed by the common
   * credits: when taking from those would leave less than is held, the difference is taken from
   * the scoped grants that may pay, wherever they come in the order.
   */
  private void spendIn(LedgerEntry.Kind kind, String operation, String scope, Credits cost, WalletRules rules) {
    long scoped = Wallet.promotionThousandths(promotions, null, true)
        - (scope == null ? 0 : Wallet.promotionThousandths(promotions, scope, true));
    long common = Thousandths.add(commonBalance(), -Wallet.heldThousandths(holds));
    owedByScoped = Math.min(scoped, Math.max(0, cost.thousandths() - Math.max(0, common)));
    Credits left = cost;
    if (rules.spendOrder() == SpendOrder.SUBSCRIPTION_FIRST) {
      left = spendSubscription(kind, operation, left);
      left = spendPromotions(kind, operation, scope, left);
      left = spendPacks(kind, operation, left);
    } else {
      left = spendPromotions(kind, operation, scope, left);
      left = spendPacks(kind, operation, left);
      left = spendSubscription(kind, operation, left);
    }
    if (left.isPositive()) {
      debt = debt.plus(left);
      entry(kind, LedgerEntry.OVERDRAFT, left.negate(), operation);
    }
  }

  /** What a common grant may give of {@code wanted}: all but what the scoped grants still owe. */
  private Credits commonShare(Credits wanted) {
    if (owedByScoped == 0 && wanted.thousandths() >= 0) {
      return wanted;
    }
    return Credits.ofThousandths(Math.max(0, wanted.thousandths() - owedByScoped));
  }

  private Credits spendSubscription(LedgerEntry.Kind kind, String operation, Credits wanted) {
    Credits taken = commonShare(wanted).min(subscription);
    if (!taken.isPositive()) {
      return wanted;
    }
    subscription = subscription.minus(taken);
    entry(kind, LedgerEntry.SUBSCRIPTION, taken.negate(), operation);
    return wanted.minus(taken);
  }

  private Credits spendPromotions(LedgerEntry.Kind kind, String operation, String scope, Credits wanted) {
    Credits left = wanted;
    for (int i = 0; i < promotions.size() && left.isPositive(); i++) {
      PromotionGrant grant = promotions.get(i);
      Credits taken;
      if (!grant.isScoped()) {
        taken = commonShare(left).min(grant.remaining());
      } else if (scope == null || grant.covers(scope)) {
        taken = left.min(grant.remaining());
        owedByScoped = Math.max(0, owedByScoped - taken.thousandths());
      } else {
        continue;
      }
      if (!taken.isPositive()) {
        continue;
      }
      left = left.minus(taken);
      entry(kind, grant.id(), taken.negate(), operation);
      if (taken.equals(grant.remaining())) {
        promotionsToEdit().remove(i);
        i--;
      } else {
        promotionsToEdit().set(i, grant.withRemaining(grant.remaining().minus(taken)));
      }
    }
    return left;
  }

  private Credits spendPacks(LedgerEntry.Kind kind, String operation, Credits wanted) {
    Credits left = wanted;
    // Oldest first, so only the head of the list changes: O(grants touched), not O(grants held).
    while (!packs.isEmpty() && left.isPositive()) {
      PackGrant grant = packs.get(0);
      Credits taken = commonShare(left).min(grant.remaining());
      if (!taken.isPositive()) {
        break;
      }
      left = left.minus(taken);
      entry(kind, grant.id(), taken.negate(), operation);
      packs = taken.equals(grant.remaining()) ? packs.withoutFirst()
          : packs.withFirst(grant.withRemaining(grant.remaining().minus(taken)));
    }
    return left;
  }

  /**
   * Adds a promotional grant at its place in the spend order. It repays no debt: its credits pay
   * only for what is done from now on, in its scope.
   */
  void grantPromotion(String grantId, dev.creditgate.model.Promotion promotion, WalletRules rules) {
    List<String> scope = new ArrayList<>(promotion.scope().size());
    for (dev.creditgate.model.Operation operation : promotion.scope()) {
      scope.add(operation.id());
    }
    PromotionGrant grant = new PromotionGrant(grantId, promotion.reason(), promotion.credits(), promotion.credits(),
        at, promotion.expiresAt(), promotion.priority(), scope, false);
    List<PromotionGrant> list = promotionsToEdit();
    int position = 0;
    while (position < list.size() && PromotionGrant.SPEND_ORDER.compare(list.get(position), grant) < 0) {
      position++;
    }
    list.add(position, grant);
    entry(LedgerEntry.Kind.GRANT, grantId, promotion.credits(), promotion.reason());
    reference = reference.plus(promotion.credits());
    event(new WalletEvent.PromotionGranted(account, at, grantId, promotion.credits(), promotion.expiresAt(),
        promotion.reason(), List.copyOf(promotion.scope()), promotion.priority()));
    rearmWarnings(rules);
    rearmAutoTopUp();
    // A grant that already expires within the lead time is warned about at once.
    warnExpiringPromotions(rules.expiryWarningLead());
  }

  /** Takes {@code credits} back from the promotional grant {@code grantId} (a revocation). */
  void takeFromPromotion(String grantId, Credits credits) {
    for (int i = 0; i < promotions.size(); i++) {
      PromotionGrant grant = promotions.get(i);
      if (grant.id().equals(grantId)) {
        Credits left = grant.remaining().minus(credits);
        if (left.isZero()) {
          promotionsToEdit().remove(i);
        } else {
          promotionsToEdit().set(i, grant.withRemaining(left));
        }
        entry(LedgerEntry.Kind.REFUND, grantId, credits.negate(), "");
        return;
      }
    }
    throw new IllegalStateException("no promotion " + grantId);
  }

  /**
   * Expires every promotional grant due by {@code until}, in expiry order, each at its own time:
   * the holds due by then are released first; then what is left of the grant expires whole (an
   * {@code EXPIRY} entry naming it, and a {@code PromotionExpired} event), and if it was a common
   * grant the holds its loss leaves uncovered are cut back, the latest first, as at a renewal.
   */
  void expirePromotions(Instant until) {
    while (true) {
      int due = -1;
      for (int i = 0; i < promotions.size(); i++) {
        PromotionGrant p = promotions.get(i);
        if (!p.expiresAt().isAfter(until) && (due < 0 || p.expiresAt().isBefore(promotions.get(due).expiresAt()))) {
          due = i;
        }
      }
      if (due < 0) {
        return;
      }
      PromotionGrant expired = promotionsToEdit().remove(due);
      Instant when = expired.expiresAt();
      expireHolds(when);
      entryAt(when, LedgerEntry.Kind.EXPIRY, expired.id(), expired.remaining().negate(), "");
      event(new WalletEvent.PromotionExpired(account, when, expired.id(), expired.remaining()));
      if (!expired.isScoped()) {
        trimHolds(when);
      }
    }
  }

  /**
   * Records what a charge or capture took in the wallet's usage history (its day and its period),
   * and that the period ran out if it left no credits available.
   */
  void recordUse(Credits spent) {
    usage = usage.spent(at, spent);
    // Run out: nothing left that every operation may spend (credits scoped to some operations do
    // not keep a wallet from running out of the rest).
    if (Thousandths.add(commonBalance(), -Wallet.heldThousandths(holds)) <= 0) {
      usage = usage.ranOut(at);
    }
  }

  /** Counts what a member's charge or capture took against their spending this period. */
  void countSpending(Optional<AccountId> member, String operation, Credits credits) {
    if (member.isEmpty()) {
      return;
    }
    int position = memberPosition(member.get());
    if (position >= 0) {
      replaceMember(position, members.get(position).withSpending(operation, credits));
      return;
    }
    // A former member's hold, captured after they left: it still counts against them this period.
    for (int i = 0; i < former.size(); i++) {
      Member m = former.get(i);
      if (m.id().equals(member.get())) {
        formerToEdit().set(i, m.withSpending(operation, credits));
        return;
      }
    }
    remember(Member.joined(member.get(), at).withSpending(operation, credits));
  }

  void closeHold(Hold hold) {
    holdsToEdit().remove(hold);
    entry(LedgerEntry.Kind.RELEASE, hold.id(), hold.amount().negate(), hold.operation().id());
  }

  void expireHolds(Instant now) {
    for (Hold hold : List.copyOf(holds)) {
      if (!hold.expiresAt().isAfter(now)) {
        holdsToEdit().remove(hold);
        entryAt(hold.expiresAt(), LedgerEntry.Kind.RELEASE, hold.id(), hold.amount().negate(),
            hold.operation().id());
      }
    }
  }

  /** The unused subscription credits lapse. */
  private void expireSubscription(Instant when) {
    if (subscription.isPositive()) {
      entryAt(when, LedgerEntry.Kind.EXPIRY, LedgerEntry.SUBSCRIPTION, subscription.negate(), "");
      event(new WalletEvent.SubscriptionCreditsExpired(account, when, subscription));
      subscription = Credits.ZERO;
    }
  }

  /**
   * After a renewal or an upgrade the open holds may reserve more than the wallet now holds (a
   * renewal to a smaller plan): they are trimmed, the latest first, so that nothing is ever
   * reserved twice or charged beyond the wallet. A trimmed hold's capture then charges less.
   */
  private void trimHolds(Instant when) {
    // Only the common credits back holds: a scoped promotional grant never does.
    Credits excess = Credits.ofThousandths(Wallet.heldThousandths(holds))
        .minus(Credits.ofThousandths(commonBalance()).max(Credits.ZERO));
    for (int i = holds.size() - 1; i >= 0 && excess.isPositive(); i--) {
      Hold hold = holds.get(i);
      Credits cut = excess.min(hold.amount());
      excess = excess.minus(cut);
      if (cut.equals(hold.amount())) {
        holdsToEdit().remove(i);
      } else {
        holdsToEdit().set(i, new Hold(hold.id(), hold.operation(), hold.amount().minus(cut), hold.createdAt(),
            hold.expiresAt(), hold.member()));
      }
      entryAt(when, LedgerEntry.Kind.RELEASE, hold.id(), cut.negate(), hold.operation().id());
    }
  }

  /**
   * Renews over every period up to {@code target}, in time order: holds due by a renewal expire
   * before it. The unused subscription credits expire at the first missed renewal and the allowance
   * in force is granted once, at the last. While a debt is to be repaid the periods are walked one
   * by one, exactly as if the wallet had been touched every month.
   */
  void renew(long target, WalletRules rules) {
    long next = period + 1;
    Instant renewal = schedule.periodStart(next);
    expirePromotions(renewal);
    usage = usage.closePeriod(schedule.periodStart(period), renewal);
    // The periods the wallet slept through, each with nothing done; only the last few are kept.
    for (long missed = Math.max(next, target - UsageHistory.PERIODS_KEPT); missed < target; missed++) {
      usage = usage.closePeriod(schedule.periodStart(missed), schedule.periodStart(missed + 1));
    }
    expireHolds(renewal);
    // What the period ending at `last` left unused, and its plan: the rollover's source.
    Plan ending = rules.catalog().plan(planId);
    Credits unused = subscription;
    expireSubscription(renewal);
    planId = renewalPlanId;
    Plan plan = rules.catalog().plan(planId);
    if (next < target) {
      // A period slept through left its whole allowance unused (unless a debt took it, below).
      ending = plan;
      unused = plan.monthlyCredits();
    }
    while (next < target && debt.isPositive() && plan.monthlyCredits().isPositive()) {
      grantSubscription(plan, renewal);
      event(new WalletEvent.SubscriptionRenewed(account, renewal, planId, plan.monthlyCredits(),
          schedule.periodStart(next + 1)));
      next++;
      renewal = schedule.periodStart(next);
      expireHolds(renewal);
      if (next == target) {
        unused = subscription;
      }
      expireSubscription(renewal);
    }
    Instant last = schedule.periodStart(target);
    expirePromotions(last);
    period = target;
    startMemberPeriod(plan, last);
    grantSubscription(plan, last);
    rollOver(ending, unused, last, schedule.periodStart(target + 1), rules);
    trimHolds(last);
    startReferencePeriod();
    event(new WalletEvent.SubscriptionRenewed(account, last, planId, plan.monthlyCredits(),
        schedule.periodStart(target + 1)));
  }

  /** What a rollover grant's ledger name starts with, before the start of the period it is for. */
  static final String ROLLOVER = "rollover:";

  /**
   * The rollover of {@code ending}'s period: {@code unused} credits, up to the plan's cap, come
   * back as a promotional grant {@code "rollover:<start>"} of every operation, with priority 0,
   * expiring at {@code end} (the new period's end). It repays no debt, as no promotion does. A
   * wallet already keeping {@link Wallet#MAX_PROMOTIONS} promotional grants gets none.
   */
  private void rollOver(Plan ending, Credits unused, Instant start, Instant end, WalletRules rules) {
    if (!ending.rollover().isEnabled() || !unused.isPositive() || promotions.size() >= Wallet.MAX_PROMOTIONS) {
      return;
    }
    Credits credits = unused.min(ending.rollover().capFor(ending.monthlyCredits()));
    if (!credits.isPositive()) {
      return;
    }
    String id = ROLLOVER + start;
    PromotionGrant grant = new PromotionGrant(id, "rollover", credits, credits, start, end, 0, List.of(), false);
    List<PromotionGrant> list = promotionsToEdit();
    int position = 0;
    while (position < list.size() && PromotionGrant.SPEND_ORDER.compare(list.get(position), grant) < 0) {
      position++;
    }
    list.add(position, grant);
    entryAt(start, LedgerEntry.Kind.GRANT, id, credits, "rollover");
    event(new WalletEvent.PromotionGranted(account, start, id, credits, end, "rollover", List.of(), 0));
  }

  /**
   * An upgrade to {@code target}, at once. {@link UpgradePolicy#RESTART_PERIOD}: the old plan's
   * subscription credits expire, a new period starts now and the new allowance is granted whole.
   * {@link UpgradePolicy#KEEP_RENEWAL_DATE}: the subscription credits left stay, and the
   * difference between the two allowances is granted prorated to the part of the period left
   * ({@link #prorated}).
   */
  void upgrade(Plan target, WalletRules rules) {
    String from = planId;
    Plan old = rules.catalog().plan(planId);
    boolean restart = rules.upgradePolicy() == UpgradePolicy.RESTART_PERIOD;
    if (restart) {
      expireSubscription(at);
    }
    planId = target.id();
    renewalPlanId = target.id();
    usage = usage.upgraded();
    if (restart) {
      schedule = RenewalSchedule.startingAt(at, schedule.zone());
      period = 0;
      startMemberPeriod(target, at);
      grantSubscription(target, at);
    } else {
      trimMembers(target, at);
      Credits difference = target.monthlyCredits().minus(old.monthlyCredits()).max(Credits.ZERO);
      grantSubscription(prorated(difference, at, schedule.periodStart(period), schedule.periodStart(period + 1)), at);
    }
    trimHolds(at);
    startReferencePeriod();
    rearmAutoTopUp();
    event(new WalletEvent.PlanChanged(account, at, from, target.id(), at));
  }

  /**
   * A new period: members' spending resets, those beyond the plan's seats leave, and the former
   * members of the period ending are forgotten.
   */
  private void startMemberPeriod(Plan plan, Instant when) {
    trimMembers(plan, when);
    if (!former.isEmpty()) {
      formerToEdit().clear();
    }
    if (!members.isEmpty()) {
      membersToEdit().replaceAll(Member::resetForNewPeriod);
    }
  }

  /** Members beyond a smaller plan's seats leave, the latest to join first. */
  private void trimMembers(Plan plan, Instant when) {
    while (members.size() > plan.seats()) {
      Member leaving = membersToEdit().remove(members.size() - 1);
      remember(leaving);
      event(new WalletEvent.MemberRemoved(account, when, leaving.id()));
    }
  }

  private void startReferencePeriod() {
    reference = balance().max(Credits.ZERO);
    warningsRaised = 0;
  }

  /**
   * Re-arms each warning the available credits are now above again (after a grant), so that the
   * next crossing publishes it again: a percent or absolute threshold once the balance is above
   * it, the depletion once it is above zero.
   */
  private void rearmWarnings(WalletRules rules) {
    if (warningsRaised == 0) {
      return;
    }
    List<Integer> percents = rules.warningPercents();
    List<Credits> amounts = rules.warningCredits();
    long available = availableThousandths();
    for (int i = 0; i < percents.size(); i++) {
      if (available > WalletRules.percentOf(reference, percents.get(i))) {
        warningsRaised &= ~(1 << i);
      }
    }
    for (int i = 0; i < amounts.size(); i++) {
      if (available > amounts.get(i).thousandths()) {
        warningsRaised &= ~(1 << (percents.size() + i));
      }
    }
    if (available > 0) {
      warningsRaised &= ~WalletRules.DEPLETED_BIT;
    }
  }

  /**
   * Publishes each threshold the available credits are now at or under, in percent, then in
   * credits, then the depletion: once per crossing, so not again until a grant lifts the balance
   * back above it (or the period ends).
   */
  void raiseWarnings(WalletRules rules) {
    List<Integer> percents = rules.warningPercents();
    List<Credits> amounts = rules.warningCredits();
    Credits available = null;
    for (int i = 0; i < percents.size(); i++) {
      int bit = 1 << i;
      if ((warningsRaised & bit) != 0) {
        continue;
      }
      if (available == null) {
        available = available();
      }
      int percent = percents.get(i);
      if (available.thousandths() <= WalletRules.percentOf(reference, percent)) {
        warningsRaised |= bit;
        event(new WalletEvent.ThresholdCrossed(account, at, percent, available, reference));
      }
    }
    for (int i = 0; i < amounts.size(); i++) {
      int bit = 1 << (percents.size() + i);
      if ((warningsRaised & bit) != 0) {
        continue;
      }
      if (available == null) {
        available = available();
      }
      if (available.compareTo(amounts.get(i)) <= 0) {
        warningsRaised |= bit;
        event(new WalletEvent.BalanceBelow(account, at, amounts.get(i), available));
      }
    }
    if (rules.warnWhenDepleted() && (warningsRaised & WalletRules.DEPLETED_BIT) == 0) {
      if (available == null) {
        available = available();
      }
      if (!available.isPositive()) {
        warningsRaised |= WalletRules.DEPLETED_BIT;
        event(new WalletEvent.CreditsDepleted(account, at, available));
      }
    }
  }

  /**
   * Records an auto top-up request, after the warnings of a customer's spend (a charge, a capture;
   * not an adjustment, which is support's act), when the spend leaves the credits
   * every operation may spend (the available credits less scoped promotional grants) at or under
   * the rule's threshold, the rule is on, no request is open, the back-off
   * after a decline is over (a request is made again from {@code retryNotBefore} on, exactly), and
   * the billing period's limits leave room; a request the limits refuse is recorded once per
   * crossing, with an event.
   */
  void requestAutoTopUp(WalletRules rules) {
    AutoTopUpState s = autoTopUp;
    if (s == null || !s.on() || s.open() != null) {
      return;
    }
    AutoTopUp rule = s.rule();
    Credits available = commonAvailable();
    if (available.compareTo(rule.threshold()) > 0
        || s.retryNotBefore() != null && at.isBefore(s.retryNotBefore())) {
      return;
    }
    s = s.inPeriod(schedule.periodStart(period));
    String pack;
    Credits credits;
    Money price;
    if (rule.pack().isPresent()) {
      Optional<Pack> found = rules.catalog().packs().stream().filter(p -> p.id().equals(rule.pack().get())).findFirst();
      if (found.isEmpty()) {
        return;
      }
      pack = found.get().id();
      credits = found.get().credits();
      price = found.get().price();
    } else {
      Optional<CustomPackTerms> terms = rules.catalog().customPacks();
      if (terms.isEmpty()) {
        return;
      }
      // Saturated, never an overflow inside a charge: so far short that no price restores it.
      long gap;
      try {
        gap = Math.subtractExact(rule.targetBalance().get().thousandths(), available.thousandths());
      } catch (ArithmeticException e) {
        gap = Long.MAX_VALUE;
      }
      Credits wanted = Credits.ofThousandths(gap);
      price = terms.get().cheapestPriceFor(wanted).orElse(terms.get().maxPrice());
      pack = CUSTOM;
      credits = terms.get().creditsFor(price);
    }
    AutoTopUp.Limit reached = s.requests() >= rule.monthlyCount() ? AutoTopUp.Limit.COUNT
        : !price.currency().equals(s.requested().currency())
            || AutoTopUpState.plus(s.requested(), price).compareTo(rule.monthlyLimit()) > 0
            ? AutoTopUp.Limit.AMOUNT : null;
    if (reached != null) {
      if (!s.refusedThisCrossing()) {
        autoTopUp = s.refused(new AutoTopUpStatus.Refusal(at, reached, price));
        event(new WalletEvent.AutoTopUpRefused(account, at, reached, price, s.requests(), s.requested()));
      }
      return;
    }
    AutoTopUpStatus.OpenRequest request = new AutoTopUpStatus.OpenRequest(s.nextId(account.value(), at), pack,
        credits, price, at);
    autoTopUp = s.requested(request);
    event(new WalletEvent.AutoTopUpRequested(account, at, request.id(), pack, credits, price));
  }

  /**
   * Closes the open auto top-up request if {@code paymentId} is its id: the top-up of
   * {@code packId} at {@code price} under it confirms it. A top-up under one of this wallet's
   * closed request ids is granted too (the customer paid) and counted in this period's limits
   * (see {@link AutoTopUpState#paidLate}).
   *
   * @throws InvalidRequestException if it is the open request's id but buys another pack or price
   */
  void confirmAutoTopUp(String paymentId, String packId, Money price) {
    AutoTopUpState s = autoTopUp;
    if (s == null) {
      return;
    }
    if (s.open() == null || !s.open().id().equals(paymentId)) {
      if (s.numberOf(account.value(), paymentId) > 0) {
        autoTopUp = s.inPeriod(schedule.periodStart(period)).paidLate(price);
      }
      return;
    }
    AutoTopUpStatus.OpenRequest open = s.open();
    if (!open.pack().equals(packId) || !open.price().equals(price)) {
      throw new InvalidRequestException("pack", packId, "auto top-up request '" + open.id() + "' asks for pack '"
          + open.pack() + "' at " + open.price() + ", not '" + packId + "' at " + price);
    }
    autoTopUp = s.confirmed();
  }

  /** Once the available credits are back above the threshold, a refusal is recorded again. */
  private void rearmAutoTopUp() {
    if (autoTopUp != null && autoTopUp.refusedThisCrossing()
        && commonAvailable().compareTo(autoTopUp.rule().threshold()) > 0) {
      autoTopUp = autoTopUp.rearmed();
    }
  }

  /**
   * What every operation may spend: the available credits less every scoped promotional grant.
   * Auto top-up compares these with its threshold and restores them to its target balance:
   * credits only some operations may spend do not keep the others running.
   */
  private Credits commonAvailable() {
    return Credits.ofThousandths(Thousandths.add(availableThousandths(),
        -Wallet.promotionThousandths(promotions, null, true)));
  }

  /**
   * Publishes the expiry warning of each promotional grant not yet warned whose expiry is within
   * {@code lead} of this transition's time (it is unexpired: those due have expired first), once
   * per grant; nothing when {@code lead} is zero.
   */
  void warnExpiringPromotions(java.time.Duration lead) {
    if (lead.isZero()) {
      return;
    }
    for (int i = 0; i < promotions.size(); i++) {
      PromotionGrant grant = promotions.get(i);
      if (Wallet.expiryWarningDue(grant, at, lead)) {
        promotionsToEdit().set(i, grant.warned());
        event(new WalletEvent.PromotionExpiring(account, at, grant.id(), grant.remaining(), grant.expiresAt()));
      }
    }
  }
}
