package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.creditgate.model.IdempotencyKey;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdempotencyRecordTest {
  private static final IdempotencyKey KEY = IdempotencyKey.of("msg-1");
  private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void aRecordMadeWithItsResultObjectEncodesTheTextOnlyWhenAskedAndOnce() {
    AtomicInteger encodings = new AtomicInteger();
    IdempotencyRecord record = IdempotencyRecord.of(KEY, "charge x1", 42L, value -> {
      encodings.incrementAndGet();
      return "answer " + value;
    }, AT);

    assertEquals(Optional.of(42L), record.value());
    assertEquals(0, encodings.get());
    assertEquals("answer 42", record.result());
    assertEquals("answer 42", record.result());
    assertEquals(1, encodings.get());
  }

  @Test
  void aRecordReadBackAsTextHasNoObjectAndEqualsTheRecordItWasWrittenFrom() {
    IdempotencyRecord made = IdempotencyRecord.of(KEY, "charge x1", 42L, value -> "answer " + value, AT);
    IdempotencyRecord read = new IdempotencyRecord(KEY, "charge x1", "answer 42", AT);

    assertEquals(Optional.empty(), read.value());
    assertEquals(made, read);
    assertEquals(made.hashCode(), read.hashCode());
  }

  @Test
  void missingFieldsAreRefused() {
    assertThrows(InvalidRequestException.class, () -> new IdempotencyRecord(KEY, "r", null, AT));
    assertThrows(InvalidRequestException.class, () -> new IdempotencyRecord(null, "r", "x", AT));
    assertThrows(InvalidRequestException.class, () -> IdempotencyRecord.of(KEY, "r", null, String::valueOf, AT));
    assertThrows(InvalidRequestException.class, () -> IdempotencyRecord.of(KEY, "r", 1, null, AT));
  }
}
