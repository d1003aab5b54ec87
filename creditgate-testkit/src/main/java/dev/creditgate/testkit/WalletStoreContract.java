package dev.creditgate.testkit;

import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.Mutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.TopUp;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.Hold;
import dev.creditgate.IdempotencyConflictException;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.Member;
import dev.creditgate.model.Operation;
import dev.creditgate.Transition;
import dev.creditgate.UnknownAccountException;
import dev.creditgate.Wallet;
import dev.creditgate.WalletRules;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every behaviour of the {@link WalletStore} port, written once: each store's test subclasses it
 * and hands over a fresh, empty store. Conflicts are produced for real (two commits from one
 * version, threads racing), never simulated.
 */
public abstract class WalletStoreContract {

  protected static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  protected static final Instant T0 = Instant.parse("2026-03-02T08:00:00.123456789Z");
  protected static final WalletRules RULES = WalletRules.defaults();

  /** A fresh store with no wallets; called once per test. */
  protected abstract WalletStore store();

  private WalletStore store;

  protected WalletStore s() {
    if (store == null) {
      store = store();
    }
    return store;
  }

  // --------------------------------------------------------------------------------- helpers

  protected static Transition opened(AccountId account, Instant at) {
    return Wallet.open(account, Catalog.defaults().startingPlan(), ZONE, at);
  }

  protected StoredWallet open(AccountId account) {
    Transition t = opened(account, T0);
    assertTrue(s().commit(new Commit(account, 0, t.wallet(), t.entries(), List.of())));
    return s().load(account).orElseThrow();
  }

  protected static IdempotencyRecord record(String key, String request, Instant at) {
    return new IdempotencyRecord(IdempotencyKey.of(key), request, "result of " + request, at);
  }

  /** The commit of a top-up of {@code credits} on {@code stored}, recorded under {@code key}. */
  protected static Commit topUp(StoredWallet stored, String key, long credits, Instant at) {
    Transition t = stored.wallet().topUp("pack:" + key, "small", Credits.of(credits), key, at, RULES);
    return new Commit(stored.wallet().account(), stored.version(), t.wallet(), t.entries(),
        List.of(record(key, "top-up " + credits, at)));
  }

  protected List<LedgerEntry> ledger(AccountId account) {
    return ledger(account, Instant.EPOCH, Instant.parse("3000-01-01T00:00:00Z"));
  }

  protected List<LedgerEntry> ledger(AccountId account, Instant from, Instant to) {
    List<LedgerEntry> entries = new ArrayList<>();
    s().readLedger(account, from, to, entries::add);
    return entries;
  }

  /** Conservation: the ledger sums to the stored balance and held total. */
  protected void assertLedgerMatchesWallet(AccountId account) {
    Wallet wallet = s().load(account).orElseThrow().wallet();
    Credits balance = Credits.ZERO;
    Credits held = Credits.ZERO;
    for (LedgerEntry e : ledger(account)) {
      if (e.kind().affectsBalance()) {
        balance = balance.plus(e.amount());
      } else {
        held = held.plus(e.amount());
      }
    }
    assertEquals(wallet.balance(), balance, "ledger balance of " + account);
    assertEquals(wallet.held(), held, "ledger held total of " + account);
    assertEquals(List.of(), wallet.invariantViolations());
  }

  // ------------------------------------------------------------------------- load and commit

  @Test
  void nothingIsStoredForAnUnknownAccount() {
    AccountId nobody = AccountId.of("nobody");
    assertEquals(Optional.empty(), s().load(nobody));
    assertEquals(Optional.empty(), s().findRecord(nobody, IdempotencyKey.of("k")));
    assertEquals(List.of(), ledger(nobody));
  }

  @Test
  void openingAWalletStoresItAtVersionOneWithItsLedger() {
    AccountId alice = AccountId.of("alice");
    Transition t = opened(alice, T0);
    assertTrue(s().commit(new Commit(alice, 0, t.wallet(), t.entries(), List.of())));

    StoredWallet stored = s().load(alice).orElseThrow();
    assertEquals(1, stored.version());
    assertEquals(t.wallet(), stored.wallet());
    assertEquals(t.entries(), ledger(alice));
    assertLedgerMatchesWallet(alice);
  }

