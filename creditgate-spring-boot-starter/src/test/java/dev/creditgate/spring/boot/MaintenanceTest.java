package dev.creditgate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

/** The relay and the sweep the starter runs while the context runs. */
class MaintenanceTest {

  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CreditGateAutoConfiguration.class))
      .withPropertyValues("creditgate.store=memory", "creditgate.events.relay-interval=50ms",
          "creditgate.holds.expiry-interval=50ms");

  @Test
  void anEventWhoseListenerFailedIsHandedOverAgainByTheRelay() {
    runner.withBean(FailingOnce.class).run(context -> {
      CreditGate gate = context.getBean(CreditGate.class);
      gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 13, IdempotencyKey.of("images"), NOW);
      FailingOnce listener = context.getBean(FailingOnce.class);
      assertThat(listener.failed).isTrue();
      awaitUntil(() -> !listener.warnings.isEmpty());
      assertThat(listener.warnings).extracting(WalletEvent.ThresholdCrossed::percent).containsExactly(20);
    });
  }

  /** Throws at its first warning, then keeps them. */
  static class FailingOnce {
    final AtomicBoolean failed = new AtomicBoolean();
    final List<WalletEvent.ThresholdCrossed> warnings = new CopyOnWriteArrayList<>();

    @EventListener
    void on(CreditGateEvent<WalletEvent.ThresholdCrossed> event) {
      if (failed.compareAndSet(false, true)) {
        throw new IllegalStateException("the listener's database is down this once");
      }
      warnings.add(event.event());
    }
  }

  @Test
  void aHoldLeftOpenPastItsTimeToLiveIsExpiredByTheSweep() {
    MovableClock clock = new MovableClock(NOW);
    runner.withBean(Clock.class, () -> clock).run(context -> {
      CreditGate gate = context.getBean(CreditGate.class);
      gate.openWallet(MAYA, ZoneOffset.UTC);
      gate.reserve(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("hold-1"));
      assertThat(gate.status(MAYA).held()).isEqualTo(Credits.of(2));
      clock.now.set(NOW.plus(Duration.ofMinutes(16)));
      awaitUntil(() -> gate.status(MAYA).held().equals(Credits.ZERO));
      assertThat(gate.status(MAYA).balance()).isEqualTo(Credits.of(30));
    });
  }

  @Test
  void theChoresStopWithTheContext() {
    runner.run(context -> assertThat(threadRunning()).isTrue());
    awaitUntil(() -> !threadRunning());
  }

  @Test
  void theServicesOwnMaintenanceBeanReplacesTheChores() {
    runner.withBean("creditGateMaintenance", Object.class, Object::new)
        .run(context -> assertThat(threadRunning()).isFalse());
  }

  @Test
  void aNegativeIntervalStopsStartup() {
    runner.withPropertyValues("creditgate.holds.expiry-interval=-1s").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining("creditgate.holds.expiry-interval");
    });
  }

  private static boolean threadRunning() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(thread -> thread.getName().equals("creditgate-maintenance") && thread.isAlive());
  }

  private static void awaitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    final AtomicReference<Instant> now;

    MovableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
