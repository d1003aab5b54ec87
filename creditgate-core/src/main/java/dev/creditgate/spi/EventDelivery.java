package dev.creditgate.spi;

import java.util.List;

/**
 * What a store's outbox hands undelivered events to: the gate's delivery to its
 * {@link EventSink}. A store calls it with one account's undelivered events at a time, in sequence
 * order, and marks delivered the ones it reports.
 */
@FunctionalInterface
public interface EventDelivery {

  /**
   * Delivers {@code events}, in order, and stops at the first that could not be delivered: the
   * events after it wait, so that an account's events are never handed over out of order.
   *
   * @param events undelivered events of one account, in sequence order, at least one
   * @return how many of {@code events}, from the first, were delivered (0 to {@code events.size()});
   *     the store marks exactly those delivered
   */
  int deliver(List<OutboxEvent> events);
}
