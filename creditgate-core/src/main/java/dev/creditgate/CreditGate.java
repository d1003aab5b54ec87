package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.OutcomePolicy;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.GateObserver;
import dev.creditgate.spi.GateObserver.Call;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The gate: asked before every action, it answers whether an account may do it now and what it
 * costs, and records what was spent.
 *
 * <pre>{@code
 * CreditGate gate = CreditGate.inMemory();     // or CreditGate.builder(store)...build()
 * AccountId alice = AccountId.of("alice");
 * gate.openWallet(alice, ZoneId.of("Europe/Paris"));
 * Decision d = gate.charge(alice, Operation.AI_CHAT_MESSAGE, 1_800, IdempotencyKey.of("msg-42"));
 * if (d instanceof Decision.Denied denied) { show(denied.waysOut()); }
 * }</pre>
 *
 * <p><b>Time.</b> Every call made at a time has two forms: one at the instant the gate's
 * {@link CreditGateBuilder#clock clock} reads now, and one at an explicit {@code Instant} (for
 * tests, replays and queued jobs). The gate reads its clock only in the first form; everything
 * below it is pure. An explicit time must lie in the years 1 to 9999.
 *
 * <p><b>Thread safety.</b> A gate is immutable and thread-safe; share one per store.
 *
 * <p><b>Atomicity.</b> Every mutation ({@code charge}, {@code topUp}, {@code changePlan}, ...)
 * reads the wallet, decides with the pure domain, and commits the new wallet, its ledger entries
 * and its idempotency record in one atomic write: under the store's lock for a locking store, or
 * as a conditional commit that decides again from the fresh state when another commit came first.
 * So there is no lost update and no overspend, however many threads or service instances share the
 * store.
 *
 * <p><b>Idempotency.</b> Every mutation takes a caller-given key, scoped to the account. Repeating
 * a call with the same key and arguments returns the first result and changes nothing; the same
 * key with other arguments throws {@link IdempotencyConflictException}. A <em>denied</em> charge
 * writes nothing, not even its key: repeating it decides again, so a retry after a top-up goes
 * through, and a retry can never charge twice because only an allowed charge records its key.
 *
 * <p><b>Reads.</b> {@link #check} and {@link #status} never write: they apply any renewal due to a
 * copy in memory. A free operation is always allowed and never touches the store's write path.
 *
 * <p><b>Bad input</b> throws a {@link CreditGateException} naming the bad value before anything is
 * written.
 */
public final class CreditGate {
  private final WalletRules rules;
  private final CostTable costs;
  private final Clock clock;
  private final MutationRunner runner;
  private final Spending spending;
  private final Purchases purchases;
  private final TeamWallets teams;
  private final LedgerAudit audit;
  private final HoldSweep sweep;
  private final Observers observers;
  private final Advisor advisor;

  CreditGate(CreditGateBuilder b) {
    this.rules = new WalletRules(b.catalog, b.spendOrder, b.overdraft, b.upgradePolicy, b.warningPercents,
        b.warningCredits, b.warnWhenDepleted, b.expiryWarningLead);
    this.costs = b.costs;
    this.clock = b.clock;
    this.observers = new Observers(b.observer);
    this.runner = new MutationRunner(b.store, b.events, rules, observers);
    this.advisor = new Advisor(rules.catalog(), new Runway((int) b.forecastWindow.toDays(), b.forecastMinimumHistory, b.spendOrder),
        b.upgradeAdvicePeriodsShort, b.upgradeAdviceOfLastPeriods, b.upgradeAdvicePacksPercent);
    this.spending = new Spending(runner, new Decider(rules, costs, advisor), b.outcomes, b.holdTimeToLive);
    this.purchases = new Purchases(runner);
    this.teams = new TeamWallets(runner);
    this.audit = new LedgerAudit(runner);
    this.sweep = new HoldSweep(runner);
  }

  /**
   * Configures a gate over {@code store}: the one a production service names (for example a
   * {@code JdbcWalletStore}), or an {@link InMemoryWalletStore} for tests and single-process
   * hosts.
   *
   * @param store where the gate keeps its wallets, their ledgers and the idempotency records
   * @return a builder over {@code store} with every other setting at its default
   * @throws InvalidRequestException if {@code store} is null
   */
  public static CreditGateBuilder builder(WalletStore store) {
    return new CreditGateBuilder(Arguments.require(store, "store"));
  }

  /**
   * A gate with every default over a new, empty {@link InMemoryWalletStore}: for tests, demos and
   * single-process hosts. Its wallets live in this JVM's heap and do not survive a restart.
   *
   * @return a new gate over a store of its own, with no wallet open yet
   */
  public static CreditGate inMemory() {
    return builder(InMemoryWalletStore.create()).build();
  }

  /**
   * The plans and packs this gate sells.
   *
   * @return the catalog the gate was built with ({@link Catalog#defaults()} unless configured)
   */
  public Catalog catalog() {
    return rules.catalog();
  }

  /**
   * What each operation costs.
   *
   * @return the cost table the gate was built with ({@link CostTable#defaults()} unless
   *     configured)
   */
  public CostTable costTable() {
    return costs;
  }

  WalletRules rules() {
    return rules;
  }

  /**
   * Opens a wallet on the catalog's starting plan (Free by default), with its allowance granted at
   * once and renewing monthly at {@code at}'s local date and time in {@code zone}. Idempotent by
   * account: opening an open wallet changes nothing and returns its status.
   *
   * @param account the wallet's account
   * @param zone the time zone whose local date and time the monthly renewals keep; ignored if the
   *     wallet is already open
   * @param at the time of the call (years 1 to 9999), when the first billing period starts; the
   *     overload without it reads the gate's clock
   * @return the wallet as it stands at {@code at}: the new one, or the open one unchanged
   */
  public WalletStatus openWallet(AccountId account, ZoneId zone, Instant at) {
    return observers.timed(Call.OPEN, () -> {
      Arguments.require(account, "account");
      Arguments.require(zone, "zone");
      Arguments.requireTime(at, "at");
      runner.open(Wallet.open(account, rules.catalog().startingPlan(), zone, at));
      return status(account, at);
    });
  }

  /**
   * {@link #openWallet(AccountId,ZoneId,Instant)} at the instant the gate's clock reads now.
   *
   * @param account the wallet's account
   * @param zone the time zone whose local date and time the monthly renewals keep; ignored if the
   *     wallet is already open
   * @return the wallet as it stands now: the new one, or the open one unchanged
   */
  public WalletStatus openWallet(AccountId account, ZoneId zone) {
    return openWallet(account, zone, clock.instant());
  }

  /**
   * The wallet as it stands at {@code at}. Never writes.
   *
   * @param account the wallet's account
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the wallet's balances, plan and period after any renewal and hold expiry due by
   *     {@code at}
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public WalletStatus status(AccountId account, Instant at) {
    Arguments.require(account, "account");
    Arguments.requireTime(at, "at");
    return WalletStatus.of(runner.current(account, at), rules);
  }

  /**
   * {@link #status(AccountId,Instant)} at the instant the gate's clock reads now.
   *
   * @param account the wallet's account
   * @return the wallet's balances, plan and period after any renewal and hold expiry due by now
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public WalletStatus status(AccountId account) {
    return status(account, clock.instant());
  }

  /**
   * The runway: at the wallet's recent burn rate, when its credits run out, whether before the
   * next renewal, and the credits needed to reach it. Computed from what the wallet keeps of its
   * last days (never its ledger), exactly; a wallet that spent nothing in the window has no
   * run-out time, and one whose first recorded spend is too recent is told so, not guessed at
   * (see {@link Forecast} and {@link CreditGateBuilder#forecastWindow}). Never writes.
   *
   * <pre>{@code
   * if (gate.forecast(maya) instanceof Forecast.Projected p && p.runsOutBeforeRenewal()) {
   *   warn(p.runsOutAt(), p.marginBeforeRenewal(), p.neededToReachRenewal());
   * }
   * }</pre>
   *
   * @param account the wallet's account
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the projection, or why there is none
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public Forecast forecast(AccountId account, Instant at) {
    Arguments.require(account, "account");
    Arguments.requireTime(at, "at");
    return advisor.runway().forecast(runner.current(account, at), at);
  }

  /**
   * {@link #forecast(AccountId,Instant)} at the instant the gate's clock reads now.
   *
   * @param account the wallet's account
   * @return the projection, or why there is none
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public Forecast forecast(AccountId account) {
    return forecast(account, clock.instant());
  }

  /**
   * Which to buy when: one recommendation, with its reason and numbers, by the rule {@link Advice}
   * documents: upgrade when running out or buying packs is a habit or the packs cost more than the
   * plan (with the break-even); else the smallest pack that covers the {@linkplain #forecast
   * forecast}'s gap to the renewal; else wait for the renewal. A denial's
   * {@link WaysOut#recommended()} is the same advice, for its shortfall. Never writes.
   *
   * <pre>{@code
   * if (gate.advice(maya) instanceof Advice.Upgrade up) {
   *   show(up.sentence());   // "Upgrade to Pro: last month $35.00 in packs; Pro costs $20.00 a month more ..."
   * }
   * }</pre>
   *
   * @param account the wallet's account
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return wait for the renewal, buy a pack, or upgrade, with why
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public Advice advice(AccountId account, Instant at) {
    Arguments.require(account, "account");
    Arguments.requireTime(at, "at");
    return advisor.advise(runner.current(account, at), at, Optional.empty());
  }

  /**
   * {@link #advice(AccountId,Instant)} at the instant the gate's clock reads now.
   *
   * @param account the wallet's account
   * @return wait for the renewal, buy a pack, or upgrade, with why
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public Advice advice(AccountId account) {
    return advice(account, clock.instant());
  }

  /**
   * Decides whether {@code account} may do {@code quantity} of {@code operation} at {@code at},
   * without changing anything.
   *
   * @param account the wallet's account
   * @param operation what the account is about to do, as the gate's cost table lists it
   * @param quantity how much of it: units of a fixed cost (at least 1), or metered units such as
   *     tokens (0 or more)
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return allowed, with the cost and the available credits it would leave, or denied, with the
   *     shortfall and the ways out
   * @throws dev.creditgate.UnknownOperationException if the cost table does not list it
   * @throws dev.creditgate.UnknownAccountException if no wallet is open for the account
   */
  public Decision check(AccountId account, Operation operation, long quantity, Instant at) {
    return observers.decision(Call.CHECK, () -> spending.check(account, Optional.empty(), operation, quantity, at));
  }

  /**
   * {@link #check(AccountId,Operation,long,Instant)} at the instant the gate's clock reads now.
   *
   * @param account the wallet's account
   * @param operation what the account is about to do, as the gate's cost table lists it
   * @param quantity how much of it: units of a fixed cost (at least 1), or metered units such as
   *     tokens (0 or more)
   * @return allowed, with the cost and the available credits it would leave, or denied, with the
   *     shortfall and the ways out
   */
  public Decision check(AccountId account, Operation operation, long quantity) {
    return check(account, operation, quantity, clock.instant());
  }

  /**
   * {@link #check(AccountId, Operation, long, Instant)} for {@code member} of the shared wallet
   * {@code account}: also denied, with {@link Decision.Reason#MEMBER_CAP_REACHED}, when the cost
   * exceeds what the member has left under their cap.
   *
   * @param account the shared wallet's account
   * @param member the member who is about to act
   * @param operation what the member is about to do, as the gate's cost table lists it
   * @param quantity how much of it: units of a fixed cost (at least 1), or metered units such as
   *     tokens (0 or more)
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return allowed, or denied for lack of credits in the wallet or of room under the member's cap
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public Decision check(AccountId account, AccountId member, Operation operation, long quantity, Instant at) {
    return observers.decision(Call.CHECK,
        () -> spending.check(account, Optional.of(Arguments.require(member, "member")), operation, quantity, at));
  }

  /**
   * {@link #check(AccountId,AccountId,Operation,long,Instant)} at the instant the gate's clock
   * reads now.
   *
   * @param account the shared wallet's account
   * @param member the member who is about to act
   * @param operation what the member is about to do, as the gate's cost table lists it
   * @param quantity how much of it: units of a fixed cost (at least 1), or metered units such as
   *     tokens (0 or more)
   * @return allowed, or denied for lack of credits in the wallet or of room under the member's cap
   */
  public Decision check(AccountId account, AccountId member, Operation operation, long quantity) {
    return check(account, member, operation, quantity, clock.instant());
  }

  /**
   * Decides and, if allowed, spends the cost at once, atomically: the credits are taken in the
   * spend order and the ledger records one entry per grant touched. A denial changes nothing.
   * Publishes a warning the first time in a period the balance falls to or under each threshold.
   * A free operation writes nothing, but its key is checked like any other: a key recorded for
   * another call throws {@link IdempotencyConflictException}.
   *
   * @param account the wallet's account
   * @param operation what the account does, as the gate's cost table lists it
   * @param quantity how much of it: units of a fixed cost (at least 1), or metered units such as
   *     tokens (0 or more)
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return allowed and paid for, or denied with nothing written; a repeat of an allowed call
   *     returns its first decision
   */
  public Decision charge(AccountId account, Operation operation, long quantity, IdempotencyKey key,
      Instant at) {
    return observers.decision(Call.CHARGE,
        () -> spending.charge(account, Optional.empty(), operation, quantity, key, at));
  }

  /**
   * {@link #charge(AccountId,Operation,long,IdempotencyKey,Instant)} at the instant the gate's
   * clock reads now.
   *
   * @param account the wallet's account
   * @param operation what the account does, as the gate's cost table lists it
   * @param quantity how much of it: units of a fixed cost (at least 1), or metered units such as
   *     tokens (0 or more)
   * @param key the idempotency key of this call
   * @return allowed and paid for, or denied with nothing written; a repeat of an allowed call
   *     returns its first decision
   */
  public Decision charge(AccountId account, Operation operation, long quantity, IdempotencyKey key) {
    return charge(account, operation, quantity, key, clock.instant());
  }

  /**
   * {@link #charge(AccountId, Operation, long, IdempotencyKey, Instant)} for {@code member} of the
   * shared wallet {@code account}: it draws on the wallet and counts against the member's cap.
   *
   * @param account the shared wallet's account
   * @param member the member who acts
   * @param operation what the member does, as the gate's cost table lists it
   * @param quantity how much of it: units of a fixed cost (at least 1), or metered units such as
   *     tokens (0 or more)
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return allowed and paid for, or denied (for lack of credits or of room under the member's
   *     cap) with nothing written; a repeat of an allowed call returns its first decision
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public Decision charge(AccountId account, AccountId member, Operation operation, long quantity,
      IdempotencyKey key, Instant at) {
    return observers.decision(Call.CHARGE, () -> spending.charge(account,
        Optional.of(Arguments.require(member, "member")), operation, quantity, key, at));
  }

  /**
   * {@link #charge(AccountId,AccountId,Operation,long,IdempotencyKey,Instant)} at the instant the
   * gate's clock reads now.
   *
   * @param account the shared wallet's account
   * @param member the member who acts
   * @param operation what the member does, as the gate's cost table lists it
   * @param quantity how much of it: units of a fixed cost (at least 1), or metered units such as
   *     tokens (0 or more)
   * @param key the idempotency key of this call
   * @return allowed and paid for, or denied (for lack of credits or of room under the member's
   *     cap) with nothing written; a repeat of an allowed call returns its first decision
   */
  public Decision charge(AccountId account, AccountId member, Operation operation, long quantity, IdempotencyKey key) {
    return charge(account, member, operation, quantity, key, clock.instant());
  }

  /**
   * Adds a pack's credits at once. Call it after the payment provider confirms, with the payment's
   * id as the key: a duplicated webhook never grants twice.
   *
   * @param account the wallet's account
   * @param packId the id of a pack in the gate's catalog
   * @param paymentId the payment provider's id of the purchase: the idempotency key of this call
   * @param at the time of the call (years 1 to 9999), recorded as the purchase time; the overload
   *     without it reads the gate's clock
   * @return the grant added ({@code "pack:<payment id>"}), its credits and the available credits
   *     after it
   * @throws dev.creditgate.UnknownCatalogItemException if no pack has this id
   */
  public TopUp topUp(AccountId account, String packId, IdempotencyKey paymentId, Instant at) {
    return observers.timed(Call.TOP_UP, () -> purchases.topUp(account, packId, paymentId, at));
  }

  /**
   * {@link #topUp(AccountId,String,IdempotencyKey,Instant)} at the instant the gate's clock reads
   * now.
   *
   * @param account the wallet's account
   * @param packId the id of a pack in the gate's catalog
   * @param paymentId the payment provider's id of the purchase: the idempotency key of this call
   * @return the grant added ({@code "pack:<payment id>"}), its credits and the available credits
   *     after it
   */
  public TopUp topUp(AccountId account, String packId, IdempotencyKey paymentId) {
    return topUp(account, packId, paymentId, clock.instant());
  }

  /**
   * Adds a Custom pack bought at {@code price}: price times the configured rate, rounded down to
   * the credit unit.
   *
   * @param account the wallet's account
   * @param price what the buyer paid, in the currency of the catalog's custom pack terms
   * @param paymentId the payment provider's id of the purchase: the idempotency key of this call
   * @param at the time of the call (years 1 to 9999), recorded as the purchase time; the overload
   *     without it reads the gate's clock
   * @return the grant added ({@code "pack:<payment id>"}, pack {@code "custom"}), its credits and
   *     the available credits after it
   * @throws InvalidRequestException if the catalog sells no custom packs or the price is outside
   *     its bounds or in another currency
   */
  public TopUp topUpCustom(AccountId account, Money price, IdempotencyKey paymentId, Instant at) {
    return observers.timed(Call.TOP_UP, () -> purchases.topUpCustom(account, price, paymentId, at));
  }

  /**
   * {@link #topUpCustom(AccountId,Money,IdempotencyKey,Instant)} at the instant the gate's clock
   * reads now.
   *
   * @param account the wallet's account
   * @param price what the buyer paid, in the currency of the catalog's custom pack terms
   * @param paymentId the payment provider's id of the purchase: the idempotency key of this call
   * @return the grant added ({@code "pack:<payment id>"}, pack {@code "custom"}), its credits and
   *     the available credits after it
   */
  public TopUp topUpCustom(AccountId account, Money price, IdempotencyKey paymentId) {
    return topUpCustom(account, price, paymentId, clock.instant());
  }

  /**
   * Changes the plan. An upgrade takes effect at once, as the configured {@link UpgradePolicy}
   * says (pack and promotional credits are untouched): by default the new plan's full allowance
   * replaces the old plan's remaining subscription credits and a new period starts; with
   * {@link UpgradePolicy#KEEP_RENEWAL_DATE} the credits left stay and the allowance difference is
   * granted prorated to the part of the period left, rounded down to the thousandth. A downgrade, or a cancellation (a change to the starting
   * plan), takes effect at the next renewal; choosing the current plan cancels a scheduled change.
   *
   * @param account the wallet's account
   * @param planId the id of a plan in the gate's catalog
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the plans before and after, whether the change is immediate or from when it takes
   *     effect, and the members the new plan has no seat for
   * @throws dev.creditgate.UnknownCatalogItemException if no plan has this id
   */
  public PlanChange changePlan(AccountId account, String planId, IdempotencyKey key, Instant at) {
    return observers.timed(Call.CHANGE_PLAN, () -> purchases.changePlan(account, planId, key, at));
  }

  /**
   * {@link #changePlan(AccountId,String,IdempotencyKey,Instant)} at the instant the gate's clock
   * reads now.
   *
   * @param account the wallet's account
   * @param planId the id of a plan in the gate's catalog
   * @param key the idempotency key of this call
   * @return the plans before and after, whether the change is immediate or from when it takes
   *     effect, and the members the new plan has no seat for
   */
  public PlanChange changePlan(AccountId account, String planId, IdempotencyKey key) {
    return changePlan(account, planId, key, clock.instant());
  }

  /**
   * Reserves the estimated cost of {@code quantity} of {@code operation} before the work starts.
   * Held credits stay in the wallet but nothing else may spend them until the hold is captured,
   * released, or expires after the configured time-to-live. Allowed or denied like
   * {@link #charge}; the hold's id is {@code key}.
   *
   * @param account the wallet's account
   * @param operation the work about to start, as the gate's cost table lists it
   * @param quantity the estimated quantity: units of a fixed cost (at least 1), or metered units
   *     such as tokens (0 or more)
   * @param key the idempotency key of this call, and the id of the hold it opens
   * @param at the time of the call (years 1 to 9999), from which the hold's time-to-live runs; the
   *     overload without it reads the gate's clock
   * @return allowed, with the held amount as the cost, or denied with nothing written
   * @throws InvalidRequestException if the estimated cost is zero: there is nothing to reserve
   * @throws HoldStateException if a hold with the id {@code key} is already open
   */
  public Decision reserve(AccountId account, Operation operation, long quantity, IdempotencyKey key,
      Instant at) {
    return observers.decision(Call.RESERVE,
        () -> spending.reserve(account, Optional.empty(), operation, quantity, key, at));
  }

  /**
   * {@link #reserve(AccountId,Operation,long,IdempotencyKey,Instant)} at the instant the gate's
   * clock reads now.
   *
   * @param account the wallet's account
   * @param operation the work about to start, as the gate's cost table lists it
   * @param quantity the estimated quantity: units of a fixed cost (at least 1), or metered units
   *     such as tokens (0 or more)
   * @param key the idempotency key of this call, and the id of the hold it opens
   * @return allowed, with the held amount as the cost, or denied with nothing written
   */
  public Decision reserve(AccountId account, Operation operation, long quantity, IdempotencyKey key) {
    return reserve(account, operation, quantity, key, clock.instant());
  }

  /**
   * {@link #reserve(AccountId, Operation, long, IdempotencyKey, Instant)} for {@code member} of
   * the shared wallet {@code account}: the hold counts against the member's cap until it is
   * resolved, and its capture is counted as the member's spending.
   *
   * @param account the shared wallet's account
   * @param member the member who starts the work
   * @param operation the work about to start, as the gate's cost table lists it
   * @param quantity the estimated quantity: units of a fixed cost (at least 1), or metered units
   *     such as tokens (0 or more)
   * @param key the idempotency key of this call, and the id of the hold it opens
   * @param at the time of the call (years 1 to 9999), from which the hold's time-to-live runs; the
   *     overload without it reads the gate's clock
   * @return allowed, with the held amount as the cost, or denied (for lack of credits or of room
   *     under the member's cap) with nothing written
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public Decision reserve(AccountId account, AccountId member, Operation operation, long quantity,
      IdempotencyKey key, Instant at) {
    return observers.decision(Call.RESERVE, () -> spending.reserve(account,
        Optional.of(Arguments.require(member, "member")), operation, quantity, key, at));
  }

  /**
   * {@link #reserve(AccountId,AccountId,Operation,long,IdempotencyKey,Instant)} at the instant the
   * gate's clock reads now.
   *
   * @param account the shared wallet's account
   * @param member the member who starts the work
   * @param operation the work about to start, as the gate's cost table lists it
   * @param quantity the estimated quantity: units of a fixed cost (at least 1), or metered units
   *     such as tokens (0 or more)
   * @param key the idempotency key of this call, and the id of the hold it opens
   * @return allowed, with the held amount as the cost, or denied (for lack of credits or of room
   *     under the member's cap) with nothing written
   */
  public Decision reserve(AccountId account, AccountId member, Operation operation, long quantity, IdempotencyKey key) {
    return reserve(account, member, operation, quantity, key, clock.instant());
  }

  /**
   * Settles the hold reserved with {@code hold}: charges what the outcome policy says for the
   * actual {@code quantity} and returns the rest of the hold at once. A cost above the hold takes
   * the difference from the available credits, as far as the overdraft policy allows (then
   * {@link HoldSettlement#isShort()}); so does a cost above what the hold's member has left under
   * their cap.
   *
   * @param account the wallet's account
   * @param hold the key the reserve call used: the hold's id
   * @param quantity the actual quantity of the operation (0 or more), priced by the cost table; 0
   *     of a fixed cost is worth nothing
   * @param outcome how the work ended: the outcome policy decides what share of the metered cost
   *     is due
   * @param key the idempotency key of this call (not the hold's)
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return what was held, metered, due and charged, and the available credits after the capture
   * @throws dev.creditgate.HoldStateException if the hold is not open (never reserved, or
   *     already captured, released or expired), unless this repeats the capturing call's key
   */
  public HoldSettlement capture(AccountId account, IdempotencyKey hold, long quantity, Outcome outcome,
      IdempotencyKey key, Instant at) {
    return observers.settlement(Call.CAPTURE, () -> spending.capture(account, hold, quantity, outcome, key, at));
  }

  /**
   * {@link #capture(AccountId,IdempotencyKey,long,Outcome,IdempotencyKey,Instant)} at the instant
   * the gate's clock reads now.
   *
   * @param account the wallet's account
   * @param hold the key the reserve call used: the hold's id
   * @param quantity the actual quantity of the operation (0 or more), priced by the cost table; 0
   *     of a fixed cost is worth nothing
   * @param outcome how the work ended: the outcome policy decides what share of the metered cost
   *     is due
   * @param key the idempotency key of this call (not the hold's)
   * @return what was held, metered, due and charged, and the available credits after the capture
   */
  public HoldSettlement capture(AccountId account, IdempotencyKey hold, long quantity, Outcome outcome, IdempotencyKey key) {
    return capture(account, hold, quantity, outcome, key, clock.instant());
  }

  /**
   * Releases the hold reserved with {@code hold} without charging anything.
   *
   * @param account the wallet's account
   * @param hold the key the reserve call used: the hold's id
   * @param key the idempotency key of this call (not the hold's)
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return what was held, with nothing metered, due or charged, and the available credits after
   *     the release
   * @throws dev.creditgate.HoldStateException if the hold is not open, unless this repeats
   *     the releasing call's key
   */
  public HoldSettlement release(AccountId account, IdempotencyKey hold, IdempotencyKey key, Instant at) {
    return observers.settlement(Call.RELEASE, () -> spending.release(account, hold, key, at));
  }

  /**
   * {@link #release(AccountId,IdempotencyKey,IdempotencyKey,Instant)} at the instant the gate's
   * clock reads now.
   *
   * @param account the wallet's account
   * @param hold the key the reserve call used: the hold's id
   * @param key the idempotency key of this call (not the hold's)
   * @return what was held, with nothing metered, due or charged, and the available credits after
   *     the release
   */
  public HoldSettlement release(AccountId account, IdempotencyKey hold, IdempotencyKey key) {
    return release(account, hold, key, clock.instant());
  }

  /**
   * Expires every hold whose time-to-live has run out by {@code at}, in every wallet of the store,
   * and applies any renewal due. Holds also expire lazily at the next access to their wallet; a
   * host that wants held credits back without waiting for that schedules this. Safe to run from
   * several instances at once. A wallet that cannot be swept (unreadable, or its store failing) is
   * logged and skipped, so it never keeps the other wallets' holds from expiring.
   *
   * @param at the time of the sweep (years 1 to 9999): every hold expiring at or before it
   *     expires; the overload without it reads the gate's clock
   * @return how many wallets it changed
   */
  public int expireHolds(Instant at) {
    return observers.timed(Call.EXPIRE_HOLDS, () -> sweep.expireHolds(at));
  }

  /**
   * {@link #expireHolds(Instant)} at the instant the gate's clock reads now.
   *
   * @return how many wallets it changed
   */
  public int expireHolds() {
    return expireHolds(clock.instant());
  }

  /**
   * Delivers the events the gate could not deliver right after their commit: events its sink
   * refused (it threw), events of a commit whose reply was lost, events of a process that stopped
   * between commit and delivery. Each account's undelivered events go to the sink in sequence
   * order, and an account's delivery stops at the first event the sink refuses, which is tried
   * again on the next run. The host schedules this (every few seconds, say); it is safe to run on
   * every instance at once, since a store lets one delivery of an account run at a time. Delivered
   * events are removed from the outbox after the store's retention.
   *
   * <p>The guarantee a host can quote: <em>every event of a committed change reaches the sink at
   * least once, and each account's events reach it in sequence order.</em>
   *
   * @param limit the most events to hand to the sink in this run, positive
   * @return how many events were delivered; fewer than {@code limit} means the outbox is drained
   *     (or what remains waits behind an event the sink refused)
   * @throws InvalidRequestException if {@code limit} is not positive
   * @throws dev.creditgate.spi.StoreException if the store's outbox cannot be read or marked;
   *     events already handed to the sink are then handed over again by a later run
   */
  public int deliverPendingEvents(int limit) {
    Arguments.requirePositive(limit, "limit");
    return runner.deliverPending(limit);
  }

  /**
   * How often this gate's calls had to try again: lost races on busy wallets, store failures
   * retried, and calls that ran out of their retry budget ({@link
   * dev.creditgate.spi.WalletStore#retryPolicy()}). For a host's metrics.
   *
   * @return the counts since the gate was built
   */
  public RetryStatistics retryStatistics() {
    return runner.retryStatistics();
  }

  /**
   * Reverses the pack bought with {@code paymentId} whole, after its payment was reversed (a
   * chargeback, a payment that failed after it was settled): what remains of its grant is taken
   * back, and what was already spent from it becomes debt, repaid at once from the wallet's
   * subscription and pack credits and otherwise first from the next grant (promotional credits
   * never repay it). So buying a pack, spending it and charging the payment back never leaves
   * free credits. Credits open holds reserve are taken too: the holds are then cut back, the
   * latest first, so a later capture charges what the wallet holds (within the overdraft policy)
   * and never creates credits. Credits refunded from the pack earlier ({@link #refundPack}) are
   * not owed again. The ledger records it as {@code REVERSAL} entries naming the grant (and
   * {@code "overdraft"} for what is owed), and a {@link dev.creditgate.model.WalletEvent.PackReversed}
   * event is published. A pack can be reversed once: a repeat with the same key answers the first
   * result; with another key it is refused.
   *
   * @param account the wallet's account
   * @param paymentId the payment id the pack was topped up with
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the grant reversed ({@code "pack:<payment id>"}), the credits taken from the balance
   *     (negative: what remained plus what is owed) and the available credits after it
   * @throws InvalidRequestException naming the payment id if that pack was already reversed, or if
   *     the wallet does not know it (never topped up, or spent out and its top-up's record no
   *     longer kept by the store)
   */
  public BalanceChange reversePack(AccountId account, IdempotencyKey paymentId, IdempotencyKey key, Instant at) {
    return observers.timed(Call.REFUND, () -> purchases.reversePack(account, paymentId, key, at));
  }

  /**
   * {@link #reversePack(AccountId,IdempotencyKey,IdempotencyKey,Instant)} at the instant the
   * gate's clock reads now.
   *
   * @param account the wallet's account
   * @param paymentId the payment id the pack was topped up with
   * @param key the idempotency key of this call
   * @return the grant reversed ({@code "pack:<payment id>"}), the credits taken from the balance
   *     (negative) and the available credits after it
   */
  public BalanceChange reversePack(AccountId account, IdempotencyKey paymentId, IdempotencyKey key) {
    return reversePack(account, paymentId, key, clock.instant());
  }

  /**
   * Refunds {@code credits} of the pack bought with {@code paymentId}, taken from what remains of
   * that grant, e.g. after the payment provider refunded the purchase.
   *
   * @param account the wallet's account
   * @param paymentId the payment id the pack was topped up with
   * @param credits how much to take back: positive, at most what remains of the grant and what is
   *     available (credits open holds reserve are not taken)
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the grant touched ({@code "pack:<payment id>"}), the amount taken (negative) and the
   *     available credits after it
   * @throws InvalidRequestException if more than what remains of the grant is asked back, the
   *     amount is not positive, or it would take credits that open holds reserve
   */
  public BalanceChange refundPack(AccountId account, IdempotencyKey paymentId, Credits credits,
      IdempotencyKey key, Instant at) {
    return observers.timed(Call.REFUND, () -> purchases.refundPack(account, paymentId, credits, key, at));
  }

  /**
   * {@link #refundPack(AccountId,IdempotencyKey,Credits,IdempotencyKey,Instant)} at the instant
   * the gate's clock reads now.
   *
   * @param account the wallet's account
   * @param paymentId the payment id the pack was topped up with
   * @param credits how much to take back: positive, at most what remains of the grant and what is
   *     available (credits open holds reserve are not taken)
   * @param key the idempotency key of this call
   * @return the grant touched ({@code "pack:<payment id>"}), the amount taken (negative) and the
   *     available credits after it
   */
  public BalanceChange refundPack(AccountId account, IdempotencyKey paymentId, Credits credits, IdempotencyKey key) {
    return refundPack(account, paymentId, credits, key, clock.instant());
  }

  /**
   * Refunds {@code credits} of the charge or capture made with {@code chargeKey}, e.g. a failed
   * generation support approved. Several partial refunds may follow each other, never more in all
   * than was charged. The credits come back as a grant of their own that never expires.
   *
   * @param account the wallet's account
   * @param chargeKey the idempotency key of the charge or capture to refund
   * @param credits how much to give back: positive, at most what is left of the charge after
   *     earlier refunds
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the new grant ({@code "refund:<key>"}), the amount given back and the available
   *     credits after it
   * @throws InvalidRequestException if no charge was recorded with that key, or more than is left
   *     of it is asked back
   */
  public BalanceChange refundCharge(AccountId account, IdempotencyKey chargeKey, Credits credits,
      IdempotencyKey key, Instant at) {
    return observers.timed(Call.REFUND, () -> purchases.refundCharge(account, chargeKey, credits, key, at));
  }

  /**
   * {@link #refundCharge(AccountId,IdempotencyKey,Credits,IdempotencyKey,Instant)} at the instant
   * the gate's clock reads now.
   *
   * @param account the wallet's account
   * @param chargeKey the idempotency key of the charge or capture to refund
   * @param credits how much to give back: positive, at most what is left of the charge after
   *     earlier refunds
   * @param key the idempotency key of this call
   * @return the new grant ({@code "refund:<key>"}), the amount given back and the available
   *     credits after it
   */
  public BalanceChange refundCharge(AccountId account, IdempotencyKey chargeKey, Credits credits, IdempotencyKey key) {
    return refundCharge(account, chargeKey, credits, key, clock.instant());
  }

  /**
   * Corrects a balance by hand: a positive {@code delta} adds a never-expiring grant, a negative
   * one takes credits in the spend order, at most what is available. {@code reason} goes to the
   * ledger.
   *
   * @param account the wallet's account
   * @param delta the signed correction, not zero: positive gives credits, negative takes them
   * @param reason why, as the ledger entries' operation: not blank, at most 200 characters
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the grant created ({@code "adjustment:<key>"}; empty for a negative delta), the delta
   *     and the available credits after it
   * @throws InvalidRequestException if {@code delta} is zero or takes more than is available, or
   *     {@code reason} is blank or too long
   */
  public BalanceChange adjust(AccountId account, Credits delta, String reason, IdempotencyKey key,
      Instant at) {
    return observers.timed(Call.ADJUST, () -> purchases.adjust(account, delta, reason, key, at));
  }

  /**
   * {@link #adjust(AccountId,Credits,String,IdempotencyKey,Instant)} at the instant the gate's
   * clock reads now.
   *
   * @param account the wallet's account
   * @param delta the signed correction, not zero: positive gives credits, negative takes them
   * @param reason why, as the ledger entries' operation: not blank, at most 200 characters
   * @param key the idempotency key of this call
   * @return the grant created ({@code "adjustment:<key>"}; empty for a negative delta), the delta
   *     and the available credits after it
   */
  public BalanceChange adjust(AccountId account, Credits delta, String reason, IdempotencyKey key) {
    return adjust(account, delta, reason, key, clock.instant());
  }

  /**
   * Writes the account's ledger entries with {@code from <= at < to} to {@code out}, in commit
   * order, one line at a time: a year of history never sits in memory. Never writes to the store.
   *
   * @param account the wallet's account
   * @param from the earliest entry time included
   * @param to the end of the range, excluded
   * @param format the lines' format; {@link LedgerFormat#CSV} and {@link LedgerFormat#CSV_RAW}
   *     write their header line even when no
   *     entry is in the range
   * @param out where the lines go; the gate neither flushes nor closes it
   * @throws UnknownAccountException if no wallet is open for the account
   * @throws java.io.UncheckedIOException if {@code out} fails
   */
  public void exportLedger(AccountId account, Instant from, Instant to, LedgerFormat format, Appendable out) {
    audit.export(account, from, to, format, out);
  }

  /**
   * The account's ledger entries with {@code from <= at < to}, in commit order, as objects: read
   * lazily from the store, so a year of history never sits in memory. Close the stream
   * (try-with-resources): a persistent store holds a connection until then. Never writes.
   *
   * <pre>{@code
   * try (Stream<LedgerEntry> entries = gate.ledger(alice, monthStart, monthEnd)) {
   *   entries.filter(e -> e.kind() == LedgerEntry.Kind.DEBIT).forEach(this::show);
   * }
   * }</pre>
   *
   * @param account the wallet's account
   * @param from the earliest entry time included
   * @param to the end of the range, excluded
   * @return the entries in the range, read as the stream is consumed; the caller closes it
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public Stream<LedgerEntry> ledger(AccountId account, Instant from, Instant to) {
    return audit.ledger(account, from, to);
  }

  /**
   * Replays the account's whole ledger against its stored wallet: the entries must sum to the
   * balance and to the held credits, grant by grant. Wallet and ledger are read as of one moment
   * (the store's {@code snapshot}), so a busy wallet is replayed at once. Never writes.
   *
   * @param account the wallet's account
   * @return the ledger's sums beside the wallet's amounts, and each grant or hold where they
   *     differ; {@link LedgerReplay#isConsistent()} sums it up
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public LedgerReplay replay(AccountId account) {
    return audit.replay(account);
  }

  /**
   * Adds {@code member} to the shared wallet {@code account}: their charges then draw on it.
   * Denied, with the seat count and the plan that has more seats, when every seat of the plan is
   * taken.
   *
   * @param account the shared wallet's account
   * @param member the account to add
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999), recorded as the member's joining time; the
   *     overload without it reads the gate's clock
   * @return added, with the seats now taken, or denied with nothing written
   * @throws InvalidRequestException if {@code member} is already a member
   */
  public SeatDecision addMember(AccountId account, AccountId member, IdempotencyKey key, Instant at) {
    return observers.timed(Call.ADD_MEMBER, () -> teams.addMember(account, member, key, at));
  }

  /**
   * {@link #addMember(AccountId,AccountId,IdempotencyKey,Instant)} at the instant the gate's clock
   * reads now.
   *
   * @param account the shared wallet's account
   * @param member the account to add
   * @param key the idempotency key of this call
   * @return added, with the seats now taken, or denied with nothing written
   */
  public SeatDecision addMember(AccountId account, AccountId member, IdempotencyKey key) {
    return addMember(account, member, key, clock.instant());
  }

  /**
   * Removes {@code member} from the shared wallet; their open holds stay and are charged to the
   * wallet when captured.
   *
   * @param account the shared wallet's account
   * @param member the member to remove
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the seats taken after the removal
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public int removeMember(AccountId account, AccountId member, IdempotencyKey key, Instant at) {
    return observers.timed(Call.REMOVE_MEMBER, () -> teams.removeMember(account, member, key, at));
  }

  /**
   * {@link #removeMember(AccountId,AccountId,IdempotencyKey,Instant)} at the instant the gate's
   * clock reads now.
   *
   * @param account the shared wallet's account
   * @param member the member to remove
   * @param key the idempotency key of this call
   * @return the seats taken after the removal
   */
  public int removeMember(AccountId account, AccountId member, IdempotencyKey key) {
    return removeMember(account, member, key, clock.instant());
  }

  /**
   * Sets {@code member}'s spending cap per billing period, or removes it
   * ({@code Optional.empty()}). It applies at once, counting what they already spent this period;
   * it resets with each period.
   *
   * @param account the shared wallet's account
   * @param member the member whose cap it sets
   * @param cap the most the member may spend per billing period (zero or more), or empty for no
   *     cap
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the member's cap and what they spent this period, in all and per operation
   * @throws InvalidRequestException if the cap is negative
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public MemberUsage setMemberCap(AccountId account, AccountId member, Optional<Credits> cap,
      IdempotencyKey key, Instant at) {
    return observers.timed(Call.SET_MEMBER_CAP, () -> teams.setMemberCap(account, member, cap, key, at));
  }

  /**
   * {@link #setMemberCap(AccountId,AccountId,Optional,IdempotencyKey,Instant)} at the instant the
   * gate's clock reads now.
   *
   * @param account the shared wallet's account
   * @param member the member whose cap it sets
   * @param cap the most the member may spend per billing period (zero or more), or empty for no
   *     cap
   * @param key the idempotency key of this call
   * @return the member's cap and what they spent this period, in all and per operation
   */
  public MemberUsage setMemberCap(AccountId account, AccountId member, Optional<Credits> cap, IdempotencyKey key) {
    return setMemberCap(account, member, cap, key, clock.instant());
  }

  /**
   * What each member of the shared wallet spent this period, per operation. Never writes.
   *
   * @param account the shared wallet's account
   * @param at the time of the call (years 1 to 9999): the report covers the period in force then;
   *     the overload without it reads the gate's clock
   * @return the plan, the period's bounds and each member's spending, in the order they joined
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public UsageReport usage(AccountId account, Instant at) {
    return teams.usage(account, at);
  }

  /**
   * {@link #usage(AccountId,Instant)} at the instant the gate's clock reads now.
   *
   * @param account the shared wallet's account
   * @return the plan, the period's bounds and each member's spending, in the order they joined
   */
  public UsageReport usage(AccountId account) {
    return usage(account, clock.instant());
  }

  /**
   * Whether the plan in force for {@code account} at {@code at} has the feature flag, e.g.
   * {@link Catalog#PRIORITY_SUPPORT}. An upgrade counts at once, a downgrade from its renewal.
   *
   * @param account the wallet's account
   * @param feature the feature flag's name, as the catalog's plans list it
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return whether the plan in force at {@code at} lists the feature
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public boolean has(AccountId account, String feature, Instant at) {
    return teams.has(account, feature, at);
  }

  /**
   * {@link #has(AccountId,String,Instant)} at the instant the gate's clock reads now.
   *
   * @param account the wallet's account
   * @param feature the feature flag's name, as the catalog's plans list it
   * @return whether the plan in force now lists the feature
   */
  public boolean has(AccountId account, String feature) {
    return has(account, feature, clock.instant());
  }

  /**
   * The plan's value of a numeric limit, e.g. {@link dev.creditgate.model.Plan#SEATS}, or empty if
   * the plan declares none.
   *
   * @param account the wallet's account
   * @param limit the limit's name, as the catalog's plans declare it
   * @param at the time of the call (years 1 to 9999), which decides the plan in force; the
   *     overload without it reads the gate's clock
   * @return the value the plan in force at {@code at} declares, or empty
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public OptionalLong limit(AccountId account, String limit, Instant at) {
    return teams.limit(account, limit, at);
  }

  /**
   * {@link #limit(AccountId,String,Instant)} at the instant the gate's clock reads now.
   *
   * @param account the wallet's account
   * @param limit the limit's name, as the catalog's plans declare it
   * @return the value the plan in force now declares, or empty
   */
  public OptionalLong limit(AccountId account, String limit) {
    return limit(account, limit, clock.instant());
  }

  /**
   * Grants promotional credits: a welcome bonus, a referral reward, a support gesture. They expire
   * on their own at {@code promotion.expiresAt()} (what is left of them then is recorded as an
   * {@code EXPIRY} entry naming the grant, lazily, by the first call that sees the wallet at or
   * after that time), pay only for the operations of their scope when it names some, and are spent
   * after the subscription credits and before packs, by priority (0 first), then the soonest
   * expiry (see {@link SpendOrder}). They never repay a debt. A hold never reserves scoped
   * promotional credits, though its capture may spend them. Publishes
   * {@link dev.creditgate.model.WalletEvent.PromotionGranted}.
   *
   * <pre>{@code
   * gate.grantPromotion(maya, Promotion.of(Credits.of(20), signUp.plus(Duration.ofDays(14)), "welcome bonus"),
   *     IdempotencyKey.of("welcome:" + maya), signUp);
   * }</pre>
   *
   * @param account the wallet's account
   * @param promotion the credits, their expiry, reason, scope and priority
   * @param key the idempotency key of this call; the grant is named {@code "promo:<key>"}
   * @param at the time of the call (years 1 to 9999), before the promotion's expiry; the overload
   *     without it reads the gate's clock
   * @return the grant added ({@code "promo:<key>"}), its credits and the available credits after it
   * @throws InvalidRequestException if the promotion expires at or before {@code at}, or the wallet
   *     already keeps 100 open promotional grants
   */
  public BalanceChange grantPromotion(AccountId account, dev.creditgate.model.Promotion promotion,
      IdempotencyKey key, Instant at) {
    return observers.timed(Call.PROMOTION, () -> purchases.grantPromotion(account, promotion, key, at));
  }

  /**
   * {@link #grantPromotion(AccountId,dev.creditgate.model.Promotion,IdempotencyKey,Instant)} at
   * the instant the gate's clock reads now.
   *
   * @param account the wallet's account
   * @param promotion the credits, their expiry, reason, scope and priority
   * @param key the idempotency key of this call; the grant is named {@code "promo:<key>"}
   * @return the grant added ({@code "promo:<key>"}), its credits and the available credits after it
   */
  public BalanceChange grantPromotion(AccountId account, dev.creditgate.model.Promotion promotion,
      IdempotencyKey key) {
    return grantPromotion(account, promotion, key, clock.instant());
  }

  /**
   * Grants promotional credits for every operation at the default priority:
   * {@link #grantPromotion(AccountId,dev.creditgate.model.Promotion,IdempotencyKey,Instant)} of
   * {@code Promotion.of(credits, expiresAt, reason)}.
   *
   * @param account the wallet's account
   * @param credits the credits granted, positive
   * @param expiresAt when what is left of them expires, after {@code at}
   * @param reason why, for the ledger: not blank, at most 200 characters
   * @param key the idempotency key of this call; the grant is named {@code "promo:<key>"}
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the grant added ({@code "promo:<key>"}), its credits and the available credits after it
   * @throws InvalidRequestException if the credits are not positive, the reason is blank or too
   *     long, or the promotion expires at or before {@code at}
   */
  public BalanceChange grantPromotion(AccountId account, Credits credits, Instant expiresAt, String reason,
      IdempotencyKey key, Instant at) {
    return grantPromotion(account, dev.creditgate.model.Promotion.of(credits, expiresAt, reason), key, at);
  }

  /**
   * {@link #grantPromotion(AccountId,Credits,Instant,String,IdempotencyKey,Instant)} at the instant
   * the gate's clock reads now.
   *
   * @param account the wallet's account
   * @param credits the credits granted, positive
   * @param expiresAt when what is left of them expires, after now
   * @param reason why, for the ledger: not blank, at most 200 characters
   * @param key the idempotency key of this call; the grant is named {@code "promo:<key>"}
   * @return the grant added ({@code "promo:<key>"}), its credits and the available credits after it
   */
  public BalanceChange grantPromotion(AccountId account, Credits credits, Instant expiresAt, String reason,
      IdempotencyKey key) {
    return grantPromotion(account, credits, expiresAt, reason, key, clock.instant());
  }

  /**
   * Takes back {@code credits} of the promotion granted with {@code promotionKey} (a
   * {@code REFUND} entry naming {@code "promo:<promotionKey>"}), e.g. a referral found to be
   * fraudulent: at most what remains of it, so nothing once it has expired or been spent.
   *
   * @param account the wallet's account
   * @param promotionKey the key the promotion was granted with
   * @param credits how much to take back: positive, at most what remains of the grant (and, for a
   *     promotion of every operation, at most what open holds leave available)
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the grant touched, the amount taken (negative) and the available credits after it
   * @throws InvalidRequestException if more than what remains of the grant is asked back, or the
   *     amount is not positive
   */
  public BalanceChange revokePromotion(AccountId account, IdempotencyKey promotionKey, Credits credits,
      IdempotencyKey key, Instant at) {
    return observers.timed(Call.PROMOTION, () -> purchases.revokePromotion(account, promotionKey, credits, key, at));
  }

  /**
   * {@link #revokePromotion(AccountId,IdempotencyKey,Credits,IdempotencyKey,Instant)} at the
   * instant the gate's clock reads now.
   *
   * @param account the wallet's account
   * @param promotionKey the key the promotion was granted with
   * @param credits how much to take back: positive, at most what remains of the grant
   * @param key the idempotency key of this call
   * @return the grant touched, the amount taken (negative) and the available credits after it
   */
  public BalanceChange revokePromotion(AccountId account, IdempotencyKey promotionKey, Credits credits,
      IdempotencyKey key) {
    return revokePromotion(account, promotionKey, credits, key, clock.instant());
  }

  /**
   * Sets the account's auto top-up rule, or turns auto top-up off ({@code Optional.empty()}).
   * While a rule is on, a spend (a charge, a capture; not an adjustment, which is support's act)
   * that leaves the credits every operation may spend (the available credits less scoped
   * promotional grants) at or under its threshold records, in the same commit, one top-up request
   * with an {@link dev.creditgate.model.WalletEvent.AutoTopUpRequested} event: never two open at
   * once (concurrent spends crossing the threshold make one), none within the back-off after a
   * decline, and none beyond the billing period's limits in money and in count (a refused one is
   * recorded once per crossing, with an {@link dev.creditgate.model.WalletEvent.AutoTopUpRefused}
   * event, and shows in {@link WalletStatus#autoTopUp()}). "Monthly" is the wallet's billing
   * period: the limits count afresh at each renewal. The host charges the payment method with the
   * request's id as the payment's idempotency key, then confirms with {@link #topUp} (or
   * {@link #topUpCustom} for a target balance) under {@code IdempotencyKey.of(requestId)}, or
   * reports a decline with {@link #declineAutoTopUp}.
   *
   * <p>A new rule starts the decline streak afresh but keeps the back-off of a recent decline; the
   * rule in force set again changes nothing. Either way, with the credits already at or under the
   * threshold, this call makes the request itself if one is due: setting the rule in force again
   * (after {@link AutoTopUpStatus#retryNotBefore()}, say) is how the host asks again for a wallet
   * left at zero after a decline, whose denied charges write nothing. An open request stays open
   * when the rule changes or is turned off, to be confirmed or declined.
   * Setting a rule changes no credits: it is recorded in the wallet and the key's record, not in
   * the ledger.
   *
   * <pre>{@code
   * gate.setAutoTopUp(maya, Optional.of(AutoTopUp.withPack("medium", Credits.of(10), Money.usd("60.00"), 3)),
   *     IdempotencyKey.of("auto-top-up:maya:1"), now);
   * }</pre>
   *
   * @param account the wallet's account (an id of at most 154 characters, so that request ids fit
   *     a key)
   * @param rule the rule, or empty to turn auto top-up off
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the wallet's auto top-up after the call
   * @throws dev.creditgate.UnknownCatalogItemException if the rule's pack is not in the catalog
   * @throws InvalidRequestException if the catalog sells no custom packs for a target balance, the
   *     limit is in another currency than what the rule buys or below one request's price (the
   *     pack's, or the cheapest Custom pack's), one Custom pack cannot restore the target balance
   *     from the threshold, or the account id is too long
   */
  public AutoTopUpStatus setAutoTopUp(AccountId account, Optional<dev.creditgate.model.AutoTopUp> rule,
      IdempotencyKey key, Instant at) {
    return observers.timed(Call.AUTO_TOP_UP, () -> purchases.setAutoTopUp(account, rule, key, at));
  }

  /**
   * {@link #setAutoTopUp(AccountId,Optional,IdempotencyKey,Instant)} at the instant the gate's
   * clock reads now.
   *
   * @param account the wallet's account
   * @param rule the rule, or empty to turn auto top-up off
   * @param key the idempotency key of this call
   * @return the wallet's auto top-up after the call
   */
  public AutoTopUpStatus setAutoTopUp(AccountId account, Optional<dev.creditgate.model.AutoTopUp> rule,
      IdempotencyKey key) {
    return setAutoTopUp(account, rule, key, clock.instant());
  }

  /**
   * Reports that the payment provider declined the open auto top-up request {@code requestId}. The
   * request closes (it no longer counts against the period's limits), the back-off starts (no
   * request before {@code at} plus the rule's back-off), and at the rule's number of declines in a
   * row auto top-up switches itself off, with an
   * {@link dev.creditgate.model.WalletEvent.AutoTopUpDisabled} event. A confirmed request ends the
   * streak. Changes no credits.
   *
   * @param account the wallet's account
   * @param requestId the open request's id ({@code autotopup:<account>:<n>:<t>}, {@code t} the
   *     epoch milliseconds of its making)
   * @param reason why it was declined (the provider's decline code, say): not blank, at most 200
   *     characters
   * @param key the idempotency key of this call
   * @param at the time of the call (years 1 to 9999); the overload without it reads the gate's
   *     clock
   * @return the wallet's auto top-up after the call
   * @throws InvalidRequestException if {@code requestId} is not the open request's id, {@code at}
   *     is before the request was made, or the reason is blank or too long
   */
  public AutoTopUpStatus declineAutoTopUp(AccountId account, String requestId, String reason, IdempotencyKey key,
      Instant at) {
    return observers.timed(Call.AUTO_TOP_UP, () -> purchases.declineAutoTopUp(account, requestId, reason, key, at));
  }

  /**
   * {@link #declineAutoTopUp(AccountId,String,String,IdempotencyKey,Instant)} at the instant the
   * gate's clock reads now.
   *
   * @param account the wallet's account
   * @param requestId the open request's id
   * @param reason why it was declined: not blank, at most 200 characters
   * @param key the idempotency key of this call
   * @return the wallet's auto top-up after the call
   */
  public AutoTopUpStatus declineAutoTopUp(AccountId account, String requestId, String reason, IdempotencyKey key) {
    return declineAutoTopUp(account, requestId, reason, key, clock.instant());
  }
}
