package dev.creditgate.spi;

import dev.creditgate.model.WalletEvent;

/**
 * Receives the events of committed changes: warnings at the thresholds, grants, renewals,
 * expiries, plan changes. Called on the thread that made the change, after the commit, in order
 * per change. A sink that throws is logged and ignored: it can never undo or fail a charge.
 * Implementations must be thread-safe and should return quickly (hand off slow work).
 */
@FunctionalInterface
public interface EventSink {

  void publish(WalletEvent event);

  /** A sink that drops every event. */
  static EventSink discarding() {
    return event -> { };
  }
}