  @Test
  void openingTwiceLosesTheSecondTimeAndWritesNothing() {
    AccountId alice = AccountId.of("alice");
    StoredWallet first = open(alice);
    Transition again = opened(alice, T0.plusSeconds(60));

    assertFalse(s().commit(new Commit(alice, 0, again.wallet(), again.entries(), List.of())));
    assertEquals(first, s().load(alice).orElseThrow());
    assertEquals(1, ledger(alice).size());
  }

  @Test
  void aCommitBumpsTheVersionAndStoresWalletEntriesAndRecordTogether() {
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(alice);
    Commit commit = topUp(v1, "pay-1", 100, T0.plusSeconds(1));

    assertTrue(s().commit(commit));

    StoredWallet v2 = s().load(alice).orElseThrow();
    assertEquals(2, v2.version());
    assertEquals(commit.wallet(), v2.wallet());
    List<LedgerEntry> all = ledger(alice);
    assertEquals(commit.entries(), all.subList(1, all.size()));
    assertEquals(Optional.of(commit.records().get(0)), s().findRecord(alice, IdempotencyKey.of("pay-1")));
    assertLedgerMatchesWallet(alice);
  }

  @Test
  void ofTwoCommitsFromTheSameVersionOnlyTheFirstLands() {
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(alice);
    Commit first = topUp(v1, "pay-1", 100, T0.plusSeconds(1));
    Commit second = topUp(v1, "pay-2", 250, T0.plusSeconds(2));

    assertTrue(s().commit(first));
    assertFalse(s().commit(second));

    assertEquals(first.wallet(), s().load(alice).orElseThrow().wallet());
    assertEquals(Optional.empty(), s().findRecord(alice, IdempotencyKey.of("pay-2")));
    assertEquals(1 + first.entries().size(), ledger(alice).size());
    assertLedgerMatchesWallet(alice);
  }

  @Test
  void aCommitFromAFutureVersionOrToAMissingWalletLoses() {
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(alice);
    Commit ahead = topUp(new StoredWallet(v1.wallet(), 7), "pay-1", 100, T0);
    assertFalse(s().commit(ahead));
    assertEquals(v1, s().load(alice).orElseThrow());

    AccountId bob = AccountId.of("bob");
    Transition t = opened(bob, T0);
    assertFalse(s().commit(new Commit(bob, 1, t.wallet(), t.entries(), List.of())));
    assertEquals(Optional.empty(), s().load(bob));
    assertEquals(List.of(), ledger(bob));
  }

  @Test
  void aCommitWhoseKeyIsAlreadyStoredLosesAndWritesNothing() {
    AccountId alice = AccountId.of("alice");
    assertTrue(s().commit(topUp(open(alice), "pay-1", 100, T0.plusSeconds(1))));
    StoredWallet v2 = s().load(alice).orElseThrow();
    List<LedgerEntry> before = ledger(alice);
    IdempotencyRecord original = s().findRecord(alice, IdempotencyKey.of("pay-1")).orElseThrow();

    // Same key, current version: a key is applied once, whatever the version says.
    Transition t = v2.wallet().topUp("pack:again", "small", Credits.of(5), "pay-1", T0.plusSeconds(2), RULES);
    Commit reused = new Commit(alice, v2.version(), t.wallet(), t.entries(),
        List.of(record("fresh", "other", T0), record("pay-1", "top-up 5", T0.plusSeconds(2))));

    assertFalse(s().commit(reused));
    assertEquals(v2, s().load(alice).orElseThrow());
    assertEquals(before, ledger(alice));
    assertEquals(Optional.of(original), s().findRecord(alice, IdempotencyKey.of("pay-1")));
    assertEquals(Optional.empty(), s().findRecord(alice, IdempotencyKey.of("fresh")));
  }

  @Test
  void keysAreScopedToTheirAccount() {
    AccountId alice = AccountId.of("alice");
    AccountId bob = AccountId.of("bob");
    assertTrue(s().commit(topUp(open(alice), "pay-1", 100, T0)));
    assertTrue(s().commit(topUp(open(bob), "pay-1", 250, T0)));
    assertEquals("top-up 100", s().findRecord(alice, IdempotencyKey.of("pay-1")).orElseThrow().request());
    assertEquals("top-up 250", s().findRecord(bob, IdempotencyKey.of("pay-1")).orElseThrow().request());
  }

