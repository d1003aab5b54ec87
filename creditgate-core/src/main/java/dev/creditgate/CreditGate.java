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
 * CreditGate gate = CreditGate.inMemory();                   // or CreditGate.builder(store)...build()
 * AccountId alice = AccountId.of("alice");
 * gate.openWallet(alice, ZoneId.of("Europe/Paris"));
 * Decision d = gate.charge(alice, Operation.AI_CHAT_MESSAGE, 1_800, IdempotencyKey.of("msg-42"));
 * if (d instanceof Decision.Denied denied) { show(denied.waysOut()); }
 * }</pre>
 *
 * <p><b>Time.</b> Every call has two forms: one at the instant the gate's {@link CreditGateBuilder#clock clock}
 * reads now, and one at an explicit {@code Instant} (for tests, replays and queued jobs). The gate
 * reads its clock only in the first form; everything below it is pure.
 *
 * <p><b>Thread safety.</b> A gate is immutable and thread-safe; share one per store.
 *
 * <p><b>Atomicity.</b> Every mutation ({@code charge}, {@code topUp}, {@code changePlan}, ...) reads
 * the wallet, decides with the pure domain, and commits the new wallet, its ledger entries and its
 * idempotency record in one atomic write: under the store's lock for a locking store, or as a
 * conditional commit that decides again from the fresh state when another commit came first. So
 * there is no lost update and no overspend, however many threads or service instances share the
 * store.
 *
 * <p><b>Idempotency.</b> Every mutation takes a caller-given key, scoped to the account. Repeating a
 * call with the same key and arguments returns the first result and changes nothing; the same key
 * with other arguments throws {@link IdempotencyConflictException}. A <em>denied</em> charge writes
 * nothing, not even its key: repeating it decides again, so a retry after a top-up goes through,
 * and a retry can never charge twice because only an allowed charge records its key.
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

  CreditGate(CreditGateBuilder b) {
    this.rules = new WalletRules(b.catalog, b.spendOrder, b.overdraft, b.upgradePolicy, b.warningPercents);
    this.costs = b.costs;
    this.clock = b.clock;
    this.runner = new MutationRunner(b.store, b.events, rules);
    this.spending = new Spending(runner, new Decider(rules, costs), b.outcomes, b.holdTimeToLive);
    this.purchases = new Purchases(runner);
    this.teams = new TeamWallets(runner);
    this.audit = new LedgerAudit(runner);
    this.sweep = new HoldSweep(runner);
  }

  /**
   * Configures a gate over {@code store}: the one a production service names (for example a
   * {@code JdbcWalletStore}), or an {@link InMemoryWalletStore} for tests and single-process hosts.
   *
   * @throws InvalidRequestException if {@code store} is null
   */
  public static CreditGateBuilder builder(WalletStore store) {
    return new CreditGateBuilder(Arguments.require(store, "store"));
  }

  /**
   * A gate with every default over a new, empty {@link InMemoryWalletStore}: for tests, demos and
   * single-process hosts. Its wallets live in this JVM's heap and do not survive a restart.
   */
  public static CreditGate inMemory() {
    return builder(InMemoryWalletStore.create()).build();
  }

  /** The plans and packs this gate sells. */
  public Catalog catalog() {
    return rules.catalog();
  }

  /** What each operation costs. */
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
   */
  public WalletStatus openWallet(AccountId account, ZoneId zone, Instant at) {
    Arguments.require(account, "account");
    Arguments.require(zone, "zone");
    Arguments.requireTime(at, "at");
    runner.open(Wallet.open(account, rules.catalog().startingPlan(), zone, at));
    return status(account, at);
  }

  /** {@link #openWallet(AccountId,ZoneId,Instant)} at the instant the gate's clock reads now. */
  public WalletStatus openWallet(AccountId account, ZoneId zone) {
    return openWallet(account, zone, clock.instant());
  }

  /** The wallet as it stands at {@code at}. Never writes. */
  public WalletStatus status(AccountId account, Instant at) {
    Arguments.require(account, "account");
    Arguments.requireTime(at, "at");
    return WalletStatus.of(runner.current(account, at), rules);
  }

  /** {@link #status(AccountId,Instant)} at the instant the gate's clock reads now. */
  public WalletStatus status(AccountId account) {
    return status(account, clock.instant());
  }

  /**
   * Decides whether {@code account} may do {@code quantity} of {@code operation} at {@code at},
   * without changing anything.
   *
   * @throws dev.creditgate.UnknownOperationException if the cost table does not list it
   * @throws dev.creditgate.UnknownAccountException if no wallet is open for the account
   */
  public Decision check(AccountId account, Operation operation, long quantity, Instant at) {
    return spending.check(account, Optional.empty(), operation, quantity, at);
  }

  /** {@link #check(AccountId,Operation,long,Instant)} at the instant the gate's clock reads now. */
  public Decision check(AccountId account, Operation operation, long quantity) {
    return check(account, operation, quantity, clock.instant());
  }

  /**
   * {@link #check(AccountId, Operation, long, Instant)} for {@code member} of the shared wallet
   * {@code account}: also denied, with {@link Decision.Reason#MEMBER_CAP_REACHED}, when the cost
   * exceeds what the member has left under their cap.
   *
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public Decision check(AccountId account, AccountId member, Operation operation, long quantity, Instant at) {
    return spending.check(account, Optional.of(Arguments.require(member, "member")), operation, quantity, at);
  }

  /** {@link #check(AccountId,AccountId,Operation,long,Instant)} at the instant the gate's clock reads now. */
  public Decision check(AccountId account, AccountId member, Operation operation, long quantity) {
    return check(account, member, operation, quantity, clock.instant());
  }

  /**
   * Decides and, if allowed, spends the cost at once, atomically: the credits are taken in the
   * spend order and the ledger records one entry per grant touched. A denial changes nothing.
   * Publishes a warning the first time in a period the balance falls to or under each threshold.
   * A free operation writes nothing, but its key is checked like any other: a key recorded for
   * another call throws {@link IdempotencyConflictException}.
   */
  public Decision charge(AccountId account, Operation operation, long quantity, IdempotencyKey key,
      Instant at) {
    return spending.charge(account, Optional.empty(), operation, quantity, key, at);
  }

  /** {@link #charge(AccountId,Operation,long,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public Decision charge(AccountId account, Operation operation, long quantity, IdempotencyKey key) {
    return charge(account, operation, quantity, key, clock.instant());
  }

  /**
   * {@link #charge(AccountId, Operation, long, IdempotencyKey, Instant)} for {@code member} of the
   * shared wallet {@code account}: it draws on the wallet and counts against the member's cap.
   *
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public Decision charge(AccountId account, AccountId member, Operation operation, long quantity,
      IdempotencyKey key, Instant at) {
    return spending.charge(account, Optional.of(Arguments.require(member, "member")), operation, quantity, key, at);
  }

  /** {@link #charge(AccountId,AccountId,Operation,long,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public Decision charge(AccountId account, AccountId member, Operation operation, long quantity, IdempotencyKey key) {
    return charge(account, member, operation, quantity, key, clock.instant());
  }

  /**
   * Adds a pack's credits at once. Call it after the payment provider confirms, with the payment's
   * id as the key: a duplicated webhook never grants twice.
   *
   * @throws dev.creditgate.UnknownCatalogItemException if no pack has this id
   */
  public TopUp topUp(AccountId account, String packId, IdempotencyKey paymentId, Instant at) {
    return purchases.topUp(account, packId, paymentId, at);
  }

  /** {@link #topUp(AccountId,String,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public TopUp topUp(AccountId account, String packId, IdempotencyKey paymentId) {
    return topUp(account, packId, paymentId, clock.instant());
  }

  /**
   * Adds a Custom pack bought at {@code price}: price times the configured rate, rounded down to
   * the credit unit.
   *
   * @throws InvalidRequestException if the catalog sells no custom packs or the price is outside
   *     its bounds
   */
  public TopUp topUpCustom(AccountId account, Money price, IdempotencyKey paymentId, Instant at) {
    return purchases.topUpCustom(account, price, paymentId, at);
  }

  /** {@link #topUpCustom(AccountId,Money,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public TopUp topUpCustom(AccountId account, Money price, IdempotencyKey paymentId) {
    return topUpCustom(account, price, paymentId, clock.instant());
  }

  /**
   * Changes the plan. An upgrade takes effect at once: the new plan's full allowance replaces the
   * old plan's remaining subscription credits (pack credits are untouched), and the period follows
   * the configured {@link UpgradePolicy}. A downgrade, or a cancellation (a change to the starting
   * plan), takes effect at the next renewal; choosing the current plan cancels a scheduled change.
   *
   * @throws dev.creditgate.UnknownCatalogItemException if no plan has this id
   */
  public PlanChange changePlan(AccountId account, String planId, IdempotencyKey key, Instant at) {
    return purchases.changePlan(account, planId, key, at);
  }

  /** {@link #changePlan(AccountId,String,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public PlanChange changePlan(AccountId account, String planId, IdempotencyKey key) {
    return changePlan(account, planId, key, clock.instant());
  }

  /**
   * Reserves the estimated cost of {@code quantity} of {@code operation} before the work starts.
   * Held credits stay in the wallet but nothing else may spend them until the hold is captured,
   * released, or expires after the configured time-to-live. Allowed or denied like
   * {@link #charge}; the hold's id is {@code key}.
   */
  public Decision reserve(AccountId account, Operation operation, long quantity, IdempotencyKey key,
      Instant at) {
    return spending.reserve(account, Optional.empty(), operation, quantity, key, at);
  }

  /** {@link #reserve(AccountId,Operation,long,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public Decision reserve(AccountId account, Operation operation, long quantity, IdempotencyKey key) {
    return reserve(account, operation, quantity, key, clock.instant());
  }

  /**
   * {@link #reserve(AccountId, Operation, long, IdempotencyKey, Instant)} for {@code member} of the
   * shared wallet {@code account}: the hold counts against the member's cap until it is resolved,
   * and its capture is counted as the member's spending.
   */
  public Decision reserve(AccountId account, AccountId member, Operation operation, long quantity,
      IdempotencyKey key, Instant at) {
    return spending.reserve(account, Optional.of(Arguments.require(member, "member")), operation, quantity, key, at);
  }

  /** {@link #reserve(AccountId,AccountId,Operation,long,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
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
   * @throws dev.creditgate.HoldStateException if the hold is not open (never reserved, or
   *     already captured, released or expired), unless this repeats the capturing call's key
   */
  public HoldSettlement capture(AccountId account, IdempotencyKey hold, long quantity, Outcome outcome,
      IdempotencyKey key, Instant at) {
    return spending.capture(account, hold, quantity, outcome, key, at);
  }

  /** {@link #capture(AccountId,IdempotencyKey,long,Outcome,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public HoldSettlement capture(AccountId account, IdempotencyKey hold, long quantity, Outcome outcome, IdempotencyKey key) {
    return capture(account, hold, quantity, outcome, key, clock.instant());
  }

  /**
   * Releases the hold reserved with {@code hold} without charging anything.
   *
   * @throws dev.creditgate.HoldStateException if the hold is not open, unless this repeats
   *     the releasing call's key
   */
  public HoldSettlement release(AccountId account, IdempotencyKey hold, IdempotencyKey key, Instant at) {
    return spending.release(account, hold, key, at);
  }

  /** {@link #release(AccountId,IdempotencyKey,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public HoldSettlement release(AccountId account, IdempotencyKey hold, IdempotencyKey key) {
    return release(account, hold, key, clock.instant());
  }

  /**
   * Expires every hold whose time-to-live has run out by {@code at}, in every wallet of the store,
   * and applies any renewal due. Holds also expire lazily at the next access to their wallet; a
   * host that wants held credits back without waiting for that schedules this. Safe to run from
   * several instances at once.
   *
   * @return how many wallets it changed
   */
  public int expireHolds(Instant at) {
    return sweep.expireHolds(at);
  }

  /** {@link #expireHolds(Instant)} at the instant the gate's clock reads now. */
  public int expireHolds() {
    return expireHolds(clock.instant());
  }

  /**
   * Refunds {@code credits} of the pack bought with {@code paymentId}, taken from what remains of
   * that grant, e.g. after the payment provider refunded the purchase.
   *
   * @throws InvalidRequestException if more than what remains of the grant is asked back
   */
  public BalanceChange refundPack(AccountId account, IdempotencyKey paymentId, Credits credits,
      IdempotencyKey key, Instant at) {
    return purchases.refundPack(account, paymentId, credits, key, at);
  }

  /** {@link #refundPack(AccountId,IdempotencyKey,Credits,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public BalanceChange refundPack(AccountId account, IdempotencyKey paymentId, Credits credits, IdempotencyKey key) {
    return refundPack(account, paymentId, credits, key, clock.instant());
  }

  /**
   * Refunds {@code credits} of the charge or capture made with {@code chargeKey}, e.g. a failed
   * generation support approved. Several partial refunds may follow each other, never more in all
   * than was charged. The credits come back as a grant of their own that never expires.
   *
   * @throws InvalidRequestException if no charge was recorded with that key, or more than is left
   *     of it is asked back
   */
  public BalanceChange refundCharge(AccountId account, IdempotencyKey chargeKey, Credits credits,
      IdempotencyKey key, Instant at) {
    return purchases.refundCharge(account, chargeKey, credits, key, at);
  }

  /** {@link #refundCharge(AccountId,IdempotencyKey,Credits,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public BalanceChange refundCharge(AccountId account, IdempotencyKey chargeKey, Credits credits, IdempotencyKey key) {
    return refundCharge(account, chargeKey, credits, key, clock.instant());
  }

  /**
   * Corrects a balance by hand: a positive {@code delta} adds a never-expiring grant, a negative one
   * takes credits in the spend order, at most what is available. {@code reason} goes to the ledger.
   */
  public BalanceChange adjust(AccountId account, Credits delta, String reason, IdempotencyKey key,
      Instant at) {
    return purchases.adjust(account, delta, reason, key, at);
  }

  /** {@link #adjust(AccountId,Credits,String,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public BalanceChange adjust(AccountId account, Credits delta, String reason, IdempotencyKey key) {
    return adjust(account, delta, reason, key, clock.instant());
  }

  /**
   * Writes the account's ledger entries with {@code from <= at < to} to {@code out}, in commit
   * order, one line at a time: a year of history never sits in memory. Never writes to the store.
   *
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
   * @throws UnknownAccountException if no wallet is open for the account
   */
  public LedgerReplay replay(AccountId account) {
    return audit.replay(account);
  }

  /**
   * Adds {@code member} to the shared wallet {@code account}: their charges then draw on it. Denied,
   * with the seat count and the plan that has more seats, when every seat of the plan is taken.
   *
   * @throws InvalidRequestException if {@code member} is already a member
   */
  public SeatDecision addMember(AccountId account, AccountId member, IdempotencyKey key, Instant at) {
    return teams.addMember(account, member, key, at);
  }

  /** {@link #addMember(AccountId,AccountId,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public SeatDecision addMember(AccountId account, AccountId member, IdempotencyKey key) {
    return addMember(account, member, key, clock.instant());
  }

  /**
   * Removes {@code member} from the shared wallet; their open holds stay and are charged to the
   * wallet when captured.
   *
   * @return the seats taken after the removal
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public int removeMember(AccountId account, AccountId member, IdempotencyKey key, Instant at) {
    return teams.removeMember(account, member, key, at);
  }

  /** {@link #removeMember(AccountId,AccountId,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public int removeMember(AccountId account, AccountId member, IdempotencyKey key) {
    return removeMember(account, member, key, clock.instant());
  }

  /**
   * Sets {@code member}'s spending cap per billing period, or removes it ({@code Optional.empty()}).
   * It applies at once, counting what they already spent this period; it resets with each period.
   *
   * @throws InvalidRequestException if the cap is negative
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public MemberUsage setMemberCap(AccountId account, AccountId member, Optional<Credits> cap,
      IdempotencyKey key, Instant at) {
    return teams.setMemberCap(account, member, cap, key, at);
  }

  /** {@link #setMemberCap(AccountId,AccountId,Optional,IdempotencyKey,Instant)} at the instant the gate's clock reads now. */
  public MemberUsage setMemberCap(AccountId account, AccountId member, Optional<Credits> cap, IdempotencyKey key) {
    return setMemberCap(account, member, cap, key, clock.instant());
  }

  /** What each member of the shared wallet spent this period, per operation. Never writes. */
  public UsageReport usage(AccountId account, Instant at) {
    return teams.usage(account, at);
  }

  /** {@link #usage(AccountId,Instant)} at the instant the gate's clock reads now. */
  public UsageReport usage(AccountId account) {
    return usage(account, clock.instant());
  }

  /**
   * Whether the plan in force for {@code account} at {@code at} has the feature flag, e.g.
   * {@link Catalog#PRIORITY_SUPPORT}. An upgrade counts at once, a downgrade from its renewal.
   */
  public boolean has(AccountId account, String feature, Instant at) {
    return teams.has(account, feature, at);
  }

  /** {@link #has(AccountId,String,Instant)} at the instant the gate's clock reads now. */
  public boolean has(AccountId account, String feature) {
    return has(account, feature, clock.instant());
  }

  /**
   * The plan's value of a numeric limit, e.g. {@link Plan#SEATS}, or empty if the plan declares none.
   */
  public OptionalLong limit(AccountId account, String limit, Instant at) {
    return teams.limit(account, limit, at);
  }

  /** {@link #limit(AccountId,String,Instant)} at the instant the gate's clock reads now. */
  public OptionalLong limit(AccountId account, String limit) {
    return limit(account, limit, clock.instant());
  }

}
