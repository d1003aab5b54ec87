package dev.creditgate.testkit;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.EventId;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.EventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link EventSink} that records every event it is given, in the order it was given them, for a
 * test to read back. Hand it to the gate under test, make calls, then assert on what was published:
 *
 * <pre>{@code
 * RecordingSink events = new RecordingSink();
 * CreditGate gate = CreditGate.builder(store).eventSink(events).build();
 * gate.topUp(alice, "small", IdempotencyKey.of("pay-1"), now);
 * assertEquals(1, events.events(WalletEvent.CreditsGranted.class).size());
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may publish while others read. Every accessor returns an
 * immutable snapshot, taken atomically, of the events recorded so far; events published by one thread
 * keep that thread's order, and the gate publishes a change's events in order on the thread that made
 * it. Nothing is ever dropped, and an event handed over again (delivery is at least once) is
 * recorded again: {@link #ids()} tells them apart. {@link #clear()} forgets what was recorded.
 */
public final class RecordingSink implements EventSink {
  private final List<WalletEvent> events = new ArrayList<>();
  private final List<EventId> ids = new ArrayList<>();

  /** Records {@code event} and its id. */
  @Override
  public void publish(EventId id, WalletEvent event) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(event, "event");
    synchronized (events) {
      ids.add(id);
      events.add(event);
    }
  }

  /**
   * The ids of the events recorded so far, in the order published (beside {@link #events()}).
   *
   * @return an immutable snapshot
   */
  public List<EventId> ids() {
    synchronized (events) {
      return List.copyOf(ids);
    }
  }

  /**
   * Every event recorded so far, in the order published.
   *
   * @return an immutable snapshot
   */
  public List<WalletEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /**
   * The events of type {@code type} recorded so far, in the order published.
   *
   * @param <E> the event type
   * @param type the event type
   * @return an immutable snapshot
   */
  public <E extends WalletEvent> List<E> events(Class<E> type) {
    Objects.requireNonNull(type, "type");
    List<E> found = new ArrayList<>();
    for (WalletEvent event : events()) {
      if (type.isInstance(event)) {
        found.add(type.cast(event));
      }
    }
    return List.copyOf(found);
  }

  /**
   * The events about {@code account}'s wallet recorded so far, in the order published.
   *
   * @param account the wallet's account (for a team, the team's)
   * @return an immutable snapshot
   */
  public List<WalletEvent> eventsOf(AccountId account) {
    Objects.requireNonNull(account, "account");
    List<WalletEvent> found = new ArrayList<>();
    for (WalletEvent event : events()) {
      if (event.account().equals(account)) {
        found.add(event);
      }
    }
    return List.copyOf(found);
  }

  /**
   * How many events were recorded so far.
   *
   * @return the count
   */
  public int size() {
    synchronized (events) {
      return events.size();
    }
  }

  /** Forgets every event recorded so far. */
  public void clear() {
    synchronized (events) {
      events.clear();
      ids.clear();
    }
  }

  @Override
  public String toString() {
    return "RecordingSink" + events();
  }
}
