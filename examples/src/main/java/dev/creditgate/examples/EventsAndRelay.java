package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.EventSink;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Events reach the sink at least once and in order per account: a sink that is down for a while
 * loses nothing, and a sink that remembers the last sequence number it handled per account drops
 * what it sees twice. The host runs the relay on a schedule, on every instance.
 */
public final class EventsAndRelay {

  /** A sink that sends warnings to a notifier that may be down, and drops what it already sent. */
  static final class Notifier implements EventSink {
    final Map<AccountId, Long> handled = new HashMap<>();
    final List<String> sent = new ArrayList<>();
    boolean down;

    @Override
    public synchronized void publish(EventId id, WalletEvent event) {
      if (down) {
        throw new IllegalStateException("notifier unreachable");  // logged; the event waits in the outbox
      }
      if (id.sequence() <= handled.getOrDefault(id.account(), 0L)) {
        return;  // a redelivery: already handled
      }
      if (event instanceof WalletEvent.ThresholdCrossed t) {
        sent.add(id + ": " + t.account() + " is down to " + t.available() + " credits (" + t.percent() + "%)");
      }
      handled.put(id.account(), id.sequence());
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Notifier notifier = new Notifier();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).eventSink(notifier).build();
    AccountId maya = AccountId.of("maya");
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    gate.openWallet(maya, ZoneOffset.UTC, now);

    notifier.down = true;
    for (int i = 1; i <= 15; i++) {  // 15 images of 2 credits each: 30 credits, through 20% and 0%
      gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-" + i), now);
    }
    System.out.println("while the notifier was down: " + notifier.sent.size() + " sent");

    notifier.down = false;
    // A host schedules the relay on every instance (safe: one delivery per account at a time).
    ScheduledExecutorService relay = Executors.newSingleThreadScheduledExecutor();
    CountDownLatch ran = new CountDownLatch(1);
    relay.scheduleWithFixedDelay(() -> {
      gate.deliverPendingEvents(1_000);
      ran.countDown();
    }, 0, 5, TimeUnit.SECONDS);
    ran.await(10, TimeUnit.SECONDS);
    relay.shutdownNow();
    notifier.sent.forEach(System.out::println);
    System.out.println("left in the outbox: " + gate.deliverPendingEvents(1_000));
  }
}
