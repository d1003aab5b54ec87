package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.LedgerEntry.Kind;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.UnreadableWalletException;
import dev.creditgate.spi.WalletState;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sweep of expired holds, the calls that read the gate's clock, and what the gate does with a
 * store's answers: each through the gate, as a host's scheduler or service would see it.
 */
class SweepAndStoreAnswersTest {
  private static final AccountId ALICE = AccountId.of("alice");
  private static final AccountId BOB = AccountId.of("bob");

  private final RecordingSink sink = new RecordingSink();

  // ----- the sweep -----------------------------------------------------------------------------

  @Test
  void theSweepFindsAWalletByItsEarliestHoldExpiry() {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(store).build(); // holds live 15 minutes
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.reserve(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("early"), T0);
    gate.reserve(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("late"), T0.plus(Duration.ofMinutes(10)));
    Instant between = T0.plus(Duration.ofMinutes(20)); // the early hold expired, the late one not yet

    assertEquals(List.of(ALICE), store.accountsWithHoldsExpiredBy(between, 10));
    assertEquals(1, gate.expireHolds(between));

    assertEquals(Credits.of(2), gate.status(ALICE, between).held(), "the late hold is still open");
    assertEquals(List.of(), store.accountsWithHoldsExpiredBy(between, 10));
  }

  @Test
  void theSweepCountsTheWalletsItChangedAndPublishesWhatItRolledOver() {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).eventSink(sink).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.openWallet(BOB, ZoneOffset.UTC, T0);
    Instant renewal = gate.status(ALICE, T0).nextRenewal();
    Instant late = renewal.minus(Duration.ofMinutes(20)); // expire 5 minutes before the renewal
    gate.reserve(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("a"), late);
    gate.reserve(BOB, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("b"), late);
    sink.clear();
    Instant sweep = renewal.plusSeconds(60);

    assertEquals(2, gate.expireHolds(sweep));