  @Test
  void recordsAreKeptVerbatim() {
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(alice);
    IdempotencyRecord odd = new IdempotencyRecord(IdempotencyKey.of("ключ:1\n\"x\""),
        "charge ai-chat-message x1 ✓ 'quoted'; DROP TABLE --", "5:hello3:a:b\t?\r\n",
        Instant.parse("2026-03-02T08:00:00.000000001Z"));
    Transition t = v1.wallet().topUp("pack:odd", "small", Credits.parse("0.001"), "ключ", T0, RULES);
    assertTrue(s().commit(new Commit(alice, 1, t.wallet(), t.entries(), List.of(odd))));
    assertEquals(Optional.of(odd), s().findRecord(alice, odd.key()));
  }

  @Test
  void racingCommitsFromOneVersionHaveExactlyOneWinner() throws Exception {
    AccountId alice = AccountId.of("alice");
    open(alice);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 5; round++) {
        StoredWallet current = s().load(alice).orElseThrow();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          Commit commit = topUp(current, "r" + round + "-t" + i, 1 + i, T0.plusSeconds(round));
          results.add(pool.submit(() -> {
            start.await();
            return s().commit(commit);
          }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> f : results) {
          winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertEquals(1, winners, "round " + round);
        assertEquals(current.version() + 1, s().load(alice).orElseThrow().version());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1 + 5, ledger(alice).size());
    assertLedgerMatchesWallet(alice);
  }

  @Test
  void aRichWalletReadsBackEqual() {
    AccountId alice = AccountId.of("team:alice/ä ✓");
    StoredWallet v1 = open(alice);
    Instant at = T0.plusNanos(1);
    Wallet rich = v1.wallet()
        .topUp("pack:p1", "small", Credits.parse("100.125"), "p1", at, RULES).wallet()
        .topUp("pack:p2", "custom", Credits.parse("7.5"), "p2", at.plusSeconds(1), RULES).wallet()
        .reserve("hold-1", Operation.GENERATE_IMAGE, Credits.of(2), Optional.empty(), at.plus(Duration.ofMinutes(10)),
            at, RULES)
        .wallet()
        .reserve("hold-2", Operation.AI_CHAT_MESSAGE, Credits.parse("0.333"), Optional.empty(),
            at.plus(Duration.ofMinutes(5)).plusNanos(7), at, RULES)
        .wallet();
    assertEquals(2, rich.packs().size());
    assertEquals(2, rich.holds().size());
    Wallet withDebt = new Wallet(rich.account(), "team", "free", rich.schedule(), 3, Credits.ZERO, List.of(),
        List.of(new Hold("hold-3", Operation.GENERATE_IMAGE, Credits.of(4), at, at.plusSeconds(60),
            Optional.of(AccountId.of("bob")))),
        Credits.parse("1.5"), Credits.parse("150.25"), 0b11,
        Map.of("img-1", Credits.of(2), "img-2", Credits.parse("0.5")),
        List.of(new Member(AccountId.of("bob"), at, Optional.of(Credits.of(50)), Credits.parse("12.5"),
                Map.of("generate-image", Credits.of(10), "ai-chat-message", Credits.parse("2.5"))),
            new Member(AccountId.of("carol"), at.plusSeconds(9), Optional.empty(), Credits.ZERO, Map.of())));
    for (Wallet w : List.of(rich, withDebt)) {
      StoredWallet current = s().load(alice).orElseThrow();
      assertTrue(s().commit(new Commit(alice, current.version(), w, List.of(), List.of())));
      assertEquals(w, s().load(alice).orElseThrow().wallet());
    }
  }

  // -------------------------------------------------------------------------------- ledger

  @Test
  void theLedgerReadsBackInCommitOrderWithinATimeRange() {
    AccountId alice = AccountId.of("alice");
    StoredWallet current = open(alice);
    // Commit order differs from time order: the ledger keeps commit order.
    Instant[] times = {T0.plusSeconds(30), T0.plusSeconds(10), T0.plusSeconds(20).plusNanos(1)};
    for (int i = 0; i < times.length; i++) {
      assertTrue(s().commit(topUp(current, "pay-" + i, 10 + i, times[i])));
      current = s().load(alice).orElseThrow();
    }
    List<LedgerEntry> all = ledger(alice);
    assertEquals(List.of(T0, times[0], times[1], times[2]), all.stream().map(LedgerEntry::at).toList());

    // from is inclusive, to exclusive, to the nanosecond; commit order within the range.
    assertEquals(List.of(times[0], times[1], times[2]),
        ledger(alice, times[1], times[0].plusNanos(1)).stream().map(LedgerEntry::at).toList());
    assertEquals(List.of(times[1], times[2]),
        ledger(alice, times[1], times[0]).stream().map(LedgerEntry::at).toList());
    assertEquals(List.of(times[2]),
        ledger(alice, times[2], times[2].plusNanos(1)).stream().map(LedgerEntry::at).toList());
    assertEquals(List.of(), ledger(alice, times[2].plusNanos(1), times[0]));
    assertEquals(List.of(times[0]),
        ledger(alice, times[2].plusNanos(1), Instant.MAX).stream().map(LedgerEntry::at).toList());
    assertEquals(List.of(T0), ledger(alice, Instant.MIN, T0.plusNanos(1)).stream().map(LedgerEntry::at).toList());
    assertEquals(List.of(), ledger(alice, times[0], times[0]));
  }

  @Test
  void theLedgerStreamsLongHistoriesAndStopsWhenTheConsumerThrows() {
    AccountId alice = AccountId.of("alice");
    StoredWallet current = open(alice);
    int commits = 300;
    for (int i = 0; i < commits; i++) {
      Transition t = current.wallet().topUp("pack:" + i, "small", Credits.of(1), "k" + i, T0.plusMillis(i), RULES);
      assertTrue(s().commit(new Commit(alice, current.version(), t.wallet(), t.entries(), List.of())));
      current = new StoredWallet(t.wallet(), current.version() + 1);
    }
    AtomicInteger seen = new AtomicInteger();
    List<Instant> order = new ArrayList<>();
    s().readLedger(alice, Instant.EPOCH, Instant.MAX, e -> {
      seen.incrementAndGet();
      order.add(e.at());
    });
    assertEquals(commits + 1, seen.get());
    assertEquals(order.stream().sorted().toList(), order);

    AtomicInteger before = new AtomicInteger();
    IllegalStateException stop = assertThrows(IllegalStateException.class,
        () -> s().readLedger(alice, Instant.EPOCH, Instant.MAX, e -> {
          if (before.incrementAndGet() == 10) {
            throw new IllegalStateException("enough");
          }
        }));
    assertEquals("enough", stop.getMessage());
    assertEquals(10, before.get());
    // The store is still usable (no connection or lock left behind).
    assertTrue(s().commit(topUp(current, "after", 1, T0)));
    assertLedgerMatchesWallet(alice);
  }

  // ----------------------------------------------------------------------------------- holds

  @Test
  void accountsWithExpiredHoldsAreFoundToTheNanosecond() {
    Instant expiry = T0.plus(Duration.ofMinutes(10)).plusNanos(500);
    AccountId early = AccountId.of("early");
    AccountId exact = AccountId.of("exact");
    AccountId late = AccountId.of("late");
    AccountId none = AccountId.of("none");
    holdUntil(early, expiry.minusSeconds(60));
    holdUntil(exact, expiry);
    holdUntil(late, expiry.plusNanos(1));
    open(none);

    assertEquals(Set.of(), Set.copyOf(s().accountsWithHoldsExpiredBy(expiry.minusSeconds(61), 10)));
    assertEquals(Set.of(early, exact), Set.copyOf(s().accountsWithHoldsExpiredBy(expiry, 10)));
    assertEquals(Set.of(early, exact, late), Set.copyOf(s().accountsWithHoldsExpiredBy(expiry.plusNanos(1), 10)));
    assertEquals(2, s().accountsWithHoldsExpiredBy(expiry.plusSeconds(1), 2).size());

    // Closing the hold takes the account off the list.
    StoredWallet stored = s().load(early).orElseThrow();
    Transition released = stored.wallet().release("h", "rel", T0.plusSeconds(1));
    assertTrue(s().commit(new Commit(early, stored.version(), released.wallet(), released.entries(), List.of())));
    assertEquals(Set.of(exact), Set.copyOf(s().accountsWithHoldsExpiredBy(expiry, 10)));
  }

  private void holdUntil(AccountId account, Instant expiresAt) {
    StoredWallet stored = open(account);
    Transition t = stored.wallet().reserve("h", Operation.GENERATE_IMAGE, Credits.of(2), Optional.empty(), expiresAt,
        T0, RULES);
    assertTrue(s().commit(new Commit(account, stored.version(), t.wallet(), t.entries(), List.of())));
  }

  // ---------------------------------------------------------------------------------- mutate

  @Test
  void mutateOfAnUnknownAccountThrowsAndCreatesNothing() {
    AccountId ghost = AccountId.of("ghost");
    assertThrows(UnknownAccountException.class, () -> s().mutate(ghost, IdempotencyKey.of("k"),
        (w, r) -> Mutation.Outcome.answer("never")));
    assertEquals(Optional.empty(), s().load(ghost));
  }

  @Test
  void mutateHandsTheDecisionTheStoredWalletAndTheKeysRecord() {
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(alice);
    String first = s().mutate(alice, IdempotencyKey.of("pay-1"), (stored, recorded) -> {
      assertEquals(v1, stored);
      assertEquals(Optional.empty(), recorded);
      return Mutation.Outcome.commit("granted", topUp(stored, "pay-1", 100, T0));
    });
    assertEquals("granted", first);
    String again = s().mutate(alice, IdempotencyKey.of("pay-1"), (stored, recorded) -> {
      assertEquals(2, stored.version());
      return Mutation.Outcome.answer(recorded.orElseThrow().result());
    });
    assertEquals("result of top-up 100", again);
    assertEquals(2, s().load(alice).orElseThrow().version());
  }

  @Test
  void aMutationThatThrowsWritesNothing() {
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(alice);
    assertThrows(IllegalStateException.class, () -> s().mutate(alice, IdempotencyKey.of("k"), (stored, r) -> {
      throw new IllegalStateException("decided to fail");
    }));
    assertEquals(v1, s().load(alice).orElseThrow());
    assertEquals(Optional.empty(), s().findRecord(alice, IdempotencyKey.of("k")));
  }

  @Test
  void concurrentMutationsDecideAgainAndLoseNothing() throws Exception {
    AccountId alice = AccountId.of("alice");
    open(alice);
    int threads = 8;
    int each = 15;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Callable<Void>> work = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      work.add(() -> {
        for (int i = 0; i < each; i++) {
          String key = "t" + thread + "-" + i;
          s().mutate(alice, IdempotencyKey.of(key), (stored, recorded) ->
              Mutation.Outcome.commit("ok", topUp(stored, key, 1, T0)));
        }
        return null;
      });
    }
    try {
      for (Future<Void> f : pool.invokeAll(work, 60, TimeUnit.SECONDS)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    StoredWallet end = s().load(alice).orElseThrow();
    assertEquals(1 + threads * each, end.version());
    assertEquals(Credits.of(30 + threads * each), end.wallet().balance());
    assertLedgerMatchesWallet(alice);
  }

  @Test
  void racingMutationsWithOneKeyApplyItOnce() throws Exception {
    AccountId alice = AccountId.of("alice");
    open(alice);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> answers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String mine = "thread " + t;
      answers.add(pool.submit(() -> {
        start.await();
        return s().mutate(alice, IdempotencyKey.of("pay-1"), (stored, recorded) -> recorded.isPresent()
            ? Mutation.Outcome.answer(recorded.get().result())
            : Mutation.Outcome.commit(mine, topUp(stored, "pay-1", 100, T0)));
      }));
    }
    start.countDown();
    int firsts = 0;
    int replays = 0;
    try {
      for (Future<String> f : answers) {
        String answer = f.get(30, TimeUnit.SECONDS);
        firsts += answer.startsWith("thread ") ? 1 : 0;
        replays += answer.equals("result of top-up 100") ? 1 : 0;
      }
    } finally {
      pool.shutdownNow();
    }
    StoredWallet end = s().load(alice).orElseThrow();
    assertEquals(2, end.version(), "the key was applied more than once");
    assertEquals(Credits.of(130), end.wallet().balance());
    assertEquals(1, firsts);
    assertEquals(threads - 1, replays);
    assertLedgerMatchesWallet(alice);
  }

  // ------------------------------------------------------------------------ through the gate

  protected CreditGate gate() {
    return CreditGate.builder(s()).build();
  }

  @Test
  void theGateChargesTopsUpAndReplaysKeysExactlyOnce() {
    CreditGate gate = gate();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    Instant at = T0.plusSeconds(60);

    Decision charged = gate.charge(maya, Operation.GENERATE_IMAGE, 3, IdempotencyKey.of("img-1"), at);
    assertTrue(charged.isAllowed());
    assertEquals(Credits.of(24), charged.balanceAfter());
    assertEquals(charged, gate.charge(maya, Operation.GENERATE_IMAGE, 3, IdempotencyKey.of("img-1"), at.plusSeconds(5)));
    assertEquals(Credits.of(24), gate.status(maya, at).available());

    assertThrows(IdempotencyConflictException.class,
        () -> gate.charge(maya, Operation.GENERATE_IMAGE, 4, IdempotencyKey.of("img-1"), at));
    assertEquals(Credits.of(24), gate.status(maya, at).available());

    Decision denied = gate.charge(maya, Operation.GENERATE_IMAGE, 13, IdempotencyKey.of("img-2"), at);
    assertFalse(denied.isAllowed());
    assertEquals(Optional.empty(), s().findRecord(maya, IdempotencyKey.of("img-2")));

    TopUp topUp = gate.topUp(maya, "small", IdempotencyKey.of("pay-1"), at);
    assertEquals(topUp, gate.topUp(maya, "small", IdempotencyKey.of("pay-1"), at.plusSeconds(1)));
    assertEquals(Credits.of(124), gate.status(maya, at).available());

    Decision retried = gate.charge(maya, Operation.GENERATE_IMAGE, 13, IdempotencyKey.of("img-2"), at);
    assertTrue(retried.isAllowed());
    assertEquals(Credits.of(98), gate.status(maya, at).available());

    Set<String> keys = new HashSet<>();
    for (LedgerEntry e : ledger(maya)) {
      keys.add(e.key());
    }
    assertEquals(Set.of("", "img-1", "pay-1", "img-2"), keys);
    assertLedgerMatchesWallet(maya);
  }

  @Test
  void theGateReservesCapturesAndSweepsExpiredHolds() {
    CreditGate gate = gate();
    AccountId maya = AccountId.of("maya");
    AccountId noah = AccountId.of("noah");
    gate.openWallet(maya, ZONE, T0);
    gate.openWallet(noah, ZONE, T0);
    assertTrue(gate.reserve(maya, Operation.GENERATE_IMAGE, 2, IdempotencyKey.of("gen-1"), T0).isAllowed());
    assertTrue(gate.reserve(noah, Operation.GENERATE_IMAGE, 5, IdempotencyKey.of("gen-2"), T0).isAllowed());
    assertEquals(Credits.of(26), gate.status(maya, T0).available());

    assertEquals(Credits.of(2), gate.capture(maya, IdempotencyKey.of("gen-1"), 1,
        dev.creditgate.model.Outcome.succeeded(), IdempotencyKey.of("cap-1"), T0.plusSeconds(5)).charged());
    assertEquals(Credits.of(28), gate.status(maya, T0.plusSeconds(5)).available());

    Instant later = T0.plus(CreditGateBuilder.DEFAULT_HOLD_TIME_TO_LIVE).plusSeconds(1);
    assertEquals(List.of(noah), s().accountsWithHoldsExpiredBy(later, 10));
    assertEquals(1, gate.expireHolds(later));
    assertEquals(List.of(), s().accountsWithHoldsExpiredBy(later, 10));
    assertEquals(Credits.of(30), gate.status(noah, later).available());
    assertLedgerMatchesWallet(maya);
    assertLedgerMatchesWallet(noah);
  }

  @Test
  void theGateReportsAnUnknownAccount() {
    CreditGate gate = gate();
    UnknownAccountException e = assertThrows(UnknownAccountException.class,
        () -> gate.charge(AccountId.of("ghost"), Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("k"), T0));
    assertInstanceOf(UnknownAccountException.class, e);
  }

  @Test
  void manyThreadsChargingOneWalletNeverOverspend() throws Exception {
    CreditGate gate = gate();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    gate.topUp(maya, "small", IdempotencyKey.of("pay-1"), T0); // 130 credits: room for 65 images
    int threads = 8;
    int each = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger allowed = new AtomicInteger();
    List<Callable<Void>> work = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      work.add(() -> {
        for (int i = 0; i < each; i++) {
          if (gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of(thread + "-" + i), T0).isAllowed()) {
            allowed.incrementAndGet();
          }
        }
        return null;
      });
    }
    try {
      for (Future<Void> f : pool.invokeAll(work, 60, TimeUnit.SECONDS)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(65, allowed.get());
    assertEquals(Credits.ZERO, gate.status(maya, T0).available());
    assertLedgerMatchesWallet(maya);
  }
}
