package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Cost;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Member;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.OutcomePolicy;
import dev.creditgate.model.PackGrant;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.spi.StoreException;
import dev.creditgate.model.Transition;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.model.Wallet;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.model.WalletRules;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate: asked before every action, it answers whether an account may do it now and what it
 * costs, and records what was spent.
 *
 * <pre>{@code
 * CreditGate gate = CreditGate.builder().build();            // in memory, the article's catalog
 * AccountId alice = AccountId.of("alice");
 * gate.openWallet(alice, ZoneId.of("Europe/Paris"), Instant.now());
 * Decision d = gate.charge(alice, Operation.AI_CHAT_MESSAGE, 1_800, IdempotencyKey.of("msg-42"), Instant.now());
 * if (!d.isAllowed()) { show(((Decision.Denied) d).waysOut()); }
 * }</pre>
 *
 * <p><b>Thread safety.</b> A gate is immutable and thread-safe; share one per store.
 *
 * <p><b>Atomicity.</b> Every mutation ({@code charge}, {@code topUp}, {@code changePlan}, ...) reads
 * the wallet, decides with the pure domain, and commits the new wallet, its ledger entries and its
 * idempotency record in one conditional commit. If another commit came first it decides again from
 * the fresh state (see {@link WalletStore#mutate}), so there is no lost update and no overspend,
 * however many threads or service instances share the store.
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
 * <p><b>Bad input</b> throws a {@link dev.creditgate.CreditGateException} naming the bad value
 * before anything is written.
 */
public final class CreditGate {
  private static final Logger log = LoggerFactory.getLogger(CreditGate.class);
  /** The key the hold sweep mutates under; it is never recorded. */
  private static final IdempotencyKey SWEEP_KEY = IdempotencyKey.of("creditgate:expire-holds");
  private static final int SWEEP_BATCH = 100;
  /** Replay is a rare audit call: it may try many times to find a quiet moment on a busy wallet. */
  private static final int REPLAY_ATTEMPTS = 10_000;
  /** The times the gate accepts: years 1 to 9999, where every date computation is defined. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private final WalletStore store;
  private final EventSink events;
  private final WalletRules rules;
  private final CostTable costs;
  private final OutcomePolicy outcomes;
  private final Duration holdTimeToLive;

  private CreditGate(Builder b) {
    this.store = b.store != null ? b.store : InMemoryWalletStore.create();
    this.events = b.events != null ? b.events : EventSink.discarding();
    this.rules = new WalletRules(b.catalog, b.spendOrder, b.overdraft, b.upgradePolicy, b.warningPercents);
    this.costs = b.costs;
    this.outcomes = b.outcomes;
    this.holdTimeToLive = b.holdTimeToLive;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Catalog catalog() {
    return rules.catalog();
  }

  public CostTable costTable() {
    return costs;
  }

  public WalletRules rules() {
    return rules;
  }

  /**
   * Opens a wallet on the catalog's starting plan (Free by default), with its allowance granted at
   * once and renewing monthly at {@code at}'s local date and time in {@code zone}. Idempotent by
   * account: opening an open wallet changes nothing and returns its status.
   */
  public WalletStatus openWallet(AccountId account, ZoneId zone, Instant at) {
    require(account, "account");
    require(zone, "zone");
    requireTime(at, "at");
    if (store.load(account).isEmpty()) {
      Transition opened = Wallet.open(account, rules.catalog().startingPlan(), zone, at);
      if (store.commit(new Commit(account, 0, opened.wallet(), opened.entries(), List.of()))) {
        publish(opened.events());
      }
    }
    return status(account, at);
  }

  /** The wallet as it stands at {@code at}. Never writes. */
  public WalletStatus status(AccountId account, Instant at) {
    require(account, "account");
    requireTime(at, "at");
    Wallet w = current(account, at);
    return new WalletStatus(account, w.planId(), w.renewalPlanId(), w.subscription(), w.packCredits(),
        w.held(), w.debt(), w.available(), w.reference(), w.meter(rules), w.nextRenewal());
  }

  /**
   * Decides whether {@code account} may do {@code quantity} of {@code operation} at {@code at},
   * without changing anything.
   *
   * @throws dev.creditgate.UnknownOperationException if the cost table does not list it
   * @throws dev.creditgate.UnknownAccountException if no wallet is open for the account
   */
  public Decision check(AccountId account, Operation operation, long quantity, Instant at) {
    return check(account, Optional.empty(), operation, quantity, at);
  }

  /**
   * {@link #check(AccountId, Operation, long, Instant)} for {@code member} of the shared wallet
   * {@code account}: also denied, with {@link Decision.Reason#MEMBER_CAP_REACHED}, when the cost
   * exceeds what the member has left under their cap.
   *
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public Decision check(AccountId account, AccountId member, Operation operation, long quantity, Instant at) {
    return check(account, Optional.of(require(member, "member")), operation, quantity, at);
  }

  private Decision check(AccountId account, Optional<AccountId> member, Operation operation, long quantity,
      Instant at) {
    Credits cost = costOf(operation, quantity);
    require(account, "account");
    requireTime(at, "at");
    return decide(current(account, at), member, operation, quantity, cost);
  }

  /**
   * Decides and, if allowed, spends the cost at once, atomically: the credits are taken in the
   * spend order and the ledger records one entry per grant touched. A denial changes nothing.
   * Publishes a warning the first time in a period the balance falls to or under each threshold.
   */
  public Decision charge(AccountId account, Operation operation, long quantity, IdempotencyKey key,
      Instant at) {
    return charge(account, Optional.empty(), operation, quantity, key, at);
  }

  /**
   * {@link #charge(AccountId, Operation, long, IdempotencyKey, Instant)} for {@code member} of the
   * shared wallet {@code account}: it draws on the wallet and counts against the member's cap.
   *
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public Decision charge(AccountId account, AccountId member, Operation operation, long quantity,
      IdempotencyKey key, Instant at) {
    return charge(account, Optional.of(require(member, "member")), operation, quantity, key, at);
  }

  private Decision charge(AccountId account, Optional<AccountId> member, Operation operation, long quantity,
      IdempotencyKey key, Instant at) {
    Credits cost = costOf(operation, quantity);
    require(account, "account");
    require(key, "key");
    requireTime(at, "at");
    if (cost.isZero()) {
      return decide(current(account, at), member, operation, quantity, cost);
    }
    String request = Receipts.CHARGE + operation.id() + " x" + quantity + member.map(m -> " by " + m).orElse("");
    return decideAndApply(account, member, operation, quantity, cost, key, request, at,
        wallet -> wallet.debit(operation, cost, member, key.value(), at, rules));
  }

  /**
   * The shape of {@code charge} and {@code reserve}: decide, and if allowed apply {@code change}
   * and answer with the balances before and after it; a denial writes nothing.
   */
  private Decision decideAndApply(AccountId account, Optional<AccountId> member, Operation operation,
      long quantity, Credits cost, IdempotencyKey key, String request, Instant at,
      Function<Wallet, Transition> change) {
    return mutate(account, key, request, at, Receipts.DECISION, wallet -> {
      Decision decision = decide(wallet, member, operation, quantity, cost);
      if (!decision.isAllowed()) {
        return Step.answer(decision);
      }
      // A charge or a reserve takes exactly the cost from what is available and leaves the period's
      // reference alone, so the decision's "after" is already the applied wallet's.
      return Step.commit(decision, change.apply(wallet));
    });
  }

  /**
   * Adds a pack's credits at once. Call it after the payment provider confirms, with the payment's
   * id as the key: a duplicated webhook never grants twice.
   *
   * @throws dev.creditgate.UnknownCatalogItemException if no pack has this id
   */
  public TopUp topUp(AccountId account, String packId, IdempotencyKey paymentId, Instant at) {
    Pack pack = rules.catalog().pack(packId);
    return grantPack(account, pack.id(), pack.credits(), paymentId, at, "top-up pack " + pack.id());
  }

  /**
   * Adds a Custom pack bought at {@code price}: price times the configured rate, rounded down to
   * the credit unit.
   *
   * @throws InvalidRequestException if the catalog sells no custom packs or the price is outside
   *     its bounds
   */
  public TopUp topUpCustom(AccountId account, Money price, IdempotencyKey paymentId, Instant at) {
    require(price, "price");
    Credits credits = rules.catalog().customPacks()
        .orElseThrow(() -> new InvalidRequestException("the catalog sells no custom packs"))
        .creditsFor(price);
    return grantPack(account, "custom", credits, paymentId, at,
        "top-up custom " + price.minorUnits() + " " + price.currency());
  }

  private TopUp grantPack(AccountId account, String packId, Credits credits, IdempotencyKey paymentId,
      Instant at, String request) {
    require(account, "account");
    require(paymentId, "payment id");
    requireTime(at, "at");
    String grant = "pack:" + paymentId.value();
    return mutate(account, paymentId, request, at, Receipts.TOP_UP, wallet -> {
      Transition t = wallet.topUp(grant, packId, credits, paymentId.value(), at, rules);
      return Step.commit(new TopUp(grant, packId, credits, t.wallet().available(), t.wallet().meter(rules)), t);
    });
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
    Plan target = rules.catalog().plan(planId);
    require(account, "account");
    require(key, "key");
    requireTime(at, "at");
    return mutate(account, key, "change plan " + target.id(), at, Receipts.PLAN_CHANGE, wallet -> {
      Transition t = wallet.changePlan(target, key.value(), at, rules);
      Wallet after = t.wallet();
      boolean immediate = after.planId().equals(target.id()) && !wallet.planId().equals(target.id());
      Instant effective = immediate ? at : wallet.nextRenewal();
      return Step.commit(new PlanChange(wallet.planId(), target.id(), immediate, effective, after.available(),
          wallet.membersBeyondSeats(target)), t);
    });
  }

  /**
   * Reserves the estimated cost of {@code quantity} of {@code operation} before the work starts.
   * Held credits stay in the wallet but nothing else may spend them until the hold is captured,
   * released, or expires after the configured time-to-live. Allowed or denied like
   * {@link #charge}; the hold's id is {@code key}.
   */
  public Decision reserve(AccountId account, Operation operation, long quantity, IdempotencyKey key,
      Instant at) {
    return reserve(account, Optional.empty(), operation, quantity, key, at);
  }

  /**
   * {@link #reserve(AccountId, Operation, long, IdempotencyKey, Instant)} for {@code member} of the
   * shared wallet {@code account}: the hold counts against the member's cap until it is resolved,
   * and its capture is counted as the member's spending.
   */
  public Decision reserve(AccountId account, AccountId member, Operation operation, long quantity,
      IdempotencyKey key, Instant at) {
    return reserve(account, Optional.of(require(member, "member")), operation, quantity, key, at);
  }

  private Decision reserve(AccountId account, Optional<AccountId> member, Operation operation, long quantity,
      IdempotencyKey key, Instant at) {
    Credits cost = costOf(operation, quantity);
    require(account, "account");
    require(key, "key");
    requireTime(at, "at");
    if (!cost.isPositive()) {
      throw new InvalidRequestException("operation '" + operation.id() + "' x" + quantity
          + " costs nothing; there is nothing to reserve");
    }
    String request = "reserve " + operation.id() + " x" + quantity + member.map(m -> " by " + m).orElse("");
    Instant expiresAt = at.plus(holdTimeToLive);
    return decideAndApply(account, member, operation, quantity, cost, key, request, at,
        wallet -> wallet.reserve(key.value(), operation, cost, member, expiresAt, at, rules));
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
    require(account, "account");
    require(hold, "hold");
    require(outcome, "outcome");
    require(key, "key");
    requireTime(at, "at");
    InvalidRequestException.requireNonNegative(quantity, "quantity");
    String request = Receipts.CAPTURE + hold.value() + " x" + quantity + " " + outcome.kind() + " "
        + outcome.retryOf();
    return mutate(account, key, request, at, Receipts.SETTLEMENT, wallet -> {
      dev.creditgate.model.Hold open = wallet.openHold(hold.value());
      Cost cost = costs.costOf(open.operation());
      // Nothing produced: zero units of a fixed cost are worth nothing (a charge would refuse them).
      Credits metered = quantity == 0 && cost instanceof Cost.Fixed ? Credits.ZERO : cost.of(quantity);
      Credits due = outcomes.charge(outcome, metered);
      Credits charged = due.min(wallet.mostCapturable(hold.value(), rules));
      Transition t = wallet.capture(hold.value(), charged, key.value(), at, rules);
      Wallet after = t.wallet();
      return Step.commit(new HoldSettlement(hold.value(), open.operation(), outcome, open.amount(), metered,
          due, charged, after.available(), after.meter(rules)), t);
    });
  }

  /**
   * Releases the hold reserved with {@code hold} without charging anything.
   *
   * @throws dev.creditgate.HoldStateException if the hold is not open, unless this repeats
   *     the releasing call's key
   */
  public HoldSettlement release(AccountId account, IdempotencyKey hold, IdempotencyKey key, Instant at) {
    require(account, "account");
    require(hold, "hold");
    require(key, "key");
    requireTime(at, "at");
    return mutate(account, key, "release " + hold.value(), at, Receipts.SETTLEMENT, wallet -> {
      dev.creditgate.model.Hold open = wallet.openHold(hold.value());
      Transition t = wallet.release(hold.value(), key.value(), at);
      Wallet after = t.wallet();
      return Step.commit(new HoldSettlement(hold.value(), open.operation(), null, open.amount(),
          Credits.ZERO, Credits.ZERO, Credits.ZERO, after.available(), after.meter(rules)), t);
    });
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
    requireTime(at, "at");
    int changed = 0;
    List<AccountId> due;
    while (!(due = store.accountsWithHoldsExpiredBy(at, SWEEP_BATCH)).isEmpty()) {
      for (AccountId account : due) {
        List<WalletEvent> published = new ArrayList<>();
        boolean committed = store.mutate(account, SWEEP_KEY, (stored, recorded) -> {
          Transition rolled = stored.wallet().rollForward(at, rules);
          published.clear();
          published.addAll(rolled.events());
          return rolled.changesNothing() ? Mutation.Outcome.answer(false) : Mutation.Outcome.commit(true,
              new Commit(account, stored.version(), rolled.wallet(), rolled.entries(), List.of()));
        });
        if (committed) {
          changed++;
          publish(published);
        }
      }
    }
    return changed;
  }

  /**
   * Refunds {@code credits} of the pack bought with {@code paymentId}, taken from what remains of
   * that grant, e.g. after the payment provider refunded the purchase.
   *
   * @throws InvalidRequestException if more than what remains of the grant is asked back
   */
  public BalanceChange refundPack(AccountId account, IdempotencyKey paymentId, Credits credits,
      IdempotencyKey key, Instant at) {
    require(account, "account");
    require(paymentId, "payment id");
    require(credits, "credits");
    require(key, "key");
    requireTime(at, "at");
    String grant = "pack:" + paymentId.value();
    String request = "refund pack " + paymentId.value() + " " + credits.thousandths();
    return mutate(account, key, request, at, Receipts.BALANCE_CHANGE, wallet -> {
      Transition t = wallet.refundPack(grant, credits, key.value(), at);
      return Step.commit(new BalanceChange(grant, credits.negate(), t.wallet().available(),
          t.wallet().meter(rules)), t);
    });
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
    require(account, "account");
    require(chargeKey, "charge key");
    require(credits, "credits");
    require(key, "key");
    requireTime(at, "at");
    // The charge's record is read first but only needed for a first refund: a repeated refund is
    // answered from its own record inside mutate, even once the charge's record has aged out.
    Optional<IdempotencyRecord> charge = store.findRecord(account, chargeKey);
    String request = "refund charge " + chargeKey.value() + " " + credits.thousandths();
    return mutate(account, key, request, at, Receipts.BALANCE_CHANGE, wallet -> {
      Decision.Allowed charged = chargedBy(chargeKey, charge);
      Transition t = wallet.refundCharge(chargeKey.value(), charged.cost(), charged.operation(), credits,
          key.value(), at, rules);
      return Step.commit(new BalanceChange("refund:" + key.value(), credits, t.wallet().available(),
          t.wallet().meter(rules)), t);
    });
  }

  /** What the charge or capture recorded under {@code chargeKey} took, as an allowed decision. */
  private static Decision.Allowed chargedBy(IdempotencyKey chargeKey, Optional<IdempotencyRecord> found) {
    IdempotencyRecord charge = found.orElseThrow(() ->
        new InvalidRequestException("no charge or capture was recorded with key '" + chargeKey + "'"));
    if (charge.request().startsWith(Receipts.CHARGE)) {
      return (Decision.Allowed) Receipts.DECISION.resultOf(charge);
    }
    if (charge.request().startsWith(Receipts.CAPTURE)) {
      HoldSettlement s = Receipts.SETTLEMENT.resultOf(charge);
      return new Decision.Allowed(s.operation(), 0, s.charged(), s.balanceAfter(), s.balanceAfter(), s.meter());
    }
    throw new InvalidRequestException("key '" + chargeKey + "' was used for [" + charge.request()
        + "], not for a charge or a capture");
  }

  /**
   * Corrects a balance by hand: a positive {@code delta} adds a never-expiring grant, a negative one
   * takes credits in the spend order, at most what is available. {@code reason} goes to the ledger.
   */
  public BalanceChange adjust(AccountId account, Credits delta, String reason, IdempotencyKey key,
      Instant at) {
    require(account, "account");
    require(delta, "delta");
    InvalidRequestException.requireText(reason, "reason", 200);
    require(key, "key");
    requireTime(at, "at");
    String request = "adjust " + delta.thousandths() + " " + reason;
    return mutate(account, key, request, at, Receipts.BALANCE_CHANGE, wallet -> {
      Transition t = wallet.adjust(delta, reason, key.value(), at, rules);
      String grant = delta.isPositive() ? "adjustment:" + key.value() : "";
      return Step.commit(new BalanceChange(grant, delta, t.wallet().available(), t.wallet().meter(rules)), t);
    });
  }

  /**
   * Writes the account's ledger entries with {@code from <= at < to} to {@code out}, in commit
   * order, one line at a time: a year of history never sits in memory. Never writes to the store.
   *
   * @throws java.io.UncheckedIOException if {@code out} fails
   */
  public void exportLedger(AccountId account, Instant from, Instant to, LedgerFormat format, Appendable out) {
    require(account, "account");
    require(from, "from");
    require(to, "to");
    require(format, "format");
    require(out, "out");
    load(account);
    store.readLedger(account, from, to, new LedgerWriter(format, out));
  }

  /**
   * Replays the account's whole ledger against its stored wallet: the entries must sum to the
   * balance and to the held credits, grant by grant. Never writes.
   */
  public LedgerReplay replay(AccountId account) {
    require(account, "account");
    // The wallet and the ledger are read apart: a replay counts only if no commit landed between.
    for (int attempt = 1; attempt <= REPLAY_ATTEMPTS; attempt++) {
      StoredWallet stored = load(account);
      LedgerReplay replay = replay(account, stored.wallet());
      if (load(account).version() == stored.version()) {
        return replay;
      }
      Thread.yield();
    }
    throw new StoreException("wallet '" + account + "' kept changing during " + REPLAY_ATTEMPTS
        + " replays; retry when it is quieter");
  }

  private LedgerReplay replay(AccountId account, Wallet wallet) {
    Map<String, Credits> sums = new HashMap<>();
    Credits[] totals = {Credits.ZERO, Credits.ZERO};
    long[] count = {0};
    store.readLedger(account, Instant.MIN, Instant.MAX, entry -> {
      count[0]++;
      int i = entry.kind().affectsBalance() ? 0 : 1;
      totals[i] = totals[i].plus(entry.amount());
      sums.merge((i == 0 ? "" : "hold ") + entry.grant(), entry.amount(), Credits::plus);
    });
    Map<String, Credits> expected = new HashMap<>();
    expected.put(LedgerEntry.SUBSCRIPTION, wallet.subscription());
    expected.put(LedgerEntry.OVERDRAFT, wallet.debt().negate());
    for (PackGrant grant : wallet.packs()) {
      expected.put(grant.id(), grant.remaining());
    }
    for (dev.creditgate.model.Hold hold : wallet.holds()) {
      expected.put("hold " + hold.id(), hold.amount());
    }
    Map<String, Credits> differences = new TreeMap<>();
    Set<String> names = new HashSet<>(sums.keySet());
    names.addAll(expected.keySet());
    for (String name : names) {
      Credits difference = sums.getOrDefault(name, Credits.ZERO).minus(expected.getOrDefault(name, Credits.ZERO));
      if (!difference.isZero()) {
        differences.put(name, difference);
      }
    }
    return new LedgerReplay(account, count[0], totals[0], wallet.balance(), totals[1], wallet.held(),
        differences);
  }

  /**
   * Adds {@code member} to the shared wallet {@code account}: their charges then draw on it. Denied,
   * with the seat count and the plan that has more seats, when every seat of the plan is taken.
   *
   * @throws InvalidRequestException if {@code member} is already a member
   */
  public SeatDecision addMember(AccountId account, AccountId member, IdempotencyKey key, Instant at) {
    require(account, "account");
    require(member, "member");
    require(key, "key");
    requireTime(at, "at");
    return mutate(account, key, "add member " + member.value(), at, Receipts.SEAT, wallet -> {
      Plan plan = rules.catalog().plan(wallet.planId());
      int used = wallet.members().size();
      if (!wallet.hasMember(member) && used >= plan.seats()) {
        Optional<Plan> more = rules.catalog().plans().stream().filter(p -> p.seats() > plan.seats()).findFirst();
        return Step.answer(new SeatDecision.Denied(member, used, plan.seats(), plan.id(), more));
      }
      Transition t = wallet.addMember(member, plan, key.value(), at);
      return Step.commit(new SeatDecision.Added(member, used + 1, plan.seats()), t);
    });
  }

  /**
   * Removes {@code member} from the shared wallet; their open holds stay and are charged to the
   * wallet when captured.
   *
   * @return the seats taken after the removal
   * @throws dev.creditgate.UnknownMemberException if {@code member} is not a member
   */
  public int removeMember(AccountId account, AccountId member, IdempotencyKey key, Instant at) {
    require(account, "account");
    require(member, "member");
    require(key, "key");
    requireTime(at, "at");
    return mutate(account, key, "remove member " + member.value(), at, Receipts.COUNT, wallet -> {
      Transition t = wallet.removeMember(member, key.value(), at);
      return Step.commit(t.wallet().members().size(), t);
    });
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
    require(account, "account");
    require(member, "member");
    require(cap, "cap");
    require(key, "key");
    requireTime(at, "at");
    cap.ifPresent(c -> InvalidRequestException.requireNonNegative(c.thousandths(), "cap in thousandths"));
    String request = "cap member " + member.value() + " " + cap.map(c -> Long.toString(c.thousandths())).orElse("none");
    return mutate(account, key, request, at, Receipts.MEMBER, wallet -> {
      Transition t = wallet.setMemberCap(member, cap, key.value(), at);
      return Step.commit(usage(t.wallet().member(member)), t);
    });
  }

  /** What each member of the shared wallet spent this period, per operation. Never writes. */
  public UsageReport usage(AccountId account, Instant at) {
    require(account, "account");
    requireTime(at, "at");
    Wallet wallet = current(account, at);
    List<MemberUsage> members = new ArrayList<>();
    for (Member member : wallet.members()) {
      members.add(usage(member));
    }
    return new UsageReport(account, wallet.planId(), wallet.schedule().periodStart(wallet.period()),
        wallet.nextRenewal(), members);
  }

  private static MemberUsage usage(Member member) {
    Map<Operation, Credits> byOperation = new HashMap<>();
    member.spentByOperation().forEach((operation, credits) -> byOperation.put(Operation.of(operation), credits));
    return new MemberUsage(member.id(), member.cap(), member.spent(), byOperation);
  }

  /**
   * Whether the plan in force for {@code account} at {@code at} has the feature flag, e.g.
   * {@link Catalog#PRIORITY_SUPPORT}. An upgrade counts at once, a downgrade from its renewal.
   */
  public boolean has(AccountId account, String feature, Instant at) {
    require(feature, "feature");
    return plan(account, at).hasFeature(feature);
  }

  /**
   * The plan's value of a numeric limit, e.g. {@link Plan#SEATS}, or empty if the plan declares none.
   */
  public OptionalLong limit(AccountId account, String limit, Instant at) {
    require(limit, "limit");
    return plan(account, at).limit(limit);
  }

  private Plan plan(AccountId account, Instant at) {
    require(account, "account");
    requireTime(at, "at");
    return rules.catalog().plan(current(account, at).planId());
  }

  // ---------------------------------------------------------------------------------------------

  private Credits costOf(Operation operation, long quantity) {
    require(operation, "operation");
    Cost cost = costs.costOf(operation);
    return cost.of(quantity);
  }

  private Decision decide(Wallet wallet, Optional<AccountId> member, Operation operation, long quantity,
      Credits cost) {
    Credits available = wallet.available();
    Optional<Credits> room = wallet.memberRoom(member);
    if (cost.isPositive() && room.isPresent() && cost.compareTo(room.get()) > 0) {
      return new Decision.Denied(operation, quantity, cost, available, wallet.meter(rules),
          Decision.Reason.MEMBER_CAP_REACHED, cost.minus(room.get()), renewalOnly(wallet));
    }
    if (cost.isZero() || rules.overdraft().allows(available, cost)) {
      Credits after = available.minus(cost);
      return new Decision.Allowed(operation, quantity, cost, available, after, wallet.meterAt(after, rules));
    }
    Credits shortfall = cost.minus(available);
    return new Decision.Denied(operation, quantity, cost, available, wallet.meter(rules),
        Decision.Reason.INSUFFICIENT_CREDITS, shortfall, waysOut(wallet, shortfall));
  }

  private WaysOut renewalOnly(Wallet wallet) {
    return new WaysOut(new WaysOut.TopUpOption(Optional.empty(), Optional.empty()), Optional.empty(),
        renewal(wallet));
  }

  private WaysOut.RenewalOption renewal(Wallet wallet) {
    Plan renewalPlan = rules.catalog().plan(wallet.renewalPlanId());
    return new WaysOut.RenewalOption(wallet.nextRenewal(), renewalPlan.id(), renewalPlan.monthlyCredits());
  }

  private WaysOut waysOut(Wallet wallet, Credits shortfall) {
    Catalog catalog = rules.catalog();
    WaysOut.TopUpOption topUp = new WaysOut.TopUpOption(catalog.smallestPackCovering(shortfall),
        catalog.customPacks().flatMap(terms -> terms.cheapestPriceFor(shortfall)));
    Optional<WaysOut.UpgradeOption> upgrade = catalog.nextPlanAfter(wallet.planId()).map(WaysOut.UpgradeOption::new);
    return new WaysOut(topUp, upgrade, renewal(wallet));
  }

  /** The stored wallet rolled forward to {@code at}, in memory only. */
  private Wallet current(AccountId account, Instant at) {
    return load(account).wallet().at(at, rules);
  }

  private StoredWallet load(AccountId account) {
    Optional<StoredWallet> stored = store.load(account);
    if (stored.isEmpty()) {
      throw new UnknownAccountException(account);
    }
    return stored.get();
  }

  /**
   * Every mutation's shape: replay a recorded key (or refuse it for other arguments), roll the
   * wallet forward, decide, and hand the store one commit of the wallet, its ledger entries and
   * the key's record; events are published once the commit has landed.
   */
  private <R> R mutate(AccountId account, IdempotencyKey key, String request, Instant at,
      Receipts.Codec<R> codec, Function<Wallet, Step<R>> decide) {
    List<WalletEvent> published = new ArrayList<>();
    R result = store.mutate(account, key, (stored, recorded) -> {
      published.clear();
      if (recorded.isPresent()) {
        IdempotencyRecord record = recorded.get();
        if (!record.request().equals(request)) {
          throw new IdempotencyConflictException(key.value(), record.request(), request);
        }
        return Mutation.Outcome.answer(codec.resultOf(record));
      }
      Transition rolled = stored.wallet().rollForward(at, rules);
      Step<R> step = decide.apply(rolled.wallet());
      if (step.transition() == null) {
        return Mutation.Outcome.answer(step.result());
      }
      Transition full = rolled.then(step.transition());
      published.addAll(full.events());
      // The record keeps the result as an object; only a store that persists it pays for its text.
      IdempotencyRecord record = IdempotencyRecord.of(key, request, step.result(), codec, at);
      return Mutation.Outcome.commit(step.result(),
          new Commit(account, stored.version(), full.wallet(), full.entries(), List.of(record)));
    });
    publish(published);
    return result;
  }

  /** What a mutation decided: the answer, and the transition to commit (none for a denial). */
  private record Step<R>(R result, Transition transition) {
    static <R> Step<R> answer(R result) {
      return new Step<>(result, null);
    }

    static <R> Step<R> commit(R result, Transition transition) {
      return new Step<>(result, transition);
    }
  }

  private void publish(List<WalletEvent> list) {
    for (WalletEvent event : list) {
      try {
        events.publish(event);
      } catch (RuntimeException e) {
        log.warn("event sink failed on {}; the change it reports stands", event, e);
      }
    }
  }

  private static <T> T require(T value, String name) {
    return InvalidRequestException.requireNonNull(value, name);
  }

  private static Instant requireTime(Instant value, String name) {
    require(value, name);
    if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
      throw new InvalidRequestException(name + " " + value + " is outside the years 1 to 9999");
    }
    return value;
  }

  /**
   * Configures a {@link CreditGate}. Every setting has a default: the in-memory store, the
   * article's catalog and cost table, subscription credits first, no overdraft, upgrades restarting
   * the period, warnings at 20% and 0%.
   *
   * <p>Each setter checks its value when it is called: a null, or a value out of the range it
   * documents, throws {@link InvalidRequestException} naming the setting and the value, and leaves
   * the builder as it was.
   */
  public static final class Builder {
    /** How long a hold stays open without a capture or release: 15 minutes. */
    public static final Duration DEFAULT_HOLD_TIME_TO_LIVE = Duration.ofMinutes(15);
    /** The longest a hold may stay open: 365 days. Work in flight for longer is not in flight. */
    public static final Duration MAX_HOLD_TIME_TO_LIVE = Duration.ofDays(365);
    /** The most balance warnings a gate keeps. */
    public static final int MAX_WARNINGS = 31;

    private WalletStore store;
    private EventSink events;
    private Catalog catalog = Catalog.defaults();
    private CostTable costs = CostTable.defaults();
    private SpendOrder spendOrder = SpendOrder.SUBSCRIPTION_FIRST;
    private OverdraftPolicy overdraft = OverdraftPolicy.NONE;
    private UpgradePolicy upgradePolicy = UpgradePolicy.RESTART_PERIOD;
    private List<Integer> warningPercents = WalletRules.DEFAULT_WARNING_PERCENTS;
    private OutcomePolicy outcomes = OutcomePolicy.defaults();
    private Duration holdTimeToLive = DEFAULT_HOLD_TIME_TO_LIVE;

    private Builder() {}

    public Builder store(WalletStore store) {
      this.store = require(store, "store");
      return this;
    }

    public Builder eventSink(EventSink sink) {
      this.events = require(sink, "eventSink");
      return this;
    }

    public Builder catalog(Catalog catalog) {
      this.catalog = require(catalog, "catalog");
      return this;
    }

    public Builder costTable(CostTable costs) {
      this.costs = require(costs, "costTable");
      return this;
    }

    public Builder spendOrder(SpendOrder order) {
      this.spendOrder = require(order, "spendOrder");
      return this;
    }

    public Builder overdraft(OverdraftPolicy policy) {
      this.overdraft = require(policy, "overdraft");
      return this;
    }

    public Builder upgradePolicy(UpgradePolicy policy) {
      this.upgradePolicy = require(policy, "upgradePolicy");
      return this;
    }

    /**
     * The balance warnings, in percent of the period's reference amount: {@code 20, 0} by default;
     * none for an empty list.
     *
     * @throws InvalidRequestException naming the value if a percent is outside 0..100, appears
     *     twice, or there are more than {@link #MAX_WARNINGS}
     */
    public Builder warnAt(int... percents) {
      require(percents, "percents");
      if (percents.length > MAX_WARNINGS) {
        throw new InvalidRequestException("percents", Integer.toString(percents.length),
            "at most " + MAX_WARNINGS + " warning percents, got " + percents.length);
      }
      List<Integer> list = new ArrayList<>();
      for (int percent : percents) {
        if (percent < 0 || percent > 100) {
          throw new InvalidRequestException("percents", Integer.toString(percent),
              "warning percent must be in 0..100 but was " + percent);
        }
        if (list.contains(percent)) {
          throw new InvalidRequestException("percents", Integer.toString(percent),
              "warning percents must be distinct but " + percent + " appears twice");
        }
        list.add(percent);
      }
      this.warningPercents = List.copyOf(list);
      return this;
    }

    /** What errors and retries are charged; see {@link OutcomePolicy#defaults()}. */
    public Builder outcomePolicy(OutcomePolicy policy) {
      this.outcomes = require(policy, "outcomePolicy");
      return this;
    }

    /**
     * How long a hold stays open before it expires and returns its credits:
     * {@link #DEFAULT_HOLD_TIME_TO_LIVE} by default.
     *
     * @throws InvalidRequestException naming the value unless it is positive and at most
     *     {@link #MAX_HOLD_TIME_TO_LIVE}
     */
    public Builder holdTimeToLive(Duration ttl) {
      require(ttl, "holdTimeToLive");
      if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_HOLD_TIME_TO_LIVE) > 0) {
        throw new InvalidRequestException("holdTimeToLive", ttl.toString(),
            "hold time-to-live must be positive and at most " + MAX_HOLD_TIME_TO_LIVE + " but was " + ttl);
      }
      this.holdTimeToLive = ttl;
      return this;
    }

    /** @throws InvalidRequestException if the settings contradict each other */
    public CreditGate build() {
      return new CreditGate(this);
    }
  }
}