    assertEquals(List.of(new WalletEvent.SubscriptionCreditsExpired(ALICE, renewal, Credits.of(30)),
        new WalletEvent.SubscriptionRenewed(ALICE, renewal, "free", Credits.of(30), gate.status(ALICE, sweep).nextRenewal())),
        events(ALICE), "the renewal the sweep rolled over is announced once, after the hold returned its 2");
    assertEquals(2, events(BOB).size());
    assertEquals(0, gate.expireHolds(sweep), "nothing left to sweep");
    assertEquals(4, sink.events.size(), "and nothing announced again");
  }

  private List<WalletEvent> events(AccountId account) {
    return sink.events.stream().filter(e -> e.account().equals(account)).toList();
  }

  /** Offers no transaction, so the gate commits conditionally; loses the first {@code races} commits. */
  private static final class LosingStore extends ForwardingWalletStore {
    final AtomicInteger races;

    LosingStore(InMemoryWalletStore real, int races) {
      super(real);
      this.races = new AtomicInteger(races);
    }

    @Override
    public Optional<WalletTransaction> transaction() {
      return Optional.empty();
    }

    @Override
    public boolean commit(Commit commit) {
      return races.getAndDecrement() <= 0 && super.commit(commit);
    }
  }

  @Test
  void aSweepThatLostARaceAndDecidedAgainPublishesItsEventsOnce() {
    InMemoryWalletStore real = InMemoryWalletStore.create();
    CreditGate.builder(real).build().openWallet(ALICE, ZoneOffset.UTC, T0);
    Instant renewal = CreditGate.builder(real).build().status(ALICE, T0).nextRenewal();
    CreditGate.builder(real).build().reserve(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("a"),
        renewal.minus(Duration.ofMinutes(20)));
    CreditGate sweeper = CreditGate.builder(new LosingStore(real, 2)).eventSink(sink).build();

    assertEquals(1, sweeper.expireHolds(renewal.plusSeconds(60)));

    assertEquals(2, sink.events.size(), "one expiry and one renewal, not one per attempt: " + sink.events);
  }

  @Test
  void aHoldThatExpiredIsReleasedInTheLedgerByTheNextCall() {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.reserve(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("h"), T0);
    Instant expiry = T0.plus(CreditGateBuilder.DEFAULT_HOLD_TIME_TO_LIVE);

    gate.charge(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("c"), expiry.plusSeconds(1));

    List<LedgerEntry> ledger = GateTestKit.ledger(store, ALICE);
    assertEquals(new LedgerEntry(ALICE, expiry, Kind.RELEASE, "h", Credits.of(-2), "generate-image", ""),
        ledger.get(2), "the release comes before the charge that rolled it over");
    assertEquals(Kind.DEBIT, ledger.get(3).kind());
    assertTrue(gate.replay(ALICE).isConsistent());
    assertEquals(Credits.ZERO, gate.status(ALICE, expiry.plusSeconds(1)).held());
  }

  @Test
  void aRenewalOfAPlanWithoutCreditsIsAnnouncedToo() {
    Catalog catalog = Catalog.builder()
        .plan(new Plan("hobby", "Hobby", Money.usd("0"), Credits.ZERO, 1, Set.of()))
        .plan(new Plan("paid", "Paid", Money.usd("9"), Credits.of(90), 1, Set.of()))
        .pack(new Pack("small", "Small", Money.usd("10"), Credits.of(100)))
        .build();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).catalog(catalog).eventSink(sink).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    Instant renewal = gate.status(ALICE, T0).nextRenewal();
    gate.topUp(ALICE, "small", IdempotencyKey.of("pay"), T0);
    sink.clear();

    gate.charge(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("c"), renewal.plusSeconds(1));

    assertEquals(List.of(new WalletEvent.SubscriptionRenewed(ALICE, renewal, "hobby", Credits.ZERO,
        gate.status(ALICE, renewal).nextRenewal())), sink.events, "a renewal that grants nothing still happened");
  }

  // ----- the clock forms -----------------------------------------------------------------------

  @Test
  void theCallsWithoutATimeActAtTheGatesClock() {
    Instant now = T0.plus(Duration.ofDays(40)); // after the first renewal
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate at = CreditGate.builder(store).build();
    CreditGate clocked = CreditGate.builder(store).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    at.openWallet(ALICE, ZoneOffset.UTC, T0);
    at.changePlan(ALICE, "team", IdempotencyKey.of("team"), T0);
    at.addMember(ALICE, BOB, IdempotencyKey.of("add"), T0);
    at.changePlan(ALICE, "free", IdempotencyKey.of("down"), T0); // Free from the first renewal on
    at.reserve(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("h"), T0);

    assertEquals(at.has(ALICE, Catalog.PRIORITY_SUPPORT, now), clocked.has(ALICE, Catalog.PRIORITY_SUPPORT));
    assertEquals(false, clocked.has(ALICE, Catalog.PRIORITY_SUPPORT), "on Free since the renewal");
    assertEquals(true, CreditGate.builder(store).clock(Clock.fixed(T0, ZoneOffset.UTC)).build()
        .has(ALICE, Catalog.PRIORITY_SUPPORT), "on Team before it");
    assertEquals(OptionalLong.of(1), clocked.limit(ALICE, Plan.SEATS));
    assertEquals(1, clocked.expireHolds(), "the hold expired by the clock's time");
    assertEquals(at.status(ALICE, now), clocked.status(ALICE));
    assertEquals(0, clocked.removeMember(ALICE, BOB, IdempotencyKey.of("rm")), "no member is left");
    assertEquals(List.of(), at.usage(ALICE, now).members());
  }

  @Test
  void theLedgerAsObjectsIsTheStoresLedgerWithinTheBounds() {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.charge(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("c"), T0.plusSeconds(10));

    try (Stream<LedgerEntry> all = gate.ledger(ALICE, Instant.MIN, Instant.MAX);
        Stream<LedgerEntry> later = gate.ledger(ALICE, T0.plusSeconds(5), Instant.MAX)) {
      assertEquals(GateTestKit.ledger(store, ALICE), all.toList());
      assertEquals(List.of(Kind.DEBIT), later.map(LedgerEntry::kind).toList());
    }
    assertThrows(UnknownAccountException.class, () -> gate.ledger(BOB, Instant.MIN, Instant.MAX));
  }

  // ----- what a store hands back ---------------------------------------------------------------

  /**
   * Hands back, for {@code ALICE}, what {@code answer} makes of the wallet stored for BOB; offers no
   * transaction, so every call reads through {@link #load}.
   */
  private static final class MixedUpStore extends ForwardingWalletStore {
    final UnaryOperator<StoredWallet> answer;

    MixedUpStore(InMemoryWalletStore real, UnaryOperator<StoredWallet> answer) {
      super(real);
      this.answer = answer;
    }

    @Override
    public Optional<StoredWallet> load(AccountId account) {
      return account.equals(ALICE) ? super.load(BOB).map(answer) : super.load(account);
    }

    @Override
    public Optional<WalletTransaction> transaction() {
      return Optional.empty();
    }
  }

  private static InMemoryWalletStore aliceAndBob() {
    InMemoryWalletStore real = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(real).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.openWallet(BOB, ZoneOffset.UTC, T0);
    gate.changePlan(BOB, "team", IdempotencyKey.of("team"), T0);
    return real;
  }

  @Test
  void anotherAccountsWalletHandedBackByTheStoreIsRefused_asAnObjectOrAsText() {
    for (UnaryOperator<StoredWallet> form : List.<UnaryOperator<StoredWallet>>of(
        stored -> stored, stored -> new StoredWallet(WalletState.ofEncoded(stored.state().encoded()), stored.version()))) {
      CreditGate gate = CreditGate.builder(new MixedUpStore(aliceAndBob(), form)).build();

      UnreadableWalletException e = assertThrows(UnreadableWalletException.class, () -> gate.status(ALICE, T0));

      assertEquals(ALICE, e.account());
      assertTrue(e.getMessage().contains("'bob'"), e::getMessage);
      assertThrows(UnreadableWalletException.class,
          () -> gate.charge(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("c"), T0));
    }
  }

  @Test
  void aStoredTextThisReleaseCannotReadIsRefusedNamingTheAccount() {
    CreditGate gate = CreditGate.builder(new MixedUpStore(aliceAndBob(),
        stored -> new StoredWallet(WalletState.ofEncoded(stored.state().encoded() + "7:garbage"), stored.version())))
        .build();

    UnreadableWalletException e = assertThrows(UnreadableWalletException.class, () -> gate.status(ALICE, T0));

    assertEquals(ALICE, e.account());
    assertTrue(e.getMessage().contains("cannot be read by this release"), e::getMessage);
  }

  /** Its hold index lists {@code idle} first, wallets whose holds are long gone (a lagging index). */
  private static final class LaggingIndex extends ForwardingWalletStore {
    final List<AccountId> idle;

    LaggingIndex(InMemoryWalletStore real, List<AccountId> idle) {
      super(real);
      this.idle = idle;
    }

    @Override
    public List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit) {
      List<AccountId> due = new java.util.ArrayList<>(idle);
      due.addAll(super.accountsWithHoldsExpiredBy(at, limit));
      return due.subList(0, Math.min(limit, due.size()));
    }
  }

  @Test
  void moreIdleWalletsListedThanABatchDoNotKeepTheSweepFromTheOneStillDue() {
    InMemoryWalletStore real = InMemoryWalletStore.create();
    CreditGate opener = CreditGate.builder(real).build();
    List<AccountId> idle = new java.util.ArrayList<>();
    for (int i = 0; i < 250; i++) {
      AccountId account = AccountId.of(String.format("idle-%03d", i));
      opener.openWallet(account, ZoneOffset.UTC, T0);
      idle.add(account);
    }
    opener.openWallet(ALICE, ZoneOffset.UTC, T0);
    opener.reserve(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("h"), T0);
    CreditGate sweeper = CreditGate.builder(new LaggingIndex(real, idle)).build();

    assertEquals(1, sweeper.expireHolds(T0.plus(Duration.ofHours(1))));
    assertEquals(Credits.ZERO, sweeper.status(ALICE, T0.plus(Duration.ofHours(1))).held());
  }

  // ----- messages ------------------------------------------------------------------------------

  @Test
  void anExceptionMessageShowsControlCharactersAsEscapesAndKeepsEmojiWhole() {
    CreditGate gate = CreditGate.inMemory();
    UnknownAccountException e = assertThrows(UnknownAccountException.class,
        () -> gate.status(AccountId.of("bell\u0007\uD83D\uDE00 line\nend"), T0));
    assertEquals("no wallet is open for account 'bell\\u0007\uD83D\uDE00 line\\u000Aend'", e.getMessage());
    UnknownAccountException plain = assertThrows(UnknownAccountException.class,
        () -> gate.status(AccountId.of("smile \uD83D\uDE00"), T0));
    assertEquals("no wallet is open for account 'smile \uD83D\uDE00'", plain.getMessage());
  }
}
