package dev.creditgate.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InMemoryRetentionTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final AccountId ACCOUNT = AccountId.of("ada");

  @Test
  void aCallStampedInTheFutureDoesNotAgeOutTheKeysOfNow() {
    InMemoryWalletStore store = InMemoryWalletStore.builder()
        .idempotencyRecordsFor(Duration.ofDays(7))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, NOW.minusSeconds(60));
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), NOW);
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-2"), NOW.plus(Duration.ofDays(30)));
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), NOW.plusSeconds(5)); // a retry
    assertEquals(Credits.of(26), gate.status(ACCOUNT, NOW.plusSeconds(5)).available(), "charged once");
  }

  /** A clock the test moves by hand. */
  private static final class HandClock extends Clock {
    private Instant now;

    HandClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void keysStoredLongerAgoThanTheRetentionByTheStoresClockAreForgotten() {
    HandClock clock = new HandClock(NOW);
    InMemoryWalletStore store = retaining(Duration.ofDays(7), clock);
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, NOW.minusSeconds(60));
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), NOW);
    clock.advance(Duration.ofDays(8));
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-2"), NOW.plus(Duration.ofDays(8)));
    assertTrue(store.findRecord(ACCOUNT, IdempotencyKey.of("img-1")).isEmpty());
    assertTrue(store.findRecord(ACCOUNT, IdempotencyKey.of("img-2")).isPresent());
  }

  @Test
  void aQueuedCallStampedDaysAgoKeepsItsKeyForTheWholeRetention() {
    HandClock clock = new HandClock(NOW);
    InMemoryWalletStore store = retaining(Duration.ofDays(1), clock);
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, NOW.minus(Duration.ofDays(3)));
    Instant queued = NOW.minus(Duration.ofDays(2));   // a job that waited two days in a queue
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), queued);
    clock.advance(Duration.ofMinutes(1));
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-2"), NOW);
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), queued);   // its retry
    assertTrue(store.findRecord(ACCOUNT, IdempotencyKey.of("img-1")).isPresent(), "stored a minute ago");
    assertEquals(Credits.of(26), gate.status(ACCOUNT, NOW).available(), "two images charged, not three");
  }

  @Test
  void aRepeatedRefundIsAnsweredEvenAfterTheChargesKeyAgedOut() {
    HandClock clock = new HandClock(NOW);
    InMemoryWalletStore store = retaining(Duration.ofDays(7), clock);
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, NOW.minusSeconds(60));
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), NOW);
    clock.advance(Duration.ofDays(6));
    var first = gate.refundCharge(ACCOUNT, IdempotencyKey.of("img-1"), Credits.of(2), IdempotencyKey.of("r1"),
        NOW.plus(Duration.ofDays(6)));
    clock.advance(Duration.ofDays(4));
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-2"), NOW.plus(Duration.ofDays(10)));
    assertTrue(store.findRecord(ACCOUNT, IdempotencyKey.of("img-1")).isEmpty(), "the charge's key aged out");
    assertEquals(first, gate.refundCharge(ACCOUNT, IdempotencyKey.of("img-1"), Credits.of(2),
        IdempotencyKey.of("r1"), NOW.plus(Duration.ofDays(10))));
  }

  private static InMemoryWalletStore retaining(Duration retention, Clock clock) {
    return InMemoryWalletStore.builder().idempotencyRecordsFor(retention).clock(clock).build();
  }
}
