package dev.creditgate.spring.boot;

import dev.creditgate.model.EventId;
import dev.creditgate.model.WalletEvent;

import java.util.Objects;

import org.springframework.core.ResolvableType;
import org.springframework.core.ResolvableTypeProvider;

/**
 * A wallet event of a committed change, published to the application context: listen with
 * {@code @EventListener void on(CreditGateEvent<WalletEvent.ThresholdCrossed> e)} for one kind, or
 * with {@code CreditGateEvent<?>} for all of them. Spring matches the type argument against the
 * event's own class, exactly: a listener of {@code CreditGateEvent<WalletEvent>} receives nothing
 * (write {@code <?>} or {@code <? extends WalletEvent>}).
 *
 * <p>The gate's outbox guarantees hold: every event of a committed change is published at least
 * once, and each account's events in their sequence order. A listener runs on the thread that
 * delivers the event, while the store may hold the account's delivery lock and a connection: it
 * should return quickly, hand slow work off ({@code @Async}), and never call the gate. A listener
 * that throws does not undo the change: the event, and the account's later ones, are published
 * again by a later delivery, so deduplicate on {@link #id()} where a repeat matters.
 *
 * @param <E> the kind of wallet event
 * @param id the event's stable id, the same on every redelivery
 * @param event the event
 */
public record CreditGateEvent<E extends WalletEvent>(EventId id, E event) implements ResolvableTypeProvider {

  /**
   * Checks the parts.
   *
   * @param id the event's id
   * @param event the event
   * @throws NullPointerException naming the part that is null
   */
  public CreditGateEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(event, "event");
  }

  /**
   * The type Spring matches listeners against: {@code CreditGateEvent<the event's class>}.
   *
   * @return this event's generic type
   */
  @Override
  public ResolvableType getResolvableType() {
    return ResolvableType.forClassWithGenerics(CreditGateEvent.class, event.getClass());
  }
}
