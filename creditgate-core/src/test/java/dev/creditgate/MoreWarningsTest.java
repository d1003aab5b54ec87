package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.UNIT;
import static dev.creditgate.GateTestKit.defaultCostsPlusUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The warnings besides the percent thresholds (docs/gate.md, "Meter and warnings"): absolute
 * thresholds ({@code warnBelow}), the depletion ({@code warnWhenDepleted}) and a promotional
 * grant's expiry warning ({@code warnBeforeExpiry}). Each once per crossing, nothing on a denial,
 * one event however many calls cross at once.
 */
class MoreWarningsTest {
  private static final AccountId ALICE = AccountId.of("alice");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();
  private int keys;

  private CreditGateBuilder builder() {
    return CreditGate.builder(store).eventSink(sink).costTable(defaultCostsPlusUnit()).warnAt();
  }

  private IdempotencyKey key() {
    return IdempotencyKey.of("k" + ++keys);
  }

  /** Charges exactly {@code credits} (the test-only unit costs 0.001 each); true if allowed. */
  private boolean spend(CreditGate gate, String credits, Instant at) {
    return gate.charge(ALICE, UNIT, Credits.parse(credits).thousandths(), key(), at).isAllowed();
  }

  private List<Credits> below() {
    return sink.of(WalletEvent.BalanceBelow.class).stream().map(WalletEvent.BalanceBelow::threshold).toList();
  }

  @Test
  void anAbsoluteThresholdWarnsOnceWhenAvailableFallsToIt_notAgainUnderIt_againAfterAGrantLiftsItAbove() {
    CreditGate gate = builder().warnBelow(Credits.of(5)).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0); // Free: 30 credits
    assertTrue(spend(gate, "24.999", T0));
    assertEquals(List.of(), below(), "5.001 left is above 5");
    assertTrue(spend(gate, "0.001", T0));
    assertEquals(List.of(new WalletEvent.BalanceBelow(ALICE, T0, Credits.of(5), Credits.of(5))),
        sink.of(WalletEvent.BalanceBelow.class), "at 5 exactly: to or under");
    assertTrue(spend(gate, "1", T0));
    assertEquals(List.of(Credits.of(5)), below(), "not again while under it");

