package dev.creditgate.spi;

import dev.creditgate.model.EventId;
import dev.creditgate.model.WalletEvent;

/**
 * Receives the events of committed changes: warnings at the thresholds, grants, renewals,
 * expiries, plan changes, members added and removed.
 *
 * <p><b>Delivery guarantee.</b> Every event of a committed change reaches the sink at least once,
 * and each account's events reach it in sequence order: an event is handed over only after every
 * earlier event of its account was accepted, so a sink that drops the ids it has already seen
 * sees each event once, in order.
 *
 * <p>Every event is recorded in the store's outbox in the same commit as the change that caused
 * it. The gate hands a call's events to the sink on the caller's thread right after the commit;
 * what it could not deliver then (the sink threw, the reply to the commit was lost, the process
 * stopped) it delivers when the host runs {@code CreditGate.deliverPendingEvents}. A publish that
 * returns normally counts as delivered; one that throws anything (a checked exception thrown
 * sneakily, an {@code Error}) is logged, never fails or undoes the call, and is retried later,
 * before the account's later events. Implementations must be thread-safe and should return
 * quickly (hand off slow work): a store may hold resources while its sink runs (the PostgreSQL
 * store holds a connection and the account's lock), so a sink must not call the gate back.
 */
@FunctionalInterface
public interface EventSink {

  /**
   * Receives one event of a committed change.
   *
   * @param id the event's stable id (its account and sequence number), the same on every
   *     redelivery: deduplicate on it
   * @param event the event
   */
  void publish(EventId id, WalletEvent event);

  /**
   * A sink that drops every event.
   *
   * @return a sink whose {@link #publish} does nothing (every event counts as delivered)
   */
  static EventSink discarding() {
    return (id, event) -> { };
  }
}
