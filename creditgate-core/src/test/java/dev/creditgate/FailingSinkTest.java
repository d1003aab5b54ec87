package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A sink can never break or undo a committed call, whatever it throws. */
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
  }
}
