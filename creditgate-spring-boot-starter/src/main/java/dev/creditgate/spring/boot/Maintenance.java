package dev.creditgate.spring.boot;

import dev.creditgate.CreditGate;
import dev.creditgate.spring.boot.CreditGateProperties.EventsProperties;
import dev.creditgate.spring.boot.CreditGateProperties.HoldsProperties;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the gate's two chores on one daemon thread while the context runs: the event relay
 * ({@link CreditGate#deliverPendingEvents}) and the hold sweep ({@link CreditGate#expireHolds()}).
 * A run that fails (a listener's {@code Error} included) is logged and the next one runs as
 * planned; both are safe on every instance at once. Stopping waits up to 5 seconds for a run under
 * way, then interrupts it: what it had not handed over, a later run hands over (at least once).
 */
final class Maintenance implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
  private static final long STOP_WAIT_SECONDS = 5;

  private final CreditGate gate;
  private final EventsProperties events;
  private final HoldsProperties holds;
  private @Nullable ScheduledExecutorService executor;

  Maintenance(CreditGate gate, EventsProperties events, HoldsProperties holds) {
    refuseNegative("creditgate.events.relay-interval", events.relayInterval());
    refuseNegative("creditgate.holds.expiry-interval", holds.expiryInterval());
    if (events.relayBatch() < 1) {
      throw new InvalidConfigurationPropertyValueException("creditgate.events.relay-batch", events.relayBatch(),
          "a relay run must hand over at least 1 event");
    }
    this.gate = gate;
    this.events = events;
    this.holds = holds;
  }

  @Override
  public synchronized void start() {
    if (executor != null) {
      return;
    }
    ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "creditgate-maintenance");
      thread.setDaemon(true);
      return thread;
    });
    schedule(started, events.relayInterval(), "event relay", () -> gate.deliverPendingEvents(events.relayBatch()));
    schedule(started, holds.expiryInterval(), "hold sweep", gate::expireHolds);
    executor = started;
  }

  private static void refuseNegative(String property, Duration interval) {
    if (interval.isNegative()) {
      throw new InvalidConfigurationPropertyValueException(property, interval, "an interval must be zero (off) or positive");
    }
  }

  private static void schedule(ScheduledExecutorService executor, Duration interval, String chore, Runnable run) {
    if (interval.isZero()) {
      return;
    }
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(() -> {
      try {
        run.run();
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        // Anything else escaping would cancel the schedule for good, silently.
        LOG.warn("creditgate {} failed; the next run is in {}", chore, interval, e);
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    ScheduledExecutorService running = executor;
    if (running == null) {
      return;
    }
    executor = null;
    running.shutdown();
    try {
      if (!running.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        running.shutdownNow();
      }
    } catch (InterruptedException e) {
      running.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }
}
