package dev.creditgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.EventId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordingSinkTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

  @Test
  void recordsWhatTheGatePublishesInOrderByTypeAndByAccount() {
    RecordingSink sink = new RecordingSink();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).eventSink(sink).build();
    AccountId ada = AccountId.of("ada");
    AccountId bob = AccountId.of("bob");
    gate.openWallet(ada, ZoneOffset.UTC, T0);
    gate.openWallet(bob, ZoneOffset.UTC, T0);
    sink.clear();
    assertEquals(List.of(), sink.events());

    gate.topUp(ada, "small", IdempotencyKey.of("pay-1"), T0);
    gate.changePlan(bob, "pro", IdempotencyKey.of("up"), T0);
    gate.topUp(ada, "medium", IdempotencyKey.of("pay-2"), T0.plusSeconds(1));

    List<WalletEvent.CreditsGranted> granted = List.of(
        new WalletEvent.CreditsGranted(ada, T0, "pack:pay-1", Credits.of(100)),
        new WalletEvent.CreditsGranted(ada, T0.plusSeconds(1), "pack:pay-2", Credits.of(250)));
    assertEquals(granted, sink.events(WalletEvent.CreditsGranted.class));
    assertEquals(granted, sink.eventsOf(ada));
    List<WalletEvent> bobs = sink.eventsOf(bob);
    assertTrue(bobs.contains(new WalletEvent.PlanChanged(bob, T0, "free", "pro", T0)), bobs.toString());
    assertTrue(bobs.stream().allMatch(e -> e.account().equals(bob)), bobs.toString());
    assertEquals(granted.size() + bobs.size(), sink.size(), "every event is ada's or bob's");
    assertEquals(sink.size(), sink.events().size());
    assertEquals(granted.get(0), sink.events().get(0), "the first event published is the first recorded");
  }

  @Test
  void accessorsReturnImmutableSnapshots() {
    RecordingSink sink = new RecordingSink();
    WalletEvent event = new WalletEvent.MemberAdded(AccountId.of("team"), T0, AccountId.of("ada"));
    sink.publish(new EventId(event.account(), 1), event);
    List<WalletEvent> snapshot = sink.events();
    sink.publish(new EventId(event.account(), 1), event);
    assertEquals(1, snapshot.size(), "a snapshot does not follow later events");
    assertEquals(2, sink.size());
    assertThrows(UnsupportedOperationException.class, () -> snapshot.add(event));
    assertThrows(UnsupportedOperationException.class, () -> sink.events(WalletEvent.class).clear());
    assertEquals(List.of(new EventId(event.account(), 1), new EventId(event.account(), 1)), sink.ids(),
        "a redelivery is recorded again");
    assertThrows(NullPointerException.class, () -> sink.publish(new EventId(event.account(), 2), null));
    assertThrows(NullPointerException.class, () -> sink.publish(null, event));
    sink.clear();
    assertEquals(0, sink.size());
  }

  /** 8 threads publish 1,000 events each at once: exactly 8,000 are recorded, each thread's in order. */
  @Test
  void concurrentPublishersLoseNothingAndKeepEachThreadsOrder() throws Exception {
    RecordingSink sink = new RecordingSink();
    int threads = 8;
    int each = 1_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        AccountId account = AccountId.of("thread-" + t);
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            sink.publish(new EventId(account, i + 1),
                new WalletEvent.CreditsGranted(account, T0.plusSeconds(i), "pack:" + i, Credits.of(1)));
            if (i % 100 == 0) {
              sink.events(); // readers beside the writers
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * each, sink.size());
    for (int t = 0; t < threads; t++) {
      List<WalletEvent> mine = sink.eventsOf(AccountId.of("thread-" + t));
      assertEquals(each, mine.size());
      for (int i = 0; i < each; i++) {
        assertEquals(T0.plusSeconds(i), mine.get(i).at(), "thread " + t + "'s event " + i);
      }
    }
  }
}
