package dev.creditgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.CreditGateException;
import dev.creditgate.Decision;
import dev.creditgate.IdempotencyConflictException;
import dev.creditgate.LedgerReplay;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
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
import java.util.TreeMap;
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
  private GateModel committed = model.copy();
  /** When the last commit was made: the stored wallet is the one {@code status} shows then. */
  private Instant committedAt = START;
  private final Map<String, Object> firstResults = new HashMap<>();
  /** The keys of denied charges and reserves (not recorded), with their calls. */
  final Map<String, GateCall> denied = new LinkedHashMap<>();
  /** Every hold ever reserved (open or not), by id, with its operation. */
  final Map<String, String> holdOps = new LinkedHashMap<>();
  /** Every hold ever reserved, by id, with its expiry. */
  private final Map<String, Instant> holdExpiries = new HashMap<>();
  private int keys;

  /**
   * Opens {@link #ACCOUNT}'s wallet on {@code store}.
   *
   * @param store a new, empty store
   */
  InFlightWork(WalletStore store) {
    this.store = Objects.requireNonNull(store, "store");
    this.gate = CreditGate.builder(store).holdTimeToLive(HOLD_TIME_TO_LIVE).eventSink(events).build();
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
    Instant renewal = model.nextRenewal();
    if (!renewal.isAfter(now)) {
      boolean withHolds = model.holds().values().stream().anyMatch(h -> h.expiresAt().isAfter(renewal));
      boolean lower = GateModel.rank(model.renewalPlan()) < GateModel.rank(model.plan());
      Statistics.label(GateChains.STATISTICS).collect("renewal " + (withHolds ? "with" : "without") + " open holds, "
          + (lower ? "to a lower plan" : "same plan"));
    }
    model.rollForward(now);
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

  private List<LedgerEntry> ledger() {
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
      committed = model.copy();
      committedAt = now;
      assertTrue(isRecorded(key), "key not recorded: " + what);
      List<LedgerEntry> added = appendedTo(ledgerBefore);
      long balanceDelta = 0;
      long heldDelta = 0;
      for (LedgerEntry e : added) {
        assertTrue(e.key().equals(key) || e.key().isEmpty(), "entry " + e + " of " + what + " names another key");
        if (e.key().equals(key)) {
          if (isHoldKind(e.kind())) {
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
    heldByHold(ledger()).forEach((hold, amount) -> {
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

  private static boolean isHoldKind(LedgerEntry.Kind kind) {
    return kind == LedgerEntry.Kind.HOLD || kind == LedgerEntry.Kind.RELEASE;
  }

  /** The ledger's sum per grant of the balance entries (zero sums left out), by name. */
  private static Map<String, Long> balanceByGrant(List<LedgerEntry> ledger) {
    Map<String, Long> sums = new HashMap<>();
    for (LedgerEntry e : ledger) {
      if (!isHoldKind(e.kind())) {
        sums.merge(e.grant(), e.amount().thousandths(), Long::sum);
      }
    }
    return nonZero(sums);
  }

  /** The ledger's sum per hold of the hold and release entries (zero sums left out): the open holds. */
  private static Map<String, Long> heldByHold(List<LedgerEntry> ledger) {
    Map<String, Long> sums = new HashMap<>();
    for (LedgerEntry e : ledger) {
      if (isHoldKind(e.kind())) {
        sums.merge(e.grant(), e.amount().thousandths(), Long::sum);
      }
    }
    return nonZero(sums);
  }

  private static Map<String, Long> nonZero(Map<String, Long> sums) {
    Map<String, Long> result = new TreeMap<>();
    sums.forEach((k, v) -> {
      if (v != 0) {
        result.put(k, v);
      }
    });
    return result;
  }

  // Invariants, checked after every step --------------------------------------------------------

  /**
   * The gate's status now equals the model's: plan, renewal plan, balance, subscription, packs (in
   * total and lot by lot, oldest first), held, debt, available and next renewal, to the thousandth.
   */
  public void statusEqualsModel() {
    roll();
    WalletStatus s = gate.status(ACCOUNT, now);
    assertEquals(
        List.of(model.plan(), model.renewalPlan(), model.balance(), model.subscription(), model.packTotal(),
            model.held(), model.debt(), model.available(), model.nextRenewal()),
        List.of(s.plan(), s.renewalPlan(), s.balance().thousandths(), s.subscription().thousandths(),
            s.packs().thousandths(), s.held().thousandths(), s.debt().thousandths(), s.available().thousandths(),
            s.nextRenewal()),
        "status at " + now + ": plan, renewal plan, balance, subscription, packs, held, debt, available,"
            + " next renewal (thousandths)");
    assertEquals(new ArrayList<>(model.packs().entrySet()), lots(s), "status at " + now + ": pack lots, oldest first");
  }

  private static List<Map.Entry<String, Long>> lots(WalletStatus s) {
    List<Map.Entry<String, Long>> lots = new ArrayList<>();
    for (WalletStatus.PackLot lot : s.packLots()) {
      lots.add(Map.entry(lot.grant(), lot.remaining().thousandths()));
    }
    return lots;
  }

  /**
   * Conservation: the ledger sums, grant by grant and hold by hold, to the wallet as of the last
   * commit (the model's), and so does the stored wallet: as the gate's replay reads it (in total
   * and grant by grant) and as its status at the instant of that commit shows it.
   */
  public void ledgerSumsToStoredBalances() {
    List<LedgerEntry> ledger = ledger();
    Map<String, Long> expectedBalance = new HashMap<>(committed.packs());
    expectedBalance.put(LedgerEntry.SUBSCRIPTION, committed.subscription());
    expectedBalance.put(LedgerEntry.OVERDRAFT, -committed.debt());
    Map<String, Long> expectedHeld = new HashMap<>();
    committed.holds().forEach((id, h) -> expectedHeld.put(id, h.amount()));
    Map<String, Long> balanceByGrant = balanceByGrant(ledger);
    assertEquals(nonZero(expectedBalance), balanceByGrant, "ledger sum per grant vs the model's");
    assertEquals(nonZero(expectedHeld), heldByHold(ledger), "ledger sum per hold vs the model's");
    assertEquals(committed.balance(), balanceByGrant.values().stream().mapToLong(Long::longValue).sum(),
        "ledger balance sum");

    LedgerReplay replay = gate.replay(ACCOUNT);
    assertTrue(replay.isConsistent(), "replay: " + replay);
    assertEquals(List.of((long) ledger.size(), committed.balance(), committed.balance(), committed.held(),
            committed.held()),
        List.of(replay.entries(), replay.ledgerBalance().thousandths(), replay.walletBalance().thousandths(),
            replay.ledgerHeld().thousandths(), replay.walletHeld().thousandths()),
        "replay: entries, ledger balance, stored balance, ledger held, stored held");

    // A commit rolls the wallet forward to its instant first, so nothing is due then: the status at
    // that instant is the stored wallet itself.
    WalletStatus stored = gate.status(ACCOUNT, committedAt);
    assertEquals(List.of(committed.subscription(), committed.packTotal(), committed.held(), committed.debt()),
        List.of(stored.subscription().thousandths(), stored.packs().thousandths(), stored.held().thousandths(),
            stored.debt().thousandths()), "stored wallet (status at " + committedAt + "): subscription, packs, held,"
            + " debt");
    assertEquals(new ArrayList<>(committed.packs().entrySet()), lots(stored), "stored wallet: pack lots");
  }

  /**
   * Holds are never spent twice: held is the sum of the open holds, available never negative, and
   * a wallet without overdraft never in debt.
   */
  public void heldCreditsNeverSpentTwice() {
    roll();
    WalletStatus s = gate.status(ACCOUNT, now);
    assertEquals(model.held(), s.held().thousandths(), "held = the sum of the model's open holds");
    assertTrue(s.available().thousandths() >= 0,
        "available credits went negative: held credits are spent twice (" + s + ")");
    assertEquals(Credits.ZERO, s.debt(), "a wallet without overdraft fell into debt (" + s + ")");
  }

  /**
   * The wallet's own invariants, both as stored (its status at the last commit) and as it stands
   * now: no negative subscription credits or debt, every pack lot's remaining credits in
   * {@code (0, granted]}, no debt left unpaid beside spendable credits, every open hold positive,
   * and the parts add up (balance = subscription + packs - debt, packs = the lots' sum,
   * available = balance - held).
   */
  public void walletKeepsItsInvariants() {
    List<String> problems = new ArrayList<>();
    problems.addAll(violations("stored", gate.status(ACCOUNT, committedAt)));
    problems.addAll(violations("now", gate.status(ACCOUNT, now)));
    heldByHold(ledger()).forEach((hold, amount) -> {
      if (amount < 0) {
        problems.add("hold " + hold + " is not positive: " + amount);
      }
    });
    assertEquals(List.of(), problems);
  }

  private static List<String> violations(String which, WalletStatus s) {
    List<String> problems = new ArrayList<>();
    if (s.subscription().isNegative()) {
      problems.add(which + ": negative subscription credits " + s.subscription());
    }
    long lots = 0;
    for (WalletStatus.PackLot lot : s.packLots()) {
      lots += lot.remaining().thousandths();
      if (!lot.remaining().isPositive() || lot.remaining().compareTo(lot.granted()) > 0) {
        problems.add(which + ": grant " + lot.grant() + " remaining " + lot.remaining() + " outside (0, granted "
            + lot.granted() + "]");
      }
    }
    if (s.debt().isNegative()) {
      problems.add(which + ": negative debt " + s.debt());
    }
    if (s.debt().isPositive() && (s.subscription().isPositive() || !s.packLots().isEmpty())) {
      problems.add(which + ": debt " + s.debt() + " left unpaid beside spendable credits");
    }
    if (s.held().isNegative()) {
      problems.add(which + ": negative held credits " + s.held());
    }
    if (lots != s.packs().thousandths()) {
      problems.add(which + ": pack lots sum to " + lots + " thousandths, packs say " + s.packs());
    }
    if (!s.balance().equals(s.subscription().plus(s.packs()).minus(s.debt()))) {
      problems.add(which + ": balance " + s.balance() + " is not subscription + packs - debt");
    }
    if (!s.available().equals(s.balance().minus(s.held()))) {
      problems.add(which + ": available " + s.available() + " is not balance - held");
    }
    return problems;
  }

  @Override
  public String toString() {
    return "at " + now + ": " + model;
  }
}
