package dev.creditgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.CreditGateException;
import dev.creditgate.Decision;
import dev.creditgate.IdempotencyConflictException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Rollover;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import net.jqwik.api.statistics.Statistics;

/**
 * The state of an in-flight work chain: a real gate on the store under test, beside a
 * {@link GateModel} of the same wallet. {@link GateArbitraries}' actions make calls on both and
 * check, call by call, that the gate did what the model says; the invariant methods below check the
 * whole wallet after every step. Every check goes through the public API only: the gate's status,
 * replay and ledger, and the store's {@code load}, {@code findRecord} and expired-hold search.
 *
 * <p>What every call is checked for. A call that commits returns the model's result
 * ({@link Expectation.Done#verify}); its key is recorded; the ledger only grew, every new entry
 * names this call's key or none, and the entries with its key move the balance and the held credits
 * exactly as the model did; a top-up publishes its {@code CreditsGranted} event, and every event
 * names the account. A call that does not commit answers what the model says (the first result
 * again, an idempotency conflict, the typed error, or a denial with its cost, available credits and
 * shortfall) and leaves the stored wallet (version and encoded state), the ledger, the key's record
 * and the events as they were. A sweep changes the wallet exactly when a stored hold is due, writes
 * entries that name no key, and leaves no expired hold in the store's index or the ledger.
 *
 * <p>Each state opens one wallet, {@link #ACCOUNT}, at {@link #START} in UTC, on a gate built with
 * {@link #HOLD_TIME_TO_LIVE} and a {@link RecordingSink}, on a store that must be new and empty (the
 * sweep's count covers every wallet of the store). Time only moves forward. Not thread-safe: a chain
 * runs on one thread (concurrency needs a harness of its own).
 *
 * <p>Most users never touch it: {@link GateChains#inFlightWork} makes the chains and
 * {@link GateChains#run} runs one with every invariant.
 */
public final class InFlightWork {

  /** When each chain's wallet opens: a month-end, so renewals fall on shorter months' last days. */
  public static final Instant START = Instant.parse("2026-01-31T10:00:00Z");
  /** How long a hold stays open, on the gate and in the model. */
  public static final Duration HOLD_TIME_TO_LIVE = Duration.ofMinutes(10);
  /**
   * The chains' catalog: the default one, with rollover on Free (up to 20 credits) and Pro (up to
   * 25% of its allowance), so that renewals roll unused credits over.
   */
  public static final Catalog CATALOG = catalog();

  private static Catalog catalog() {
    Catalog defaults = Catalog.defaults();
    Catalog.Builder b = Catalog.builder()
        .plan(defaults.plan("free").withRollover(Rollover.upTo(Credits.of(20))))
        .plan(defaults.plan("pro").withRollover(Rollover.upToPercent(25)))
        .plan(defaults.plan("team"));
    defaults.packs().forEach(b::pack);
    defaults.customPacks().ifPresent(b::customPacks);
    return b.build();
  }

  /** The one account of each chain. */
  public static final AccountId ACCOUNT = AccountId.of("ada");

  private final WalletStore store;
  private final CreditGate gate;
  private final RecordingSink events = new RecordingSink();
  /** The time of the chain: the time of the next call. */
  Instant now = START;
  /** The wallet as it logically stands now. */
  final GateModel model = new GateModel(START, HOLD_TIME_TO_LIVE);
  /** The wallet as of the last commit, which is what the store holds and the ledger sums to. */
  GateModel committed = model.copy();
  /** When the last commit was made: the stored wallet is the one {@code status} shows then. */
  Instant committedAt = START;
  private final Map<String, Object> firstResults = new HashMap<>();
  /** The keys of denied charges and reserves (not recorded), with their calls. */
  final Map<String, GateCall> denied = new LinkedHashMap<>();
  /** Every hold ever reserved (open or not), by id, with its operation. */
  final Map<String, String> holdOps = new LinkedHashMap<>();
  /** Every hold ever reserved, by id, with its expiry. */
  private final Map<String, Instant> holdExpiries = new HashMap<>();
  /** Every promotion ever granted, by ledger name, with its terms. */
  private final Map<String, GateCall.GrantPromotion> promotions = new HashMap<>();
  private int keys;

