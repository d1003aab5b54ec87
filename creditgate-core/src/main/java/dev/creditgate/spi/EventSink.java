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

  /**
   * Receives one event of a committed change. A {@code RuntimeException} it throws is logged
   * and dropped, and the next event is still published; the change stands.
   *
   * @param event the event, never null
   */
  void publish(WalletEvent event);

  /**
   * A sink that drops every event.
   *
   * @return a sink whose {@link #publish} does nothing
   */
  static EventSink discarding() {
    return event -> { };
  }
}
