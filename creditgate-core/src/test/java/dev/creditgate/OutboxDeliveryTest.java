package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.EventDelivery;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.OutboxEvent;
import dev.creditgate.spi.RetryPolicy;
import dev.creditgate.spi.StoreException;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's side of the outbox: what it delivers right after a commit, and what it refuses to. */
class OutboxDeliveryTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId MAYA = AccountId.of("maya");

  @Test
  void anEventDeliveredRightAfterItsCommitIsMarkedSoTheRelayNeverHandsItOverAgain() {
    RecordingSink sink = new RecordingSink();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).eventSink(sink).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    for (int i = 0; i < 12; i++) {  // 24 of 30 credits: the 12th crosses 20%
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-" + i), T0);
    }

    assertEquals(List.of(new EventId(MAYA, 1)), sink.ids);
    assertTrue(sink.events.get(0) instanceof WalletEvent.ThresholdCrossed t && t.percent() == 20, sink.events.toString());
    assertEquals(0, gate.deliverPendingEvents(100), "nothing left for the relay");
    assertEquals(1, sink.events.size(), "and nothing handed over twice");
  }

  @Test
  void openingAnOpenWalletAgainChangesNothingAndNeedsNoRetry() {
    InMemoryWalletStore memory = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(memory).build();
    WalletStatus opened = gate.openWallet(MAYA, ZoneOffset.UTC, T0);

    WalletStatus again = gate.openWallet(MAYA, ZoneOffset.UTC, T0.plusSeconds(60));

    assertEquals(opened, again);
    assertEquals(1, memory.load(MAYA).orElseThrow().version(), "no second commit");
    assertEquals(new RetryStatistics(0, 0, 0), gate.retryStatistics(), "no lost race, no retry");
  }

  /** A store whose outbox hands over, under maya's id, an event about another account. */
  private static final class MixedUpOutbox extends ForwardingWalletStore {
    MixedUpOutbox() {
      super(InMemoryWalletStore.create());
    }

    @Override
    public int deliverEvents(EventDelivery delivery, int limit) {
      WalletEvent other = new WalletEvent.MemberAdded(AccountId.of("noah"), T0, AccountId.of("bob"));
      return delivery.deliver(List.of(OutboxEvent.ofEncoded(new EventId(MAYA, 7), EventCodec.encode(other))));
    }
  }

  @Test
  void anOutboxEventAboutAnotherAccountThanItsIdIsNeverHandedToTheSink() {
    RecordingSink sink = new RecordingSink();
    CreditGate gate = CreditGate.builder(new MixedUpOutbox()).eventSink(sink).build();

    assertEquals(0, gate.deliverPendingEvents(10), "it waits, marked undelivered");
    assertEquals(List.of(), sink.events);
  }

  @Test
  void aCallThatGivesUpNamesItsWalletAndSaysNothingWasWritten() {
    InMemoryWalletStore memory = InMemoryWalletStore.create();
    CreditGate.builder(memory).build().openWallet(MAYA, ZoneOffset.UTC, T0);
    CreditGate gate = CreditGate.builder(new ForwardingWalletStore(memory) {
      @Override
      public java.util.Optional<dev.creditgate.spi.WalletTransaction> transaction() {
        return java.util.Optional.of(new dev.creditgate.spi.WalletTransaction() {
          @Override
          public <R> java.util.Optional<R> attempt(AccountId account, IdempotencyKey key,
              dev.creditgate.spi.Mutation<R> mutation) {
            return java.util.Optional.empty();  // always loses its race
          }
        });
      }

      @Override
      public RetryPolicy retryPolicy() {
        return new RetryPolicy(3, Duration.ofMinutes(1));
      }
    }).build();

    StoreException e = assertThrows(StoreException.class,
        () -> gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0));

    assertTrue(e.getMessage().startsWith("wallet 'maya' stayed contended (3 lost races) for 3 attempts"),
        e.getMessage());
    assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
    assertEquals(new RetryStatistics(3, 0, 1), gate.retryStatistics());
  }
}