  /**
   * Opens {@link #ACCOUNT}'s wallet on {@code store}.
   *
   * @param store a new, empty store
   */
  InFlightWork(WalletStore store) {
    this.store = Objects.requireNonNull(store, "store");
    this.gate = CreditGate.builder(store).catalog(CATALOG).holdTimeToLive(HOLD_TIME_TO_LIVE).eventSink(events)
        .build();
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, START);
    events.clear();
    // Every sequence counts, so the statistics are never empty (jqwik cannot report an empty one).
    Statistics.label(GateChains.STATISTICS).collect("sequences");
  }

  /**
   * The gate under test.
   *
   * @return the gate the chain calls
   */
  public CreditGate gate() {
    return gate;
  }

  /**
   * The store under test.
   *
   * @return the store the gate runs on
   */
  public WalletStore store() {
    return store;
  }

  /**
   * A copy of the model, as the wallet logically stands now.
   *
   * @return an independent copy of the model
   */
  public GateModel model() {
    return model.copy();
  }

  /**
   * The chain's time: the time of its next call.
   *
   * @return the instant the next call is made at
   */
  public Instant now() {
    return now;
  }

  String freshKey() {
    return "k" + (++keys);
  }

  /** Moves the clock forward to {@code at} (never back). */
  void advanceTo(Instant at) {
    if (at.isAfter(now)) {
      now = at;
    }
  }

  /** Rolls the model forward to {@link #now}, counting the renewals it applies. */
  void roll() {
    if (model.promotions().values().stream().anyMatch(p -> !p.expiresAt().isAfter(now))) {
      Statistics.label(GateChains.STATISTICS).collect("promotion expired");
    }
    Instant renewal = model.nextRenewal();
    if (!renewal.isAfter(now)) {
      boolean withHolds = model.holds().values().stream().anyMatch(h -> h.expiresAt().isAfter(renewal));
      boolean lower = Prices.rank(model.renewalPlan()) < Prices.rank(model.plan());
      Statistics.label(GateChains.STATISTICS).collect("renewal " + (withHolds ? "with" : "without") + " open holds, "
          + (lower ? "to a lower plan" : "same plan"));
    }
    model.rollForward(now);
    if (!renewal.isAfter(now) && model.promotions().entrySet().stream().anyMatch(e -> e.getKey()
        .startsWith("rollover:") && !e.getValue().grantedAt().isBefore(renewal))) {
      Statistics.label(GateChains.STATISTICS).collect("renewal with a rollover");
    }
  }

  private StoredWallet stored() {
    return store.load(ACCOUNT).orElseThrow(() -> new AssertionError("the store lost the wallet of " + ACCOUNT));
  }

  /** What identifies a stored wallet: its version and its encoded state. */
  private static List<Object> identity(StoredWallet stored) {
    return List.of(stored.version(), stored.state().encoded());
  }

  private boolean isRecorded(String key) {
    return store.findRecord(ACCOUNT, IdempotencyKey.of(key)).isPresent();
  }

  List<LedgerEntry> ledger() {
    List<LedgerEntry> entries = new ArrayList<>();
    try (Stream<LedgerEntry> read = gate.ledger(ACCOUNT, Instant.MIN, Instant.MAX)) {
      read.forEachOrdered(entries::add);
    }
    return entries;
  }

  /** Runs {@code call} with {@code key} against the gate and checks it did what the model says. */
  void perform(GateCall call, String key) {
    String what = call + " with key " + key + " at " + now;
    List<Object> before = identity(stored());
    List<LedgerEntry> ledgerBefore = ledger();
    boolean wasRecorded = isRecorded(key);
    assertEquals(model.recorded().containsKey(key), wasRecorded, "key recorded? " + what);
    roll();
    long balanceRolled = model.balance();
    long heldRolled = model.held();
    int eventsBefore = events.size();

    Expectation expect = model.expect(call, key, now);
    Statistics.label(GateChains.STATISTICS)
        .collect(call.getClass().getSimpleName() + " -> " + expect.getClass().getSimpleName());
    Object result = null;
    CreditGateException thrown = null;
    try {
      result = call.invoke(gate, ACCOUNT, IdempotencyKey.of(key), now);
    } catch (CreditGateException e) {
      thrown = e;
    }

    if (expect instanceof Expectation.Done done) {
      if (thrown != null) {
        throw new AssertionError("expected " + what + " to succeed, but it threw " + thrown, thrown);
      }
      done.verify(result);
      firstResults.put(key, result);
      denied.remove(key);
      if (call instanceof GateCall.Reserve r) {
        holdOps.put(key, r.operation());
        holdExpiries.put(key, now.plus(HOLD_TIME_TO_LIVE));
      }
      if (call instanceof GateCall.GrantPromotion g) {
        promotions.put("promo:" + key, g);
      }
      committed = model.copy();
      committedAt = now;
      assertTrue(isRecorded(key), "key not recorded: " + what);
      List<LedgerEntry> added = appendedTo(ledgerBefore);
      long balanceDelta = 0;
      long heldDelta = 0;
      for (LedgerEntry e : added) {
        assertTrue(e.key().equals(key) || e.key().isEmpty(), "entry " + e + " of " + what + " names another key");
        if (e.key().equals(key)) {
          if (LedgerSums.isHoldKind(e.kind())) {
            heldDelta += e.amount().thousandths();
          } else {
            balanceDelta += e.amount().thousandths();
          }
        }
      }
      assertEquals(model.balance() - balanceRolled, balanceDelta, "ledger entries of " + what + " change the balance by");
      assertEquals(model.held() - heldRolled, heldDelta, "ledger entries of " + what + " change the held credits by");
      List<WalletEvent> published = events.events().subList(eventsBefore, events.size());
      for (WalletEvent e : published) {
        assertEquals(ACCOUNT, e.account(), "event " + e + " of " + what + " names another account");
      }
      if (call instanceof GateCall.TopUp || call instanceof GateCall.CustomTopUp) {
        long credits = call instanceof GateCall.TopUp t ? GateModel.packCredits(t.pack())
            : GateModel.customPackCredits(((GateCall.CustomTopUp) call).cents());
        assertTrue(published.contains(new WalletEvent.CreditsGranted(ACCOUNT, now, "pack:" + key,
            Credits.ofThousandths(credits))), "no CreditsGranted event for " + what + ": " + published);
      }
      if (call instanceof GateCall.GrantPromotion g) {
        assertTrue(published.contains(new WalletEvent.PromotionGranted(ACCOUNT, now, "promo:" + key,
            Credits.ofThousandths(g.thousandths()), g.expiresAt(), GateCall.GrantPromotion.REASON,
            g.scope().isEmpty() ? List.of() : List.of(Operation.of(g.scope())), g.priority())),
            "no PromotionGranted event for " + what + ": " + published);
      }
      return;
    }

    // Everything else writes nothing: not the wallet, not the ledger, not the key.
    if (expect instanceof Expectation.Replay) {
      if (thrown != null) {
        throw new AssertionError("expected the repeated " + what + " to return its first result, but it threw "
            + thrown, thrown);
      }
      assertEquals(firstResults.get(key), result, "a repeated key must return the first result: " + what);
    } else if (expect instanceof Expectation.Conflict) {
      assertInstanceOf(IdempotencyConflictException.class, thrown, "conflicting key: " + what + " returned " + result);
    } else if (expect instanceof Expectation.Fails f) {
      assertInstanceOf(f.type(), thrown, what + " returned " + result);
    } else if (expect instanceof Expectation.Denied d) {
      if (thrown != null) {
        throw new AssertionError("expected " + what + " to be denied, but it threw " + thrown, thrown);
      }
      Decision.Denied decision = assertInstanceOf(Decision.Denied.class, result, what);
      assertEquals(List.of(d.cost(), d.availableBefore(), d.cost() - d.availableBefore()),
          List.of(decision.cost().thousandths(), decision.balanceBefore().thousandths(),
              decision.shortfall().thousandths()), "denied: cost, available, shortfall of " + what);
      denied.put(key, call);
    }
    assertEquals(before, identity(stored()), "the stored wallet (version, state) changed after " + what);
    assertEquals(ledgerBefore, ledger(), "the ledger changed after " + what);
    assertEquals(wasRecorded, isRecorded(key), "the key's record changed after " + what);
    assertEquals(eventsBefore, events.size(), "events published by " + what + ", which changed nothing: "
        + events.events().subList(eventsBefore, events.size()));
  }

  /** The expiry sweep at {@code now + seconds}: it must commit exactly when a stored hold is due. */
  void sweep(long seconds) {
    advanceTo(now.plusSeconds(seconds));
    List<Object> before = identity(stored());
    List<LedgerEntry> ledgerBefore = ledger();
    boolean due = committed.holds().values().stream().anyMatch(h -> !h.expiresAt().isAfter(now));
    int changed = gate.expireHolds(now);
    Statistics.label(GateChains.STATISTICS).collect("sweep changed " + changed);
    roll();
    assertEquals(due ? 1 : 0, changed, "wallets the sweep changed at " + now);
    if (due) {
      committed = model.copy();
      committedAt = now;
      for (LedgerEntry e : appendedTo(ledgerBefore)) {
        assertEquals("", e.key(), "the sweep's entries name no key: " + e);
      }
    } else {
      assertEquals(before, identity(stored()), "a sweep with nothing due changed the wallet");
    }
    // No stored hold is expired: not in the store's hold index, not in the ledger's open holds.
    assertFalse(store.accountsWithHoldsExpiredBy(now, 10).contains(ACCOUNT),
        "the store still lists an expired hold of " + ACCOUNT + " after the sweep at " + now);
    LedgerSums.heldByHold(ledger()).forEach((hold, amount) -> {
      Instant expiry = holdExpiries.get(hold);
      assertTrue(expiry != null && expiry.isAfter(now),
          "the sweep at " + now + " left hold " + hold + " (" + amount + " thousandths, expiring " + expiry + ")");
    });
  }

  /** The entries appended since {@code before}, checking that {@code before} is still a prefix. */
  private List<LedgerEntry> appendedTo(List<LedgerEntry> before) {
    List<LedgerEntry> after = ledger();
    assertTrue(after.size() >= before.size(), "the ledger shrank");
    assertEquals(before, after.subList(0, before.size()), "the ledger is append-only");
    return after.subList(before.size(), after.size());
  }

  // Invariants, checked after every step (see WalletInvariants) --------------------------------

  /**
   * No two auto top-up requests are ever open at once: the requests published are exactly the
   * model's, in order, at most one of them is neither confirmed nor declined, and the status shows
   * an open request exactly then.
   */
  public void noTwoOpenAutoTopUpRequests() {
    ModelAutoTopUp auto = model.autoTopUp();
    java.util.Set<String> requested = new java.util.LinkedHashSet<>();
    for (WalletEvent.AutoTopUpRequested r : events.events(WalletEvent.AutoTopUpRequested.class)) {
      requested.add(r.request());
    }
    List<String> made = auto.madeNumbers.stream().map(auto::requestId).toList();
    assertEquals(made, List.copyOf(requested), "the auto top-up requests published are the model's, in order");
    int open = requested.size() - auto.closedNumbers.size();
    assertTrue(open == 0 || open == 1, open + " auto top-up requests open: " + requested + ", closed "
        + auto.closedNumbers);
    roll();
    assertEquals(open == 1, gate().status(ACCOUNT, now).autoTopUp().flatMap(a -> a.open()).isPresent(),
        "an open request in the status exactly when one is open");
    if (!requested.isEmpty()) {
      Statistics.label(GateChains.STATISTICS).collect("auto top-up requested");
    }
  }

  /**
   * The auto top-up's monthly limit is never exceeded: the billing period's requests (declined ones
   * not counted) and what they cost stay within the limits of the rule in force when the latest of
   * them was made; every request costs the Small pack's price.
   */
  public void autoTopUpMonthlyLimitNeverExceeded() {
    ModelAutoTopUp auto = model.autoTopUp();
    for (WalletEvent.AutoTopUpRequested r : events.events(WalletEvent.AutoTopUpRequested.class)) {
      assertEquals(List.of("small", Money.usd("10")), List.of(r.pack(), r.price()), "request " + r);
    }
    if (auto.ruleAtLastRequest == null) {
      return;
    }
    roll();
    dev.creditgate.AutoTopUpStatus status = gate().status(ACCOUNT, now).autoTopUp().orElseThrow();
    assertTrue(status.requestsThisPeriod() <= auto.ruleAtLastRequest.count, "requests this period "
        + status.requestsThisPeriod() + " beyond " + auto.ruleAtLastRequest.count);
    assertTrue(status.requestedThisPeriod().map(m -> m.minorUnits()).orElse(0L) <= auto.ruleAtLastRequest.cents,
        "requested this period " + status.requestedThisPeriod() + " beyond " + auto.ruleAtLastRequest.cents
            + " cents");
  }

  /**
   * The gate's status now equals the model's: plan, renewal plan, balance, subscription, packs (in
   * total and lot by lot, oldest first), held, debt, available and next renewal, to the thousandth.
   */
  public void statusEqualsModel() {
    WalletInvariants.statusEqualsModel(this);
  }

  /**
   * Conservation: the ledger sums, grant by grant and hold by hold, to the wallet as of the last
   * commit (the model's), and so does the stored wallet: as the gate's replay reads it (in total
   * and grant by grant) and as its status at the instant of that commit shows it.
   */
  public void ledgerSumsToStoredBalances() {
    WalletInvariants.ledgerSumsToStoredBalances(this);
  }

  /**
   * The runway and the advice agree with the model: the forecast's available credits and renewal
   * are the model's, a projection spent no more than was charged, needs credits exactly when it
   * runs out before the renewal and never runs out in the past; the advice rests on that forecast,
   * an upgrade starts from the plan in force and looks at the period in force up to now, and a
   * pack advised covers the gap.
   */
  public void forecastAndAdviceAgreeWithTheModel() {
    WalletInvariants.forecastAndAdviceAgreeWithTheModel(this);
  }

  /**
   * A promotion is never spent after its expiry or outside its scope: every ledger entry that
   * takes from a promotional grant for an operation (a debit or a capture) is dated before its
   * expiry and, for a scoped grant, names its operation; and what its entries sum to (granted, less
   * spent, expired and revoked) is never negative.
   */
  public void promotionsNeverSpentAfterExpiryOrOutsideScope() {
    Map<String, Long> sums = new HashMap<>();
    for (LedgerEntry e : ledger()) {
      GateCall.GrantPromotion terms = promotions.get(e.grant());
      if (terms == null) {
        continue;
      }
      sums.merge(e.grant(), e.amount().thousandths(), Long::sum);
      if (e.kind() == LedgerEntry.Kind.DEBIT || e.kind() == LedgerEntry.Kind.CAPTURE) {
        assertTrue(e.at().isBefore(terms.expiresAt()), "spent after its expiry " + terms.expiresAt() + ": " + e);
        assertTrue(terms.scope().isEmpty() || terms.scope().equals(e.operation()),
            "spent outside its scope " + terms.scope() + ": " + e);
      }
      if (e.kind() == LedgerEntry.Kind.EXPIRY) {
        assertEquals(terms.expiresAt(), e.at(), "a promotion expires at its time: " + e);
      }
    }
    sums.forEach((grant, sum) -> assertTrue(sum >= 0, grant + " sums to " + sum + " thousandths"));
  }

  /**
   * A reversal never leaves free credits: for every reversed pack, the ledger's entries of its
   * reversal take back all that the pack granted but what was refunded of it (what remained, and
   * what was spent of it as debt), its grant entry is what it granted, and its refunds what the
   * model refunded; so what was spent from it is owed or was repaid from other credits.
   */
  public void reversalsNeverLeaveFreeCredits() {
    Map<String, String> reversalKeys = new HashMap<>();
    model.recorded().forEach((k, c) -> {
      if (c instanceof GateCall.ReversePack r) {
        reversalKeys.put("pack:" + r.payment(), k);
      }
    });
    assertEquals(model.reversedOwed().keySet(), reversalKeys.keySet(), "the reversed packs");
    List<LedgerEntry> ledger = ledger();
    reversalKeys.forEach((grant, key) -> {
      long granted = model.packGranted().get(grant);
      long refunded = model.packRefunded().getOrDefault(grant, 0L);
      long taken = ledger.stream().filter(e -> e.kind() == LedgerEntry.Kind.REVERSAL && e.key().equals(key))
          .mapToLong(e -> e.amount().thousandths()).sum();
      assertEquals(-(granted - refunded), taken, "the reversal of " + grant + " takes back all it gave");
      assertEquals(granted, ledger.stream().filter(e -> e.kind() == LedgerEntry.Kind.GRANT && e.grant().equals(grant))
          .mapToLong(e -> e.amount().thousandths()).sum(), "what " + grant + " granted");
      assertEquals(-refunded, ledger.stream().filter(e -> e.kind() == LedgerEntry.Kind.REFUND
          && e.grant().equals(grant)).mapToLong(e -> e.amount().thousandths()).sum(), "what " + grant + " refunded");
    });
  }

  /**
   * Holds are never spent twice: held is the sum of the open holds, available never below minus
   * the debt, and a wallet without overdraft in debt only for what reversals owe.
   */
  public void heldCreditsNeverSpentTwice() {
    WalletInvariants.heldCreditsNeverSpentTwice(this);
  }

  /**
   * The wallet's own invariants, both as stored (its status at the last commit) and as it stands
   * now: no negative subscription credits or debt, every pack lot's remaining credits in
   * {@code (0, granted]}, no debt left unpaid beside spendable credits, every open hold positive,
   * and the parts add up (balance = subscription + packs - debt, packs = the lots' sum,
   * available = balance - held).
   */
  public void walletKeepsItsInvariants() {
    WalletInvariants.walletKeepsItsInvariants(this);
  }

  @Override
  public String toString() {
    return "at " + now + ": " + model;
  }
}
