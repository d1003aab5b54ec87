package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.EventSink;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sink can never break or undo a committed call, whatever it throws; what it refused stays in the
 * outbox and is handed over again, before the account's later events.
 */
class FailingSinkTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneaky(Throwable t) throws E {
    throw (E) t;
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("a runtime exception", (Supplier<Throwable>) () -> new IllegalStateException("sink down")),
        Arguments.of("a checked exception thrown sneakily", (Supplier<Throwable>) () -> new IOException("socket")),
        Arguments.of("an Error", (Supplier<Throwable>) () -> new AssertionError("sink bug")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aCommittedTopUpStandsWhateverTheSinkThrows(String what, Supplier<Throwable> failure) {
    List<WalletEvent> delivered = new ArrayList<>();
    EventSink sink = (id, event) -> {
      if (event instanceof WalletEvent.CreditsGranted && delivered.isEmpty()) {
        delivered.add(event);
        sneaky(failure.get());
      }
      delivered.add(event);
    };
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).eventSink(sink).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZoneOffset.UTC, T0);
    delivered.clear();

    TopUp topUp = gate.topUp(maya, "small", IdempotencyKey.of("pay-1"), T0);

    assertEquals(Credits.of(130), topUp.balanceAfter(), what);
    assertEquals(Credits.of(130), gate.status(maya, T0).available(), "the top-up stands");
    assertEquals(topUp, gate.topUp(maya, "small", IdempotencyKey.of("pay-1"), T0), "and is recorded");
    assertEquals(1, delivered.size(), "the refused event is not counted as delivered: " + delivered);

    assertEquals(1, gate.deliverPendingEvents(10), "the outbox hands the refused event over again");
    assertEquals(2, delivered.size());
    assertEquals(delivered.get(0), delivered.get(1), "the same event, delivered this time");
    assertEquals(0, gate.deliverPendingEvents(10), "and then nothing is left");
  }

  @Test
  void eventsAfterARefusedOneWaitBehindItSoTheyArriveInOrder() {
    List<EventId> delivered = new ArrayList<>();
    boolean[] refuse = {true};
    EventSink sink = (id, event) -> {
      if (refuse[0] && event instanceof WalletEvent.CreditsGranted) {
        throw new IllegalStateException("sink down");
      }
      delivered.add(id);
    };
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).eventSink(sink).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZoneOffset.UTC, T0);
    int opened = delivered.size();

    gate.topUp(maya, "small", IdempotencyKey.of("pay-1"), T0);
    gate.changePlan(maya, "pro", IdempotencyKey.of("upgrade"), T0);
    assertEquals(opened, delivered.size(), "the upgrade's events wait behind the refused grant");

    refuse[0] = false;
    int relayed = gate.deliverPendingEvents(100);

    assertTrue(relayed >= 2, "the grant and the upgrade's events: " + relayed);
    for (int i = 1; i < delivered.size(); i++) {
      assertEquals(delivered.get(i - 1).sequence() + 1, delivered.get(i).sequence(), "in sequence: " + delivered);
    }
  }
}
