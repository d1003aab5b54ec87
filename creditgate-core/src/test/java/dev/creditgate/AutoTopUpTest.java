package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.UNIT;
import static dev.creditgate.GateTestKit.defaultCostsPlusUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import dev.creditgate.GateTestKit.RecordingSink;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Auto top-up (docs/gate.md, "Auto top-up"): a spend at or under the threshold records one request
 * in its own commit; never two open; the billing period's limits in count and money; confirmation
 * by a top-up under the request's id; declines, their back-off and the switch-off; status; bad
 * input refused with nothing changed.
 */
class AutoTopUpTest {
  private static final AccountId ALICE = AccountId.of("alice");
  /** Alice's request number {@code n}, made at {@code at}. */
  private static String id(int n, Instant at) {
    return "autotopup:alice:" + n + ":" + at.toEpochMilli();
  }

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();
  private final CreditGate gate = CreditGate.builder(store).eventSink(sink).costTable(defaultCostsPlusUnit()).build();
  private int keys;

  private IdempotencyKey key() {
    return IdempotencyKey.of("k" + ++keys);
  }

  /** Charges exactly {@code credits} (the test-only unit costs 0.001 each); true if allowed. */
  private boolean spend(String credits, Instant at) {
    return gate.charge(ALICE, UNIT, Credits.parse(credits).thousandths(), key(), at).isAllowed();
  }

  /** Free (30 credits) with auto top-up: the Small pack ($10, 100 credits) at 10 credits or less. */
  private AutoTopUpStatus openWith(AutoTopUp rule) {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    AutoTopUpStatus set = gate.setAutoTopUp(ALICE, Optional.of(rule), key(), T0);
    sink.clear();
    return set;
  }

  private static AutoTopUp small() {
    return AutoTopUp.withPack("small", Credits.of(10), Money.usd("50"), 3);
  }

  private List<WalletEvent.AutoTopUpRequested> requested() {
    return sink.of(WalletEvent.AutoTopUpRequested.class);
  }

  private AutoTopUpStatus status(Instant at) {
    return gate.status(ALICE, at).autoTopUp().orElseThrow();
  }

  @Test
  void aSpendToExactlyTheThresholdRequestsOnce_oneThousandthAboveItDoesNot() {
    AutoTopUpStatus set = openWith(small());
    assertEquals(Optional.of(small()), set.rule());
    assertTrue(spend("19.999", T0.plusSeconds(1)));
    assertEquals(List.of(), requested(), "10.001 available is above the threshold");
    assertTrue(spend("0.001", T0.plusSeconds(2)));
    assertEquals(List.of(new WalletEvent.AutoTopUpRequested(ALICE, T0.plusSeconds(2), id(1, T0.plusSeconds(2)), "small", Credits.of(100),
        Money.usd("10"))), requested());
    AutoTopUpStatus s = status(T0.plusSeconds(2));
    assertEquals(Optional.of(new AutoTopUpStatus.OpenRequest(id(1, T0.plusSeconds(2)), "small", Credits.of(100), Money.usd("10"),
        T0.plusSeconds(2))), s.open());
    assertEquals(1, s.requestsThisPeriod());
    assertEquals(Optional.of(Money.usd("10")), s.requestedThisPeriod());
    assertEquals(IdempotencyKey.of(id(1, T0.plusSeconds(2))), s.open().orElseThrow().paymentKey());
  }

  /**
   * The request is an event of the spend's own commit, right after its warning in the wallet's
   * sequence; a sink that fails leaves it in the outbox, and the relay delivers it.
   */
  @Test
  void theRequestIsRecordedInTheSpendsCommitAndTheRelayDeliversWhatTheSinkRefused() {
    List<EventId> ids = new ArrayList<>();
    List<WalletEvent> delivered = new ArrayList<>();
    boolean[] failing = {true};
    CreditGate relayed = CreditGate.builder(store).costTable(defaultCostsPlusUnit()).eventSink((id, event) -> {
      if (failing[0]) {
        throw new IllegalStateException("the sink is down");
      }
      ids.add(id);
      delivered.add(event);
    }).build();
    relayed.openWallet(ALICE, ZoneOffset.UTC, T0);
    relayed.setAutoTopUp(ALICE, Optional.of(AutoTopUp.withPack("small", Credits.of(6), Money.usd("50"), 3)), key(), T0);
    assertTrue(relayed.charge(ALICE, UNIT, 24_000, key(), T0.plusSeconds(1)).isAllowed(), "30 -> 6: 20% and 6");
    assertEquals(List.of(), delivered);
    failing[0] = false;
    relayed.deliverPendingEvents(100);
    assertEquals(List.of(new WalletEvent.ThresholdCrossed(ALICE, T0.plusSeconds(1), 20, Credits.of(6), Credits.of(30)),
        new WalletEvent.AutoTopUpRequested(ALICE, T0.plusSeconds(1), id(1, T0.plusSeconds(1)), "small", Credits.of(100), Money.usd("10"))),
        delivered.stream().filter(e -> !(e instanceof WalletEvent.ThresholdCrossed t) || t.percent() == 20).toList());
    int warning = delivered.indexOf(delivered.stream().filter(WalletEvent.ThresholdCrossed.class::isInstance)
        .findFirst().orElseThrow());
    assertEquals(ids.get(warning).sequence() + 1, ids.get(warning + 1).sequence(), "one commit, in sequence: " + ids);
  }

  @Test
  void neverTwoRequestsOpen_furtherSpendsUnderTheThresholdAddNone() {
    openWith(small());
    assertTrue(spend("25", T0.plusSeconds(1)));
    assertTrue(spend("1", T0.plusSeconds(2)));
    assertTrue(spend("4", T0.plusSeconds(3)));
    assertEquals(1, requested().size());
    assertEquals(1, status(T0.plusSeconds(3)).requestsThisPeriod());
  }

