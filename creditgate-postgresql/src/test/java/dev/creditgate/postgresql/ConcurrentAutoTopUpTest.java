package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.AutoTopUpStatus;
import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sixteen threads charge one wallet across its auto top-up threshold at once, in every write shape:
 * exactly one request is recorded and published, whatever the races lost on the way (optimistic)
 * or the queue on the lock (the wallet lock, alone or in a batch); the wallet read back from PostgreSQL shows it open.
 */
class ConcurrentAutoTopUpTest {
  private static final String SCHEMA = "creditgate_auto_top_up";
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final int THREADS = 16;
  private static final int CHARGES_PER_THREAD = 4;
  private static TestPool pool;

  @BeforeAll
  static void schema() {
    TestDatabase.get().recreate(SCHEMA);
    pool = TestDatabase.get().pool(THREADS);
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void sixteenThreadsCrossingTheThresholdAtOnceMakeExactlyOneRequest(Shape shape)
      throws Exception {
    TestDatabase.get().truncate(SCHEMA);
    List<WalletEvent> events = new CopyOnWriteArrayList<>();
    CreditGate gate = CreditGate.builder(shape.configure(TestDatabase.store(pool, SCHEMA)).build())
        .eventSink((id, event) -> events.add(event)).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    gate.setAutoTopUp(maya, Optional.of(AutoTopUp.withPack("small", Credits.of(20), Money.usd("50"), 3)),
        IdempotencyKey.of("auto-top-up"), T0);
    events.clear();

    // 30 credits, 2 per image: the 5th charge reaches 20 credits, the 15th 0; 64 charges in all.
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    List<Callable<Integer>> work = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      work.add(() -> {
        start.await(30, TimeUnit.SECONDS);
        int allowed = 0;
        for (int i = 0; i < CHARGES_PER_THREAD; i++) {
          allowed += gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of(thread + "-" + i), T0)
              .isAllowed() ? 1 : 0;
        }
        return allowed;
      });
    }
    int allowed = 0;
    try {
      for (Future<Integer> f : threads.invokeAll(work, 120, TimeUnit.SECONDS)) {
        allowed += f.get();
      }
    } finally {
      threads.shutdownNow();
    }

    assertEquals(15, allowed);
    // The request's id tells when it was made: "autotopup:maya:1:<epoch millis>".
    String request = "autotopup:maya:1:" + T0.toEpochMilli();
    assertEquals(List.of(new WalletEvent.AutoTopUpRequested(maya, T0, request, "small", Credits.of(100),
        Money.usd("10"))), events.stream().filter(WalletEvent.AutoTopUpRequested.class::isInstance).toList(),
        shape + ", every event: " + events);
    // A fresh gate reads the wallet PostgreSQL keeps: one open request, counted once.
    CreditGate reader = CreditGate.builder(shape.configure(TestDatabase.store(pool, SCHEMA)).build()).build();
    AutoTopUpStatus status = reader.status(maya, T0).autoTopUp().orElseThrow();
    assertEquals(request, status.open().orElseThrow().id());
    assertEquals(1, status.requestsThisPeriod());
    if (shape == Shape.OPTIMISTIC) {
      assertTrue(gate.retryStatistics().lostRaces() > 0, "no optimistic attempt lost a race: the test raced nothing");
    }
    // The host confirms it: a top-up under the request's id closes it.
    reader.topUp(maya, "small", status.open().get().paymentKey(), T0.plusSeconds(1));
    assertEquals(Optional.empty(), gate.status(maya, T0.plusSeconds(1)).autoTopUp().orElseThrow().open());
  }
}
