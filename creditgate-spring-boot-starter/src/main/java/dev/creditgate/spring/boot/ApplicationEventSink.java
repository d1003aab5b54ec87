package dev.creditgate.spring.boot;

import dev.creditgate.model.EventId;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.EventSink;

import org.springframework.context.ApplicationEventPublisher;

/** Hands each wallet event to the application context as a {@link CreditGateEvent}. */
final class ApplicationEventSink implements EventSink {

  private final ApplicationEventPublisher publisher;

  ApplicationEventSink(ApplicationEventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void publish(EventId id, WalletEvent event) {
    publisher.publishEvent(new CreditGateEvent<>(id, event));
  }
}
