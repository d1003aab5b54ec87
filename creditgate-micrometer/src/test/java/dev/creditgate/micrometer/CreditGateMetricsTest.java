package dev.creditgate.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.UnknownAccountException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each meter holds the exact count or amount of a scripted sequence; a failing registry breaks no call. */
class CreditGateMetricsTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  /** After the first renewal (monthly, from T0). */
  private static final Instant T1 = T0.plus(Duration.ofDays(32));
  private static final AccountId MAYA = AccountId.of("maya");
  private static final Operation IMAGE = Operation.GENERATE_IMAGE;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static IdempotencyKey key(String k) {
    return IdempotencyKey.of(k);
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private long calls(String call, String outcome) {
    return registry.get(CreditGateMetrics.CALLS).tags("call", call, "outcome", outcome).timer().count();
  }

  private double openHolds() {
    return registry.get(CreditGateMetrics.HOLDS_OPEN).gauge().value();
  }

  @Test
  void aPromotionIsCountedWhenGrantedAndWhatIsLeftWhenItExpires() {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).observer(new CreditGateMetrics(registry)).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    gate.grantPromotion(MAYA, Credits.of(20), T0.plus(Duration.ofDays(3)), "welcome bonus", key("welcome"), T0);
    // 30 subscription credits go first, then 6 of the promotion's 20.
    gate.charge(MAYA, IMAGE, 18, key("images"), T0);
    gate.status(MAYA, T0.plus(Duration.ofDays(4)));                               // a read records no expiry
    assertTrue(registry.find(CreditGateMetrics.CREDITS_EXPIRED).counters().isEmpty());
    gate.topUp(MAYA, "small", key("pay-1"), T0.plus(Duration.ofDays(4)));         // the next write records it
    assertEquals(20, count(CreditGateMetrics.CREDITS_GRANTED, "source", "promotion"));
    assertEquals(14, count(CreditGateMetrics.CREDITS_EXPIRED, "source", "promotion"));
  }

  @Test
  void afterAScriptedSequenceEachMeterHoldsTheExactCountOrAmount() {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create())
        .observer(new CreditGateMetrics(registry, Tags.of("service", "test"))).build();
    // Free plan: 30 credits; warnings at 20% and 0%.
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    gate.charge(MAYA, IMAGE, 10, key("c1"), T0);                                  // 20 -> 10 left
    gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 2_000, key("c2"), T0);           // 0.3 -> 9.7 left
    assertFalse(gate.charge(MAYA, IMAGE, 5, key("c3"), T0).isAllowed());           // 10 > 9.7: denied
    gate.charge(MAYA, IMAGE, 10, key("c1"), T0);                                  // a repeat: answered, not spent
    gate.topUp(MAYA, "small", key("pay-1"), T0);                                  // +100 -> 109.7
    gate.check(MAYA, Operation.VIEW_DATA, 1, T0);                                 // free
    gate.charge(MAYA, Operation.VIEW_DATA, 1, key("free-1"), T0);                 // free, writes nothing
    gate.reserve(MAYA, IMAGE, 3, key("h1"), T0);                                  // holds 6
    assertEquals(1.0, openHolds());
    gate.capture(MAYA, key("h1"), 2, Outcome.succeeded(), key("cap-1"), T0);      // 4 -> 105.7
    gate.reserve(MAYA, IMAGE, 1, key("h2"), T0);
    gate.release(MAYA, key("h2"), key("rel-1"), T0);
    // The renewal lands with the next charge: 5.7 subscription credits lapse, 30 are granted.
    gate.charge(MAYA, IMAGE, 1, key("c4"), T1);                                   // 2 -> 128 of 130
    gate.charge(MAYA, IMAGE, 53, key("c5"), T1);                                  // 106 -> 22: under 20%
    assertThrows(UnknownAccountException.class, () -> gate.charge(AccountId.of("ghost"), IMAGE, 1, key("g"), T1));

    String d = CreditGateMetrics.DECISIONS;
    // c1, its repeat (an answer given again), c4 and c5.
    assertEquals(4, count(d, "call", "charge", "operation", "generate-image", "result", "allowed", "reason", "none"));
    assertEquals(1, count(d, "call", "charge", "operation", "ai-chat-message", "result", "allowed"));
    assertEquals(1, count(d, "call", "charge", "operation", "generate-image", "result", "denied",
        "reason", "insufficient_credits"));
    assertEquals(1, count(d, "call", "check", "operation", "view-data", "result", "allowed"));
    assertEquals(1, count(d, "call", "charge", "operation", "view-data", "result", "allowed"));
    assertEquals(2, count(d, "call", "reserve", "operation", "generate-image", "result", "allowed"));
    assertEquals(1, count(CreditGateMetrics.SETTLEMENTS, "call", "capture", "operation", "generate-image"));
    assertEquals(1, count(CreditGateMetrics.SETTLEMENTS, "call", "release", "operation", "generate-image"));

    assertEquals(20 + 4 + 2 + 106, count(CreditGateMetrics.CREDITS_SPENT, "operation", "generate-image"));
    assertEquals(0.3, count(CreditGateMetrics.CREDITS_SPENT, "operation", "ai-chat-message"), 1e-9);
    assertEquals(100, count(CreditGateMetrics.CREDITS_GRANTED, "source", "pack"));
    assertEquals(30, count(CreditGateMetrics.CREDITS_GRANTED, "source", "subscription"));
    assertEquals(5.7, count(CreditGateMetrics.CREDITS_EXPIRED, "source", "subscription"), 1e-9);
    assertEquals(1, count(CreditGateMetrics.THRESHOLDS_CROSSED, "percent", "20"));
    assertTrue(registry.find(CreditGateMetrics.THRESHOLDS_CROSSED).tags("percent", "0").counters().isEmpty());

    assertEquals(2, count(CreditGateMetrics.HOLDS_OPENED));
    assertEquals(2, count(CreditGateMetrics.HOLDS_CLOSED));
    assertEquals(0.0, openHolds());

    assertEquals(1, calls("open", "ok"));
    assertEquals(7, calls("charge", "ok"));
    assertEquals(1, calls("charge", "error"));
    assertEquals(1, calls("check", "ok"));
    assertEquals(1, calls("top_up", "ok"));
    assertEquals(2, calls("reserve", "ok"));
    assertEquals(1, calls("capture", "ok"));
    assertEquals(1, calls("release", "ok"));
    assertTrue(registry.find(CreditGateMetrics.STORE_RETRIES).counters().isEmpty(), "no retries were needed");

    // No meter is tagged by an account, a key or a hold; each carries the common tag.
    Set<String> keys = new TreeSet<>();
    for (Meter meter : registry.getMeters()) {
      assertTrue(meter.getId().getTags().contains(Tag.of("service", "test")), meter.getId().toString());
      for (Tag tag : meter.getId().getTags()) {
        keys.add(tag.getKey());
        assertFalse(Set.of("maya", "ghost", "c1", "h1", "h2", "pay-1").contains(tag.getValue()), meter.getId().toString());
      }
    }
    assertTrue(Set.of("call", "operation", "outcome", "percent", "reason", "result", "service", "source")
        .containsAll(keys), keys.toString());
  }

  @Test
  void theWarningsInCreditsTheDepletionAndTheExpiryWarningAreEachCountedOnce() {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).warnAt().warnBelow(Credits.of(5))
        .warnWhenDepleted(true).warnBeforeExpiry(Duration.ofDays(3))
        .observer(new CreditGateMetrics(registry, Tags.of("service", "test"))).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    gate.grantPromotion(MAYA, Credits.of(2), T0.plus(Duration.ofDays(1)), "sorry", key("sorry"), T0); // warned
    gate.charge(MAYA, IMAGE, 14, key("c1"), T0);                                  // 28 -> 4 left: under 5
    gate.charge(MAYA, IMAGE, 1, key("c2"), T0);                                   // 2 -> 2 left: still under
    gate.charge(MAYA, IMAGE, 1, key("c3"), T0);                                   // 2 -> 0: depleted
    assertFalse(gate.charge(MAYA, IMAGE, 1, key("c4"), T0).isAllowed());
    assertEquals(1, count(CreditGateMetrics.BALANCE_BELOW, "threshold", "5"));
    assertEquals(1, count(CreditGateMetrics.DEPLETIONS));
    assertEquals(1, count(CreditGateMetrics.PROMOTIONS_EXPIRING));
    assertTrue(registry.find(CreditGateMetrics.THRESHOLDS_CROSSED).counters().isEmpty());
  }

  @Test
  void aLostRaceAndAStoreFailureAreCountedByKind() {
    AtomicInteger losses = new AtomicInteger();
    CreditGate gate = CreditGate.builder(new ForwardingWalletStore(InMemoryWalletStore.create()) {
      @Override
      public boolean commit(Commit commit) {
        return losses.getAndUpdate(n -> Math.max(0, n - 1)) == 0 && super.commit(commit);
      }

      @Override
      public Optional<WalletTransaction> transaction() {
        return Optional.empty();
      }
    }).observer(new CreditGateMetrics(registry)).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    losses.set(2);
    assertInstanceOf(Decision.Allowed.class, gate.charge(MAYA, IMAGE, 1, key("c1"), T0));
    assertEquals(2, count(CreditGateMetrics.STORE_RETRIES, "kind", "lost_race"));
    assertEquals(2, gate.retryStatistics().lostRaces());
  }

  /** A registry whose counters and timers cannot be made: each attempt throws. */
  private static final class FailingRegistry extends SimpleMeterRegistry {
    final AtomicInteger refused = new AtomicInteger();

    @Override
    protected Counter newCounter(Meter.Id id) {
      refused.incrementAndGet();
      throw new IllegalStateException("metrics backend down");
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
      refused.incrementAndGet();
      throw new IllegalStateException("metrics backend down");
    }
  }

  @Test
  void aRegistryWhoseMetersThrowDoesNotBreakACharge() {
    FailingRegistry failing = new FailingRegistry();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create())
        .observer(new CreditGateMetrics(failing)).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    Decision charged = gate.charge(MAYA, IMAGE, 10, key("c1"), T0);
    assertInstanceOf(Decision.Allowed.class, charged);
    // The charge committed: the balance shows it, the ledger agrees, a repeat replays it.
    assertEquals(Credits.of(10), gate.status(MAYA, T0).available());
    assertTrue(gate.replay(MAYA).isConsistent());
    assertEquals(charged, gate.charge(MAYA, IMAGE, 10, key("c1"), T0));
    // The registry was asked, and refused: the open's timer, the charge's spent, decision and
    // timer, the repeat's decision (its timer already refused: asked again).
    assertTrue(failing.refused.get() >= 5, failing.refused.toString());
    assertTrue(failing.find(CreditGateMetrics.DECISIONS).counters().isEmpty(), "no meter could be made");
  }
}