  @Test
  void aDeniedChargeRequestsNothing_noRuleRequestsNothing() {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    assertTrue(spend("25", T0.plusSeconds(1)));
    assertEquals(Optional.empty(), gate.status(ALICE, T0.plusSeconds(1)).autoTopUp());
    gate.setAutoTopUp(ALICE, Optional.of(AutoTopUp.withPack("small", Credits.of(1), Money.usd("50"), 3)), key(), T0);
    assertFalse(spend("6", T0.plusSeconds(2)), "5 available: denied");
    assertEquals(List.of(), requested());
  }

  @Test
  void aTopUpUnderTheRequestsIdConfirmsIt_itsGrantNamesTheRequest_theNextCrossingRequestsAgain() {
    openWith(small());
    assertTrue(spend("20", T0.plusSeconds(1)));
    TopUp t = gate.topUp(ALICE, "small", IdempotencyKey.of(requestId(1)), T0.plusSeconds(2));
    assertEquals("pack:" + requestId(1), t.grant());
    AutoTopUpStatus after = status(T0.plusSeconds(2));
    assertEquals(Optional.empty(), after.open());
    assertEquals(1, after.requestsThisPeriod(), "a confirmation counts the request it closes, once");
    assertTrue(gate.replay(ALICE).isConsistent());
    assertTrue(spend("100", T0.plusSeconds(3)), "110 -> 10: the threshold again");
    assertEquals(List.of(id(1, T0.plusSeconds(1)), id(2, T0.plusSeconds(3))), requested().stream().map(WalletEvent.AutoTopUpRequested::request)
        .toList());
    // A repeated webhook grants once and confirms nothing else.
    assertEquals(t, gate.topUp(ALICE, "small", IdempotencyKey.of(requestId(1)), T0.plusSeconds(4)));
    assertEquals(Credits.of(10), gate.status(ALICE, T0.plusSeconds(4)).available());
    assertTrue(status(T0.plusSeconds(4)).open().isPresent());
  }