    gate.adjust(ALICE, Credits.of(1), "goodwill", key(), T0); // 5 left: not above 5, still armed off
    assertTrue(spend(gate, "1", T0));
    assertEquals(List.of(Credits.of(5)), below(), "a grant that did not lift it above 5 re-arms nothing");
    gate.adjust(ALICE, Credits.of(2), "goodwill", key(), T0); // 6 left
    assertTrue(spend(gate, "1", T0));
    assertEquals(List.of(Credits.of(5), Credits.of(5)), below(), "lifted above 5, then crossed again");
  }

  @Test
  void absoluteThresholdsCrossedByOneSpendWarnHighestFirst_besideThePercentOnes() {
    CreditGate gate = builder().warnAt(20).warnBelow(Credits.of(2), Credits.of(10)).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    assertTrue(spend(gate, "29", T0)); // 1 left: under 20% (6), 10 and 2
    assertEquals(List.of(Credits.of(10), Credits.of(2)), below());
    assertEquals(List.of(20), sink.warnings(ALICE));
    List<Class<?>> kinds = sink.events.stream().<Class<?>>map(Object::getClass)
        .filter(k -> k != WalletEvent.SubscriptionRenewed.class).toList();
    assertEquals(List.of(WalletEvent.ThresholdCrossed.class, WalletEvent.BalanceBelow.class,
        WalletEvent.BalanceBelow.class), kinds, "percents come first: " + sink.events);
  }

  @Test
  void aDeniedChargePublishesNoWarning() {
    CreditGate gate = builder().warnBelow(Credits.of(5)).warnWhenDepleted(true).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    sink.clear();
    assertFalse(spend(gate, "31", T0));
    assertEquals(List.of(), sink.events);
  }

  @Test
  void theDepletionIsOffByDefault() {
    CreditGate gate = builder().build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    assertTrue(spend(gate, "30", T0));
    assertEquals(List.of(), sink.of(WalletEvent.CreditsDepleted.class));
  }

  @Test
  void theDepletionIsPublishedOncePerDepletion_aGrantAboveZeroReArmsIt_aRenewalToo() {
    CreditGate gate = builder().warnWhenDepleted(true).overdraft(OverdraftPolicy.downTo(Credits.of(10))).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    assertTrue(spend(gate, "29.999", T0));
    assertEquals(List.of(), sink.of(WalletEvent.CreditsDepleted.class), "0.001 left is not depleted");
    assertTrue(spend(gate, "0.001", T0));
    assertEquals(List.of(new WalletEvent.CreditsDepleted(ALICE, T0, Credits.ZERO)),
        sink.of(WalletEvent.CreditsDepleted.class));
    gate.adjust(ALICE, Credits.of(3), "goodwill", key(), T0); // 3 left: above zero, re-armed
    assertTrue(spend(gate, "5", T0)); // an overdraft to -2
    assertEquals(new WalletEvent.CreditsDepleted(ALICE, T0, Credits.of(-2)),
        sink.of(WalletEvent.CreditsDepleted.class).get(1), "lifted above zero, then depleted again");
    gate.adjust(ALICE, Credits.of(2), "goodwill", key(), T0); // the debt repaid: back to 0
    gate.adjust(ALICE, Credits.of(1), "goodwill", key(), T0);
    assertTrue(spend(gate, "1", T0));
    assertEquals(3, sink.of(WalletEvent.CreditsDepleted.class).size());

    Instant nextPeriod = gate.status(ALICE, T0).nextRenewal().plusSeconds(1);
    assertTrue(spend(gate, "30", nextPeriod));
    assertEquals(4, sink.of(WalletEvent.CreditsDepleted.class).size(), "a new period arms it afresh");
  }

  @Test
  void aCaptureThatLeavesADepletedWalletDepletedPublishesNothingMore() {
    CreditGate gate = builder().warnWhenDepleted(true).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.reserve(ALICE, UNIT, 2_000, IdempotencyKey.of("hold"), T0); // 2 held, 28 available
    assertTrue(spend(gate, "28", T0));
    assertEquals(1, sink.of(WalletEvent.CreditsDepleted.class).size(), "nothing available: depleted");
    gate.capture(ALICE, IdempotencyKey.of("hold"), 2_000, dev.creditgate.model.Outcome.succeeded(), key(), T0);
    assertEquals(Credits.ZERO, gate.status(ALICE, T0).available());
    assertEquals(1, sink.of(WalletEvent.CreditsDepleted.class).size(), "not again while at or under zero");
  }

  @Test
  void manyThreadsCallingWithinTheLeadTimeAtOnceMakeOneExpiryWarning() throws Exception {
    CreditGate gate = builder().warnBeforeExpiry(Duration.ofDays(3)).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    Instant expiry = T0.plus(Duration.ofDays(10));
    gate.grantPromotion(ALICE, Credits.of(20), expiry, "welcome", IdempotencyKey.of("welcome"), T0);
    Instant within = expiry.minus(Duration.ofDays(2));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String k = "thread-" + t;
        results.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return gate.charge(ALICE, UNIT, 1_000, IdempotencyKey.of(k), within).isAllowed();
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
    assertEquals(List.of(new WalletEvent.PromotionExpiring(ALICE, within, "promo:welcome", Credits.of(20), expiry)),
        expiring());
  }

  @Test
  void theRaisedWarningsWithTheDepletionBitSurviveTheWalletFormat() {
    Wallet open = Wallet.open(ALICE, dev.creditgate.model.Catalog.defaults().startingPlan(), ZoneOffset.UTC, T0)
        .wallet();
    Wallet w = new Wallet(open.account(), open.planId(), open.renewalPlanId(), open.schedule(), open.period(),
        open.subscription(), open.packs(), open.holds(), open.debt(), open.reference(),
        WalletRules.DEPLETED_BIT | 0b101, open.refunded(), open.team(), open.eventsRecorded(), open.usage(),
        open.promotions(), open.autoTopUp());
    assertEquals(w, WalletCodec.decode(WalletCodec.encode(w)));
  }

  private List<WalletEvent.PromotionExpiring> expiring() {
    return sink.of(WalletEvent.PromotionExpiring.class);
  }

  @Test
  void anExpiryWarningIsPublishedOnceByTheFirstCallWithinTheLeadTime() {
    CreditGate gate = builder().warnBeforeExpiry(Duration.ofDays(3)).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    Instant expiry = T0.plus(Duration.ofDays(10));
    gate.grantPromotion(ALICE, Credits.of(20), expiry, "welcome", IdempotencyKey.of("welcome"), T0);
    Instant justBefore = expiry.minus(Duration.ofDays(3)).minusSeconds(1);
    assertTrue(spend(gate, "1", justBefore));
    assertEquals(List.of(), expiring(), "not yet within 3 days");
    gate.status(ALICE, expiry.minus(Duration.ofDays(3)));
    assertEquals(List.of(), expiring(), "a read commits nothing, so warns of nothing");

    Instant leadStart = expiry.minus(Duration.ofDays(3));
    assertTrue(spend(gate, "31", leadStart)); // 29 subscription, 2 of the promotion
    assertEquals(List.of(new WalletEvent.PromotionExpiring(ALICE, leadStart, "promo:welcome", Credits.of(20),
        expiry)), expiring(), "dated at the call, with what was left before it spent");
    assertTrue(spend(gate, "1", leadStart.plusSeconds(60)));
    assertEquals(1, expiring().size(), "once per grant");
    assertTrue(gate.status(ALICE, expiry.minusSeconds(1)).promotions().stream()
        .anyMatch(p -> p.grant().equals("promo:welcome")));
  }

  @Test
  void aDeniedCallCommitsNoExpiryWarning_theNextAllowedOneDoes() {
    CreditGate gate = builder().warnBeforeExpiry(Duration.ofDays(3)).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    Instant expiry = T0.plus(Duration.ofDays(10));
    gate.grantPromotion(ALICE, Credits.of(5), expiry, "welcome", IdempotencyKey.of("welcome"), T0);
    Instant within = expiry.minus(Duration.ofDays(1));
    assertFalse(spend(gate, "100", within));
    assertEquals(List.of(), expiring());
    assertTrue(spend(gate, "1", within));
    assertEquals(1, expiring().size());
  }

  @Test
  void aGrantAlreadyWithinTheLeadTimeIsWarnedAtOnce_oneFoundExpiredIsNotWarned() {
    CreditGate gate = builder().warnBeforeExpiry(Duration.ofDays(3)).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    gate.grantPromotion(ALICE, Credits.of(5), T0.plus(Duration.ofDays(1)), "sorry", IdempotencyKey.of("sorry"), T0);
    assertEquals(List.of(new WalletEvent.PromotionExpiring(ALICE, T0, "promo:sorry", Credits.of(5),
        T0.plus(Duration.ofDays(1)))), expiring());

    CreditGate other = builder().warnBeforeExpiry(Duration.ofDays(3)).build();
    AccountId bob = AccountId.of("bob");
    other.openWallet(bob, ZoneOffset.UTC, T0);
    Instant expiry = T0.plus(Duration.ofDays(10));
    other.grantPromotion(bob, Credits.of(5), expiry, "welcome", IdempotencyKey.of("bob-welcome"), T0);
    assertTrue(other.charge(bob, UNIT, 1, key(), expiry).isAllowed()); // first call: at the expiry
    assertEquals(1, expiring().size(), "bob's expired unwarned: only the expiry is published");
    assertEquals(List.of(new WalletEvent.PromotionExpired(bob, expiry, "promo:bob-welcome", Credits.of(5))),
        sink.of(WalletEvent.PromotionExpired.class));
  }

  @Test
  void noLeadTimeWarnsOfNoExpiry() {
    CreditGate gate = builder().build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    Instant expiry = T0.plus(Duration.ofDays(1));
    gate.grantPromotion(ALICE, Credits.of(5), expiry, "welcome", IdempotencyKey.of("welcome"), T0);
    assertTrue(spend(gate, "1", expiry.minusSeconds(1)));
    assertEquals(List.of(), expiring());
  }

  @Test
  void theBuilderRefusesBadWarnings_namingTheValue() {
    CreditGateBuilder b = builder();
    assertTrue(assertThrows(InvalidRequestException.class, () -> b.warnBelow(Credits.of(-1))).getMessage()
        .contains("-1"));
    assertTrue(assertThrows(InvalidRequestException.class, () -> b.warnBelow(Credits.of(5), Credits.of(5)))
        .getMessage().contains("5 appears twice"));
    assertThrows(InvalidRequestException.class, () -> b.warnBelow((Credits) null));
    Credits[] many = new Credits[30];
    for (int i = 0; i < many.length; i++) {
      many[i] = Credits.of(i);
    }
    b.warnAt(20, 0);
    assertTrue(assertThrows(InvalidRequestException.class, () -> b.warnBelow(many)).getMessage()
        .contains("30 amounts and 2 percents"));
    b.warnAt(20);
    b.warnBelow(many);
    assertThrows(InvalidRequestException.class, () -> b.warnAt(20, 0));
    assertTrue(assertThrows(InvalidRequestException.class, () -> b.warnBeforeExpiry(Duration.ofSeconds(-1)))
        .getMessage().contains("PT-1S"));
    assertTrue(assertThrows(InvalidRequestException.class, () -> b.warnBeforeExpiry(Duration.ofDays(366)))
        .getMessage().contains("PT8784H"));
    b.warnBeforeExpiry(Duration.ofDays(365));
    assertThrows(InvalidRequestException.class, () -> new WalletRules(b.catalog, b.spendOrder, b.overdraft,
        b.upgradePolicy, List.of(20, 0), List.of(many), false, Duration.ZERO));
  }

  @Test
  void manyThreadsCrossingAtOnceMakeOneEventOfEachKind() throws Exception {
    CreditGate gate = builder().warnBelow(Credits.of(10)).warnWhenDepleted(true).build();
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String k = "thread-" + t;
        results.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          // 30 credits, 8 charges of 5: the first 6 are allowed; 10, then 0 are crossed among them.
          return gate.charge(ALICE, UNIT, 5_000, IdempotencyKey.of(k), T0).isAllowed();
        }));
      }
      assertTrue(ready.await(10, TimeUnit.SECONDS));
      go.countDown();
      int allowed = 0;
      for (Future<Boolean> f : results) {
        allowed += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertEquals(6, allowed);
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(List.of(new WalletEvent.BalanceBelow(ALICE, T0, Credits.of(10), Credits.of(10))),
        sink.of(WalletEvent.BalanceBelow.class));
    assertEquals(List.of(new WalletEvent.CreditsDepleted(ALICE, T0, Credits.ZERO)),
        sink.of(WalletEvent.CreditsDepleted.class));
  }
}
