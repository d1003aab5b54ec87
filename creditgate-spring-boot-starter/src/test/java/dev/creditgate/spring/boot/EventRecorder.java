package dev.creditgate.spring.boot;

import dev.creditgate.model.WalletEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;

/** A listener bean that keeps every wallet event, and separately the warnings, it is given. */
class EventRecorder {

  final List<CreditGateEvent<?>> all = new CopyOnWriteArrayList<>();
  final List<WalletEvent.ThresholdCrossed> warnings = new CopyOnWriteArrayList<>();

  @EventListener
  void on(CreditGateEvent<?> event) {
    all.add(event);
  }

  @EventListener
  void onWarning(CreditGateEvent<WalletEvent.ThresholdCrossed> event) {
    warnings.add(event.event());
  }
}