  @Test
  void aTopUpUnderTheRequestsIdBuyingAnotherPackIsRefusedAndChangesNothing() {
    openWith(small());
    assertTrue(spend("20", T0.plusSeconds(1)));
    WalletStatus before = gate.status(ALICE, T0.plusSeconds(2));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> gate.topUp(ALICE, "large", IdempotencyKey.of(requestId(1)), T0.plusSeconds(2)));
    assertTrue(e.getMessage().contains("'large'") && e.getMessage().contains("'small'"), e.getMessage());
    assertEquals(before, gate.status(ALICE, T0.plusSeconds(2)));
  }

  @Test
  void theMonthlyCountRefusesOncePerCrossing_visibleInStatus_andTheNextPeriodRequestsAgain() {
    openWith(AutoTopUp.withPack("small", Credits.of(10), Money.usd("50"), 1));
    assertTrue(spend("20", T0.plusSeconds(1)));
    gate.topUp(ALICE, "small", IdempotencyKey.of(requestId(1)), T0.plusSeconds(2));
    assertTrue(spend("100", T0.plusSeconds(3)));
    assertTrue(spend("1", T0.plusSeconds(4)));
    assertEquals(1, requested().size());
    assertEquals(List.of(new WalletEvent.AutoTopUpRefused(ALICE, T0.plusSeconds(3), AutoTopUp.Limit.COUNT,
        Money.usd("10"), 1, Money.usd("10"))), sink.of(WalletEvent.AutoTopUpRefused.class), "once per crossing");
    assertEquals(Optional.of(new AutoTopUpStatus.Refusal(T0.plusSeconds(3), AutoTopUp.Limit.COUNT, Money.usd("10"))),
        status(T0.plusSeconds(4)).lastRefusal());
    // A grant lifts it above the threshold: the next crossing is refused (and told) again.
    gate.adjust(ALICE, Credits.of(5), "goodwill", key(), T0.plusSeconds(5));
    assertTrue(spend("6", T0.plusSeconds(6)));
    assertEquals(2, sink.of(WalletEvent.AutoTopUpRefused.class).size());
    // The next billing period counts afresh.
    Instant renewal = gate.status(ALICE, T0).nextRenewal();
    assertTrue(spend("28", renewal.plusSeconds(1)), "8 packs + 30 renewed -> 10");
    assertEquals(2, requested().size());
    assertEquals(1, status(renewal.plusSeconds(1)).requestsThisPeriod());
  }

  @Test
  void theMonthlyAmountRefusesTheRequestThatWouldExceedIt_exactlyAtTheLimitIsAllowed() {
    openWith(AutoTopUp.withPack("small", Credits.of(10), Money.usd("20"), 5));
    for (int i = 1; i <= 2; i++) {
      assertTrue(spend(i == 1 ? "20" : "100", T0.plusSeconds(10L * i)));
      gate.topUp(ALICE, "small", IdempotencyKey.of(requestId(i)), T0.plusSeconds(10L * i + 1));
    }
    assertEquals(Optional.of(Money.usd("20")), status(T0.plusSeconds(30)).requestedThisPeriod(), "$20 of $20");
    assertTrue(spend("100", T0.plusSeconds(40)));
    assertEquals(2, requested().size());
    assertEquals(AutoTopUp.Limit.AMOUNT, sink.of(WalletEvent.AutoTopUpRefused.class).get(0).limit());
  }

  @Test
  void aDeclineArmsTheBackoff_oneNanosecondBeforeItsEndNoRequest_atItsEndOne() {
    Duration backoff = Duration.ofHours(6);
    openWith(small().withBackoff(backoff));
    assertTrue(spend("20", T0.plusSeconds(1)));
    Instant declined = T0.plusSeconds(60);
    AutoTopUpStatus s = gate.declineAutoTopUp(ALICE, requestId(1), "card_declined", key(), declined);
    assertEquals(Optional.empty(), s.open());
    assertEquals(0, s.requestsThisPeriod(), "a declined request does not count against the limits");
    assertEquals(1, s.declinesInARow());
    assertEquals(Optional.of(declined.plus(backoff)), s.retryNotBefore());
    assertEquals(Optional.of(new AutoTopUpStatus.Decline(declined, requestId(1), "card_declined")), s.lastDecline());
    assertTrue(spend("1", declined.plus(backoff).minusNanos(1)));
    assertEquals(1, requested().size(), "within the back-off");
    assertTrue(spend("1", declined.plus(backoff)));
    assertEquals(id(2, declined.plus(backoff)), requested().get(1).request());
  }

  @Test
  void declinesInARowSwitchItOffWithAnEvent_aConfirmationBetweenResetsTheStreak() {
    Duration backoff = Duration.ofMinutes(1);
    openWith(small().withBackoff(backoff).withDeclineLimit(2));
    assertTrue(spend("20", T0.plusSeconds(1)));
    gate.declineAutoTopUp(ALICE, requestId(1), "insufficient_funds", key(), T0.plusSeconds(10));
    assertTrue(spend("1", T0.plusSeconds(100)));
    gate.topUp(ALICE, "small", IdempotencyKey.of(requestId(2)), T0.plusSeconds(110));
    assertEquals(0, status(T0.plusSeconds(110)).declinesInARow(), "a confirmation ends the streak");
    assertTrue(spend("100", T0.plusSeconds(200)));
    gate.declineAutoTopUp(ALICE, requestId(3), "do_not_honor", key(), T0.plusSeconds(210));
    assertTrue(spend("1", T0.plusSeconds(300)));
    AutoTopUpStatus off = gate.declineAutoTopUp(ALICE, requestId(4), "do_not_honor", key(), T0.plusSeconds(310));
    assertEquals(Optional.empty(), off.rule());
    assertTrue(off.switchedOff());
    assertEquals(List.of(new WalletEvent.AutoTopUpDisabled(ALICE, T0.plusSeconds(310), 2, "do_not_honor")),
        sink.of(WalletEvent.AutoTopUpDisabled.class));
    assertTrue(spend("1", T0.plusSeconds(1_000)));
    assertEquals(4, requested().size(), "off: no more requests");
    // Set again by the host: on, the streak afresh, ids never reused.
    gate.setAutoTopUp(ALICE, Optional.of(small().withBackoff(backoff)), key(), T0.plusSeconds(1_100));
    assertTrue(spend("1", T0.plusSeconds(1_200)));
    assertEquals(id(5, T0.plusSeconds(1_100)), requested().get(4).request(), "ids never reused; made as it is set");
  }

  @Test
  void aTargetBalanceIsRestoredWithTheCheapestCustomPack_confirmedByTopUpCustom() {
    openWith(AutoTopUp.toBalance(Credits.of(100), Credits.of(10), Money.usd("50"), 3));
    assertTrue(spend("20.05", T0.plusSeconds(1)), "9.95 left: 90.05 to restore");
    // Custom: $5 to $1000 at 10 credits a dollar; 90.05 credits cost $9.01 (90.1 credits).
    WalletEvent.AutoTopUpRequested r = requested().get(0);
    assertEquals(new WalletEvent.AutoTopUpRequested(ALICE, T0.plusSeconds(1), id(1, T0.plusSeconds(1)), "custom", Credits.parse("90.1"),
        Money.usd("9.01")), r);
    gate.topUpCustom(ALICE, Money.usd("9.01"), IdempotencyKey.of(requestId(1)), T0.plusSeconds(2));
    assertEquals(Credits.parse("100.05"), gate.status(ALICE, T0.plusSeconds(2)).available());
    assertEquals(Optional.empty(), status(T0.plusSeconds(2)).open());
  }

  /**
   * Found by the stateful model: a request made at the very instant an upgrade restarts the period
   * counts in the period before, so declining it later takes nothing off the new period's counters
   * (it used to take them below zero).
   */
  @Test
  void aRequestMadeAtTheInstantAnUpgradeRestartsThePeriodCountsInThePeriodBefore() {
    CreditGate restarting = CreditGate.builder(store).eventSink(sink).costTable(defaultCostsPlusUnit())
        .upgradePolicy(UpgradePolicy.RESTART_PERIOD).build();
    restarting.openWallet(ALICE, ZoneOffset.UTC, T0);
    restarting.setAutoTopUp(ALICE, Optional.of(small()), key(), T0);
    Instant at = T0.plusSeconds(60);
    assertTrue(restarting.charge(ALICE, UNIT, 20_000, key(), at).isAllowed());
    restarting.changePlan(ALICE, "pro", key(), at);
    assertEquals(0, restarting.status(ALICE, at).autoTopUp().orElseThrow().requestsThisPeriod(), "a new period");
    AutoTopUpStatus declined = restarting.declineAutoTopUp(ALICE, requestId(1), "card_declined", key(), at.plusSeconds(1));
    assertEquals(0, declined.requestsThisPeriod());
    assertEquals(Optional.empty(), declined.requestedThisPeriod());
    assertTrue(store.load(ALICE).isPresent());
  }

  @Test
  void turningItOffKeepsTheOpenRequest_whichItsTopUpStillConfirms() {
    openWith(small());
    assertTrue(spend("20", T0.plusSeconds(1)));
    AutoTopUpStatus off = gate.setAutoTopUp(ALICE, Optional.empty(), key(), T0.plusSeconds(2));
    assertEquals(Optional.empty(), off.rule());
    assertFalse(off.switchedOff());
    assertTrue(off.open().isPresent());
    gate.topUp(ALICE, "small", IdempotencyKey.of(requestId(1)), T0.plusSeconds(3));
    assertEquals(Optional.empty(), status(T0.plusSeconds(3)).open());
    assertTrue(spend("100", T0.plusSeconds(4)));
    assertEquals(1, requested().size());
  }

  @Test
  void repeatsWithTheSameKeyAnswerTheFirstAndChangeNothing() {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    IdempotencyKey set = IdempotencyKey.of("set-1");
    AutoTopUpStatus first = gate.setAutoTopUp(ALICE, Optional.of(small()), set, T0);
    assertTrue(spend("20", T0.plusSeconds(1)));
    assertEquals(first, gate.setAutoTopUp(ALICE, Optional.of(small()), set, T0.plusSeconds(2)));
    assertThrows(IdempotencyConflictException.class,
        () -> gate.setAutoTopUp(ALICE, Optional.empty(), set, T0.plusSeconds(2)));
    IdempotencyKey decline = IdempotencyKey.of("decline-1");
    AutoTopUpStatus declined = gate.declineAutoTopUp(ALICE, requestId(1), "card_declined", decline, T0.plusSeconds(3));
    assertEquals(declined, gate.declineAutoTopUp(ALICE, requestId(1), "card_declined", decline, T0.plusSeconds(4)));
    assertEquals(1, status(T0.plusSeconds(4)).declinesInARow());
  }

  @Test
  void badRulesAreRefusedNamingTheValue() {
    InvalidRequestException negative = assertThrows(InvalidRequestException.class,
        () -> AutoTopUp.withPack("small", Credits.of(-1), Money.usd("50"), 3));
    assertEquals("threshold", negative.argument().orElseThrow());
    assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
    assertThrows(InvalidRequestException.class, () -> AutoTopUp.toBalance(Credits.of(10), Credits.of(10),
        Money.usd("50"), 3), "a target at the threshold");
    assertThrows(InvalidRequestException.class, () -> AutoTopUp.withPack("small", Credits.ZERO, Money.usd("50"), 0));
    assertThrows(InvalidRequestException.class, () -> small().withDeclineLimit(0));
    assertThrows(InvalidRequestException.class, () -> small().withBackoff(Duration.ZERO));
    assertThrows(InvalidRequestException.class, () -> new AutoTopUp(Credits.ZERO, Optional.of("small"),
        Optional.of(Credits.of(5)), Money.usd("50"), 3, 3, Duration.ofDays(1)), "both a pack and a target");
  }

  @Test
  void badCallsChangeNothing() {
    openWith(small());
    assertTrue(spend("20", T0.plusSeconds(1)));
    String storedBefore = store.load(ALICE).orElseThrow().state().encoded();
    assertThrows(UnknownCatalogItemException.class, () -> gate.setAutoTopUp(ALICE,
        Optional.of(AutoTopUp.withPack("huge", Credits.of(1), Money.usd("50"), 3)), key(), T0.plusSeconds(2)));
    InvalidRequestException wrong = assertThrows(InvalidRequestException.class,
        () -> gate.declineAutoTopUp(ALICE, "autotopup:alice:9", "x", key(), T0.plusSeconds(2)));
    assertEquals("autotopup:alice:9", wrong.value().orElseThrow());
    AccountId longId = AccountId.of("a".repeat(155));
    gate.openWallet(longId, ZoneOffset.UTC, T0);
    assertThrows(InvalidRequestException.class,
        () -> gate.setAutoTopUp(longId, Optional.of(small()), key(), T0.plusSeconds(2)));
    assertEquals(storedBefore, store.load(ALICE).orElseThrow().state().encoded());
    assertEquals(Optional.empty(), gate.status(longId, T0.plusSeconds(2)).autoTopUp());
  }

  /**
   * Sixteen threads cross the threshold at once, on the in-memory store's lock and on its
   * conditional commit: exactly one request.
   */
  @ParameterizedTest(name = "conditional commit: {0}")
  @ValueSource(booleans = {false, true})
  void sixteenThreadsCrossingTheThresholdAtOnceMakeExactlyOneRequest(boolean conditionalCommit) throws Exception {
    WalletStore shape = conditionalCommit ? new ForwardingWalletStore(store) {
      @Override
      public Optional<WalletTransaction> transaction() {
        return Optional.empty();
      }
    } : store;
    CreditGate shared = CreditGate.builder(shape).eventSink(sink).costTable(defaultCostsPlusUnit()).build();
    shared.openWallet(ALICE, ZoneOffset.UTC, T0);
    shared.setAutoTopUp(ALICE, Optional.of(AutoTopUp.withPack("small", Credits.of(20), Money.usd("50"), 3)), key(), T0);
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        IdempotencyKey k = IdempotencyKey.of("thread-" + t);
        results.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          // 30 credits, 1 each: the 10th charge reaches 20, every one after stays under it.
          return shared.charge(ALICE, Operation.of("test-unit"), 1_000, k, T0.plusSeconds(1)).isAllowed();
        }));
      }
      assertTrue(ready.await(10, TimeUnit.SECONDS));
      go.countDown();
      for (Future<Boolean> f : results) {
        assertTrue(f.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(List.of(id(1, T0.plusSeconds(1))), requested().stream().map(WalletEvent.AutoTopUpRequested::request).toList());
    assertEquals(Credits.of(14), shared.status(ALICE, T0.plusSeconds(1)).available());
    assertEquals(1, shared.status(ALICE, T0.plusSeconds(1)).autoTopUp().orElseThrow().requestsThisPeriod());
  }

  /** The id of the {@code n}th request published. */
  private String requestId(int n) {
    return requested().get(n - 1).request();
  }

  /**
   * A late success under a declined request's id (the provider retried the charge): the customer
   * paid, so it is granted, counted in the period's limits (here beyond them) and ends the decline
   * streak and the back-off; an id this wallet never made is an ordinary top-up.
   */
  @Test
  void aLateTopUpUnderADeclinedRequestsIdIsGrantedAndCounted_andEndsTheStreak() {
    openWith(AutoTopUp.withPack("small", Credits.of(10), Money.usd("10"), 1).withBackoff(Duration.ofMinutes(1)));
    assertTrue(spend("20", T0.plusSeconds(1)));
    String first = requestId(1);
    gate.declineAutoTopUp(ALICE, first, "card_declined", key(), T0.plusSeconds(2));
    assertTrue(spend("1", T0.plusSeconds(100)));
    gate.topUp(ALICE, "small", IdempotencyKey.of(requestId(2)), T0.plusSeconds(101));
    assertEquals(1, status(T0.plusSeconds(101)).requestsThisPeriod());
    TopUp late = gate.topUp(ALICE, "small", IdempotencyKey.of(first), T0.plusSeconds(102));
    assertEquals("pack:" + first, late.grant());
    AutoTopUpStatus s = status(T0.plusSeconds(102));
    assertEquals(2, s.requestsThisPeriod(), "two packs bought: both counted");
    assertEquals(Optional.of(Money.usd("20")), s.requestedThisPeriod());
    assertEquals(Credits.of(209), gate.status(ALICE, T0.plusSeconds(102)).available());
    gate.topUp(ALICE, "small", IdempotencyKey.of(ALICE.value() + ":9"), T0.plusSeconds(103));
    gate.topUp(ALICE, "small", IdempotencyKey.of(id(3, T0)), T0.plusSeconds(104));
    assertEquals(2, status(T0.plusSeconds(104)).requestsThisPeriod(), "ids this wallet never made count nothing");
  }

  @Test
  void aLateTopUpUnderTheOnlyDeclinedRequestEndsTheStreakAndTheBackoff() {
    openWith(small().withDeclineLimit(2));
    assertTrue(spend("20", T0.plusSeconds(1)));
    gate.declineAutoTopUp(ALICE, requestId(1), "card_declined", key(), T0.plusSeconds(2));
    assertEquals(1, status(T0.plusSeconds(2)).declinesInARow());
    gate.topUp(ALICE, "small", IdempotencyKey.of(requestId(1)), T0.plusSeconds(3));
    AutoTopUpStatus s = status(T0.plusSeconds(3));
    assertEquals(0, s.declinesInARow());
    assertEquals(Optional.empty(), s.retryNotBefore());
    assertEquals(1, s.requestsThisPeriod());
    assertTrue(spend("100", T0.plusSeconds(4)), "110 -> 10: no back-off, a request at once");
    assertEquals(2, requested().size());
  }

  /** A gate on the same store whose catalog sells the Free plan, Large, {@code small} (unless null) and no custom packs. */
  private CreditGate redeployed(Pack small) {
    return redeployed(small, null);
  }

  /** {@link #redeployed(Pack)} selling custom packs on {@code terms} (unless null). */
  private CreditGate redeployed(Pack small, dev.creditgate.model.CustomPackTerms terms) {
    Catalog.Builder catalog = Catalog.builder().plan(new Plan("free", "Free", Money.usd("0"), Credits.of(30), 1,
        java.util.Set.of())).pack(new Pack("large", "Large", Money.usd("100"), Credits.of(1000)));
    if (small != null) {
      catalog.pack(small);
    }
    if (terms != null) {
      catalog.customPacks(terms);
    }
    return CreditGate.builder(store).eventSink(sink).costTable(defaultCostsPlusUnit()).catalog(catalog.build()).build();
  }

  /**
   * A rolling deploy reprices the pack, or removes it, between the request and its payment: the
   * confirmation grants what the request recorded at its price (the customer paid that); another
   * pack is still refused.
   */
  @ParameterizedTest(name = "small repriced: {0}")
  @ValueSource(booleans = {true, false})
  void anOpenRequestIsConfirmedWithWhatItRecorded_whateverTheCatalogSellsNow(boolean repriced) {
    openWith(small());
    assertTrue(spend("20", T0.plusSeconds(1)));
    CreditGate other = redeployed(repriced ? new Pack("small", "Small", Money.usd("12"), Credits.of(90)) : null);
    WalletStatus before = gate.status(ALICE, T0.plusSeconds(2));
    assertThrows(InvalidRequestException.class,
        () -> other.topUp(ALICE, "large", IdempotencyKey.of(requestId(1)), T0.plusSeconds(2)));
    assertEquals(before, gate.status(ALICE, T0.plusSeconds(2)));
    TopUp t = other.topUp(ALICE, "small", IdempotencyKey.of(requestId(1)), T0.plusSeconds(2));
    assertEquals(List.of("pack:" + requestId(1), Credits.of(100), Credits.of(110)),
        List.of(t.grant(), t.credits(), t.balanceAfter()));
    AutoTopUpStatus s = status(T0.plusSeconds(2));
    assertEquals(Optional.empty(), s.open());
    assertEquals(Optional.of(Money.usd("10")), s.requestedThisPeriod());
    assertThrows(UnknownCatalogItemException.class,
        () -> redeployed(null).topUp(ALICE, "small", IdempotencyKey.of("autotopup:alice:7"), T0.plusSeconds(3)),
        "not the open request: priced by the catalog");
  }

  /**
   * A target balance's request is confirmed by a Custom top-up at its price even once the catalog
   * sells no custom packs; one at another price is refused and changes nothing.
   */
  @Test
  void aTargetBalanceRequestIsConfirmedOnlyAtItsPrice_evenWithoutCustomTermsNow() {
    openWith(AutoTopUp.toBalance(Credits.of(100), Credits.of(10), Money.usd("50"), 3));
    assertTrue(spend("20.05", T0.plusSeconds(1)));
    WalletStatus before = gate.status(ALICE, T0.plusSeconds(2));
    InvalidRequestException other = assertThrows(InvalidRequestException.class,
        () -> gate.topUpCustom(ALICE, Money.usd("9.02"), IdempotencyKey.of(requestId(1)), T0.plusSeconds(2)));
    assertTrue(other.getMessage().contains("9.01") && other.getMessage().contains("9.02"), other.getMessage());
    assertEquals(before, gate.status(ALICE, T0.plusSeconds(2)));
    TopUp t = redeployed(null).topUpCustom(ALICE, Money.usd("9.01"), IdempotencyKey.of(requestId(1)),
        T0.plusSeconds(2));
    assertEquals(Credits.parse("90.1"), t.credits());
    assertEquals(Optional.empty(), status(T0.plusSeconds(2)).open());
  }

  /**
   * 50 image-only promotional credits keep no chat running: the threshold, and a target balance's
   * difference, count the credits every operation may spend.
   */
  @ParameterizedTest(name = "target balance: {0}")
  @ValueSource(booleans = {false, true})
  void promotionalCreditsScopedToOtherOperationsDoNotHoldOffTheRequest(boolean targetBalance) {
    openWith(targetBalance ? AutoTopUp.toBalance(Credits.of(100), Credits.of(10), Money.usd("50"), 3) : small());
    gate.grantPromotion(ALICE, dev.creditgate.model.Promotion.of(Credits.of(50), T0.plus(Duration.ofDays(10)), "images")
        .scopedTo(Operation.GENERATE_IMAGE), key(), T0);
    assertTrue(spend("20.05", T0.plusSeconds(1)), "9.95 common credits and 50 for images left");
    assertEquals(Credits.parse("59.95"), gate.status(ALICE, T0.plusSeconds(1)).available());
    WalletEvent.AutoTopUpRequested r = requested().get(0);
    assertEquals(targetBalance ? List.of("custom", Credits.parse("90.1"), Money.usd("9.01"))
        : List.of("small", Credits.of(100), Money.usd("10")), List.of(r.pack(), r.credits(), r.price()),
        "90.05 common credits to restore");
  }

  /** An upgrade that keeps the renewal date lifts the credits above the threshold: the next refusal is told again. */
  @Test
  void anUpgradeKeepingTheRenewalDateReArmsTheRefusal() {
    CreditGate keeping = CreditGate.builder(store).eventSink(sink).costTable(defaultCostsPlusUnit())
        .upgradePolicy(UpgradePolicy.KEEP_RENEWAL_DATE).build();
    keeping.openWallet(ALICE, ZoneOffset.UTC, T0);
    keeping.setAutoTopUp(ALICE, Optional.of(AutoTopUp.withPack("small", Credits.of(10), Money.usd("50"), 1)), key(),
        T0);
    assertTrue(keeping.charge(ALICE, UNIT, 20_000, key(), T0.plusSeconds(1)).isAllowed());
    keeping.topUp(ALICE, "small", IdempotencyKey.of(requestId(1)), T0.plusSeconds(2));
    assertTrue(keeping.charge(ALICE, UNIT, 100_000, key(), T0.plusSeconds(3)).isAllowed(), "110 -> 10: refused");
    assertEquals(1, sink.of(WalletEvent.AutoTopUpRefused.class).size());
    keeping.changePlan(ALICE, "pro", key(), T0.plusSeconds(4));
    Credits available = keeping.status(ALICE, T0.plusSeconds(4)).available();
    assertTrue(available.compareTo(Credits.of(10)) > 0, "the upgrade's credits: " + available);
    assertTrue(keeping.charge(ALICE, UNIT, available.minus(Credits.of(10)).thousandths(), key(), T0.plusSeconds(5))
        .isAllowed());
    assertEquals(2, sink.of(WalletEvent.AutoTopUpRefused.class).size(), "refused again, and told");
  }

  /**
   * A rule that could never make a request is refused when set, naming the value: a monthly limit
   * below the pack's price (or the cheapest Custom pack), a target balance one Custom pack cannot
   * restore from the threshold ($1,000 buys 10,000 credits).
   */
  @Test
  void aMonthlyLimitBelowOneRequestOrAnUnrestorableTargetIsRefusedWhenSet_namingTheValue() {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    for (String limit : List.of("0", "9.99")) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> gate.setAutoTopUp(ALICE,
          Optional.of(AutoTopUp.withPack("small", Credits.of(10), Money.usd(limit), 3)), key(), T0));
      assertEquals(List.of("monthlyLimit", Money.usd(limit).toString()), List.of(e.argument().orElseThrow(),
          e.value().orElseThrow()));
      assertTrue(e.getMessage().contains(Money.usd("10").toString()), e.getMessage());
    }
    InvalidRequestException custom = assertThrows(InvalidRequestException.class, () -> gate.setAutoTopUp(ALICE,
        Optional.of(AutoTopUp.toBalance(Credits.of(100), Credits.of(10), Money.usd("4.99"), 3)), key(), T0));
    assertEquals("monthlyLimit", custom.argument().orElseThrow());
    InvalidRequestException target = assertThrows(InvalidRequestException.class, () -> gate.setAutoTopUp(ALICE,
        Optional.of(AutoTopUp.toBalance(Credits.parse("10010.001"), Credits.of(10), Money.usd("5000"), 3)), key(), T0));
    assertEquals(List.of("targetBalance", "10010.001"), List.of(target.argument().orElseThrow(),
        target.value().orElseThrow()));
    assertEquals(Optional.empty(), gate.status(ALICE, T0).autoTopUp(), "nothing set");
    gate.setAutoTopUp(ALICE, Optional.of(AutoTopUp.withPack("small", Credits.of(10), Money.usd("10"), 3)), key(), T0);
    gate.setAutoTopUp(ALICE, Optional.of(AutoTopUp.toBalance(Credits.of(10_010), Credits.of(10), Money.usd("5"), 3)),
        key(), T0);
    assertTrue(gate.status(ALICE, T0).autoTopUp().orElseThrow().rule().isPresent());
  }

  /**
   * A negative adjustment is support's act, not the customer's spend: it raises the warnings but
   * asks for no card charge; the customer's next spend at or under the threshold does.
   */
  @Test
  void aNegativeAdjustmentRaisesTheWarningsButRequestsNoTopUp() {
    openWith(small());
    gate.adjust(ALICE, Credits.of(-25), "chargeback", key(), T0.plusSeconds(1));
    assertEquals(Credits.of(5), gate.status(ALICE, T0.plusSeconds(1)).available());
    assertFalse(sink.of(WalletEvent.ThresholdCrossed.class).isEmpty(), "the warnings are raised");
    assertEquals(List.of(), requested());
    assertTrue(spend("1", T0.plusSeconds(2)));
    assertEquals(1, requested().size());
  }

  @Test
  void aDeclineDatedBeforeItsRequestIsRefusedAndChangesNothing() {
    openWith(small());
    assertTrue(spend("20", T0.plusSeconds(10)));
    String storedBefore = store.load(ALICE).orElseThrow().state().encoded();
    InvalidRequestException early = assertThrows(InvalidRequestException.class,
        () -> gate.declineAutoTopUp(ALICE, requestId(1), "card_declined", key(), T0.plusSeconds(9)));
    assertEquals(List.of("at", T0.plusSeconds(9).toString()), List.of(early.argument().orElseThrow(),
        early.value().orElseThrow()));
    assertEquals(storedBefore, store.load(ALICE).orElseThrow().state().encoded());
    assertEquals(1, gate.declineAutoTopUp(ALICE, requestId(1), "card_declined", key(), T0.plusSeconds(10))
        .declinesInARow(), "at the request's own instant");
  }

  /**
   * Request ids are parsed exactly: number and time; account {@code alice:1}'s are not
   * {@code alice}'s, nor numbers never made.
   */
  @Test
  void onlyThisWalletsOwnRequestIdsAreRecognised() {
    AutoTopUpState s = AutoTopUpState.first(small(), T0);
    for (int i = 0; i < 12; i++) {
      s = s.requested(new AutoTopUpStatus.OpenRequest(s.nextId("alice", T0), "small", Credits.of(100),
          Money.usd("10"), T0)).confirmed();
    }
    long t = T0.toEpochMilli();
    assertEquals(List.of(1L, 12L, 3L), List.of(s.numberOf("alice", "autotopup:alice:1:" + t),
        s.numberOf("alice", "autotopup:alice:12:" + t), s.numberOf("alice", "autotopup:alice:3:-5")));
    for (String other : List.of(AutoTopUpState.first(small(), T0).nextId("alice:1", T0), "autotopup:alice:1",
        "autotopup:alice:01:" + t, "autotopup:alice:13:" + t, "autotopup:alice:1:0" + t, "autotopup:alice:",
        "autotopup:alice:1:" + t + "x", "autotopup:alice:-1:" + t, "autotopup:alicia:1:" + t,
        "autotopup:alice:99999999999999999999:" + t, "autotopup:alice:1:" + t + ":" + t)) {
      assertEquals(0, s.numberOf("alice", other), other);
    }
  }

  /**
   * A wallet lost and opened again starts counting at 1 again: its request ids still differ from
   * the lost wallet's, so the provider cannot answer the new request with the old payment.
   */
  @Test
  void aWalletOpenedAgainAfterItsStoreLostItNeverRepeatsARequestId() {
    openWith(small());
    assertTrue(spend("20", T0.plusSeconds(1)));
    CreditGate fresh = CreditGate.builder(InMemoryWalletStore.create()).eventSink(sink)
        .costTable(defaultCostsPlusUnit()).build();
    Instant later = T0.plus(Duration.ofDays(1));
    fresh.openWallet(ALICE, ZoneOffset.UTC, later);
    fresh.setAutoTopUp(ALICE, Optional.of(small()), key(), later);
    assertTrue(fresh.charge(ALICE, UNIT, 20_000, key(), later.plusSeconds(1)).isAllowed());
    assertEquals(List.of(id(1, T0.plusSeconds(1)), id(1, later.plusSeconds(1))), requested().stream()
        .map(WalletEvent.AutoTopUpRequested::request).toList());
  }


  @Test
  void settingARuleWithTheCreditsAlreadyAtOrUnderTheThresholdRequestsInItsOwnCommit() {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    assertTrue(spend("30", T0.plusSeconds(1)));
    AutoTopUpStatus set = gate.setAutoTopUp(ALICE, Optional.of(small()), key(), T0.plusSeconds(2));
    assertEquals(Optional.of(new AutoTopUpStatus.OpenRequest(requestId(1), "small", Credits.of(100), Money.usd("10"),
        T0.plusSeconds(2))), set.open());
    assertEquals(List.of(T0.plusSeconds(2)), requested().stream().map(WalletEvent.AutoTopUpRequested::at).toList());
  }

  /**
   * A wallet spent to zero whose request was declined: after the back-off every charge is denied
   * and writes nothing. The host asks again by setting the rule in force again, which keeps the
   * decline streak (so the decline limit still switches it off); a new rule set within the
   * back-off requests nothing before its end.
   */
  @Test
  void aWalletStuckAtZeroIsAskedAgainBySettingTheRuleInForce_theStreakStays_notWithinTheBackoff() {
    Duration backoff = Duration.ofHours(1);
    AutoTopUp rule = small().withBackoff(backoff).withDeclineLimit(2);
    openWith(rule);
    assertTrue(spend("20", T0.plusSeconds(1)));
    assertTrue(spend("10", T0.plusSeconds(2)));
    gate.declineAutoTopUp(ALICE, requestId(1), "card_declined", key(), T0.plusSeconds(3));
    Instant end = T0.plusSeconds(3).plus(backoff);
    AutoTopUp another = AutoTopUp.withPack("small", Credits.of(10), Money.usd("40"), 3).withBackoff(backoff)
        .withDeclineLimit(2);
    AutoTopUpStatus within = gate.setAutoTopUp(ALICE, Optional.of(another), key(), end.minusNanos(1));
    assertEquals(List.of(Optional.empty(), 0, Optional.of(end)), List.of(within.open(), within.declinesInARow(),
        within.retryNotBefore()), "a new rule: the streak afresh, the back-off kept, no request");
    gate.setAutoTopUp(ALICE, Optional.of(rule), key(), end.minusNanos(1));
    assertFalse(spend("1", end));
    assertEquals(1, requested().size(), "a denial writes nothing");
    AutoTopUpStatus again = gate.setAutoTopUp(ALICE, Optional.of(rule), key(), end.plusSeconds(1));
    assertTrue(again.open().isPresent());
    assertEquals(2, requested().size());
    gate.declineAutoTopUp(ALICE, requestId(2), "card_declined", key(), end.plusSeconds(2));
    AutoTopUpStatus third = gate.setAutoTopUp(ALICE, Optional.of(rule), key(), end.plus(backoff).plusSeconds(2));
    assertEquals(1, third.declinesInARow(), "the rule in force set again keeps the streak");
    gate.declineAutoTopUp(ALICE, requestId(3), "card_declined", key(), end.plus(backoff).plusSeconds(3));
    assertTrue(status(end.plus(backoff).plusSeconds(3)).switchedOff(), "the decline limit still holds");
  }

  /** Set again after switching itself off, a rule counts its declines afresh: one decline leaves it on. */
  @Test
  void reEnabledAfterASwitchOff_oneDeclineLeavesItOnWithAStreakOfOne() {
    Duration backoff = Duration.ofMinutes(1);
    openWith(small().withBackoff(backoff).withDeclineLimit(2));
    assertTrue(spend("20", T0.plusSeconds(1)));
    gate.declineAutoTopUp(ALICE, requestId(1), "x", key(), T0.plusSeconds(2));
    assertTrue(spend("1", T0.plusSeconds(100)));
    assertTrue(gate.declineAutoTopUp(ALICE, requestId(2), "x", key(), T0.plusSeconds(101)).switchedOff());
    gate.setAutoTopUp(ALICE, Optional.of(small().withBackoff(backoff).withDeclineLimit(2)), key(), T0.plusSeconds(200));
    AutoTopUpStatus s = gate.declineAutoTopUp(ALICE, requestId(3), "x", key(), T0.plusSeconds(201));
    assertEquals(List.of(true, 1, false), List.of(s.rule().isPresent(), s.declinesInARow(), s.switchedOff()));
  }

  /** A refusal is told once per crossing and again in the next period, though no grant re-armed it. */
  @Test
  void aRefusalIsToldAgainInTheNextPeriod() {
    openWith(AutoTopUp.toBalance(Credits.of(200), Credits.of(10), Money.usd("5"), 3));
    assertTrue(spend("20", T0.plusSeconds(1)), "190 to restore: $19, beyond $5");
    assertEquals(1, sink.of(WalletEvent.AutoTopUpRefused.class).size());
    Instant renewal = gate.status(ALICE, T0).nextRenewal();
    assertTrue(spend("20", renewal.plusSeconds(1)), "30 renewed -> 10");
    assertEquals(List.of(AutoTopUp.Limit.AMOUNT, AutoTopUp.Limit.AMOUNT), sink.of(WalletEvent.AutoTopUpRefused.class)
        .stream().map(WalletEvent.AutoTopUpRefused::limit).toList());
    assertEquals(List.of(), requested());
  }

  /**
   * The catalog changed under a rule: a pack no longer sold, or no custom packs, makes no request
   * and no refusal; custom terms whose largest pack falls short buy that one; terms in another
   * currency than the limit's are refused on the money.
   */
  @Test
  void underAChangedCatalogARequestIsSkipped_capped_orRefusedOnItsCurrency() {
    openWith(small());
    assertTrue(redeployed(null).charge(ALICE, UNIT, 20_000, key(), T0.plusSeconds(1)).isAllowed());
    assertEquals(List.of(), requested());
    assertEquals(List.of(), sink.of(WalletEvent.AutoTopUpRefused.class));
    gate.setAutoTopUp(ALICE, Optional.of(AutoTopUp.toBalance(Credits.of(100), Credits.of(10), Money.usd("50"), 3)),
        key(), T0.plusSeconds(2));
    assertEquals(1, requested().size(), "10 left: asked at once");
    WalletEvent.AutoTopUpRequested r = requested().get(0);
    assertEquals(List.of("custom", Credits.of(90), Money.usd("9")), List.of(r.pack(), r.credits(), r.price()));
    gate.declineAutoTopUp(ALICE, r.request(), "x", key(), T0.plusSeconds(3));
    Instant later = T0.plusSeconds(3).plus(AutoTopUp.DEFAULT_BACKOFF);
    CreditGate capped = redeployed(null, new dev.creditgate.model.CustomPackTerms(Money.usd("5"), Money.usd("8"),
        Credits.of(10)));
    assertTrue(capped.charge(ALICE, UNIT, 1_000, key(), later).isAllowed());
    assertEquals(List.of("custom", Credits.of(80), Money.usd("8")), List.of(requested().get(1).pack(),
        requested().get(1).credits(), requested().get(1).price()), "91 short: the largest, 80 for $8");
    capped.declineAutoTopUp(ALICE, requested().get(1).request(), "x", key(), later.plusSeconds(1));
    CreditGate euros = redeployed(null, new dev.creditgate.model.CustomPackTerms(Money.of("5", "EUR"),
        Money.of("1000", "EUR"), Credits.of(10)));
    assertTrue(euros.charge(ALICE, UNIT, 1_000, key(), later.plus(AutoTopUp.DEFAULT_BACKOFF).plusSeconds(1))
        .isAllowed());
    assertEquals(2, requested().size());
    assertEquals(List.of(AutoTopUp.Limit.AMOUNT), sink.of(WalletEvent.AutoTopUpRefused.class).stream()
        .map(WalletEvent.AutoTopUpRefused::limit).toList());
  }
}
